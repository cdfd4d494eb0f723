/**
 * runs.csv rows, formatted straight from a batch's Float64Array (RUN_FIELDS per run) inside
 * the worker that ran it. csv-stringify writes every other file; here it would need an object
 * per run and caps the file at ~60,000 rows/s, while a run takes ~1.5 µs. The bytes are those
 * csv-stringify writes for the same rows (a test compares them): the only text cell, the
 * scenario name, is quoted by csv-stringify itself once per cell; every other cell is a number
 * written by formatCell's rules.
 */
import { stringify } from 'csv-stringify/sync';
import { OUTCOME_FIELDS, RUN_FIELDS } from '../model/outcome.js';
import { csvText, formatCell } from './csv.js';

/** runs.csv columns: the cell, its scenario, the run within the cell, then the outcome table. */
export const RUNS_COLUMNS: readonly string[] = ['cell', 'scenario', 'run', ...RUN_FIELDS];

/** The header line of runs.csv. */
export function runsHeader(): string {
  return csvText([...RUNS_COLUMNS], []);
}

/** The first two cells of a cell's rows, `cell,scenario,`, quoted and neutralised as csv-stringify does. */
export function runsRowPrefix(cell: number, scenario: string): string {
  return stringify([[String(cell), formatCell(scenario), '']], { record_delimiter: 'unix' }).slice(0, -1);
}

/** Fields written as whole numbers (counts and 0/1 outcomes); the others go through formatCell. */
const WHOLE = OUTCOME_FIELDS.map((f) => f.kind !== 'share');

/** The rows of runs `first`, `first` + 1, … of one cell, from RUN_FIELDS.length values per run. */
export function formatRunRows(prefix: string, first: number, runs: Float64Array): string {
  const width = RUN_FIELDS.length;
  let out = '';
  for (let o = 0, run = first; o < runs.length; o += width, run++) {
    let line = prefix + run;
    for (let k = 0; k < width; k++) {
      const v = runs[o + k]!;
      // A whole number prints as formatCell would print it; anything else (a bug in a count,
      // NaN) takes formatCell's own path and its refusal of NaN and Infinity.
      line += WHOLE[k] && Number.isInteger(v) ? `,${v}` : `,${formatCell(v)}`;
    }
    out += `${line}\n`;
  }
  return out;
}
