/**
 * runs.csv rows formatted straight from a batch's Float64Array must be the bytes csv-stringify
 * writes for the same rows (README, "Performance": why they are not written by csv-stringify).
 * Property test over random outcomes, including awkward reals (tiny, huge, negative zero) and
 * scenario names that need quoting or neutralising.
 */
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTCOME_FIELDS, RUN_FIELDS } from '../../src/model/outcome.js';
import { formatCell } from '../../src/output/csv.js';
import { formatRunRows, RUNS_COLUMNS, runsHeader, runsRowPrefix } from '../../src/output/runs-csv.js';

/** What csv-stringify writes for the rows: one object per run, every cell through formatCell. */
function viaCsvStringify(cell: number, scenario: string, first: number, runs: Float64Array): string {
  const width = RUN_FIELDS.length;
  const rows: string[][] = [];
  for (let i = 0; i * width < runs.length; i++) {
    const row: (string | number | boolean)[] = [cell, scenario, first + i];
    OUTCOME_FIELDS.forEach((f, k) => {
      const v = runs[i * width + k]!;
      row.push(f.kind === 'boolean' ? v === 1 : v);
    });
    rows.push(row.map((x) => formatCell(x)));
  }
  return stringify(rows, { record_delimiter: 'unix' });
}

const value = (kind: string) =>
  kind === 'boolean'
    ? fc.constantFrom(0, 1)
    : kind === 'count'
      ? fc.nat({ max: 10_000 })
      : fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
          fc.constantFrom(0, -0, 1, 1e-7, 0.1 + 0.2, 123456789.12345679, 2 ** -40),
        );

const runs = fc
  .array(fc.tuple(...OUTCOME_FIELDS.map((f) => value(f.kind))), { minLength: 1, maxLength: 20 })
  .map((rows) => Float64Array.from(rows.flat()));

const scenario = fc.oneof(
  fc.string(),
  fc.constantFrom('Tight - two rigid blocs', '=SUM(A1)', 'a, "quoted" name', 'two\nlines', '+1', '@x', ''),
);

describe('runs.csv rows', () => {
  it('are the bytes csv-stringify writes for the same rows', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        scenario,
        fc.nat({ max: 1e9 }),
        runs,
        (cell, name, first, values) => {
          expect(formatRunRows(runsRowPrefix(cell, name), first, values)).toBe(
            viaCsvStringify(cell, name, first, values),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('have the header cell, scenario, run, then the outcome table in its order', () => {
    expect(RUNS_COLUMNS).toEqual(['cell', 'scenario', 'run', ...OUTCOME_FIELDS.map((f) => f.name)]);
    expect(runsHeader()).toBe(`${RUNS_COLUMNS.join(',')}\n`);
  });

  it('refuse NaN and Infinity as csv-stringify’s path does', () => {
    const bad = new Float64Array(RUN_FIELDS.length);
    bad[OUTCOME_FIELDS.findIndex((f) => f.kind === 'share')] = Number.NaN;
    expect(() => formatRunRows('0,x,', 0, bad)).toThrow(RangeError);
    bad.fill(0);
    bad[0] = Number.POSITIVE_INFINITY;
    expect(() => formatRunRows('0,x,', 0, bad)).toThrow(RangeError);
  });
});
