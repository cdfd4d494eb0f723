/**
 * `entangle compare A B` end to end: both sides run under the same seed and runs, each side's
 * results land in a/ and b/, and compare.csv holds B − A per outcome with an interval that
 * the test recomputes from the two summary.csv files (Newcombe's method written out here,
 * independently of src/experiment/compare.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const run = promisify(execFile);
const RUNS = 4000;

type Row = Record<string, string>;
const readCsv = (file: string): Row[] => parse(readFileSync(file, 'utf8'), { columns: true });

/** Wilson score interval for x/n at z = 1.96 (95 %). */
function wilson(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

describe('entangle compare', () => {
  let dir: string;
  let rows: Row[];
  let a: Row;
  let b: Row;
  let stdout: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-compare-'));
    const out = join(dir, 'out');
    const result = await run(process.execPath, [
      CLI,
      'compare',
      join(ROOT, 'configs/tight.yaml'),
      join(ROOT, 'configs/loose.yaml'),
      '--runs',
      String(RUNS),
      '--seed',
      '11',
      '--workers',
      '2',
      '--out',
      out,
    ]);
    stdout = result.stdout;
    rows = readCsv(join(out, 'compare.csv'));
    a = readCsv(join(out, 'a/summary.csv'))[0]!;
    b = readCsv(join(out, 'b/summary.csv'))[0]!;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs both sides under the same seed and runs', () => {
    expect(a.runs).toBe(String(RUNS));
    expect(b.runs).toBe(String(RUNS));
    expect(a.seed).toBe('11');
    expect(b.seed).toBe('11');
    // The table's row for P(contained) of cell 0, under the label every command uses.
    expect(stdout).toMatch(/^\s+0\s+contained\s+\d/m);
  });

  it('reports B − A for every share with Newcombe’s interval, recomputed here', () => {
    for (const outcome of ['contained', 'great_power_war', 'world_war', 'mediated', 'initiator_prevails']) {
      const row = rows.find((r) => r.outcome === outcome)!;
      expect(row.statistic).toBe('share');
      const pa = Number(a[`p_${outcome}`]);
      const pb = Number(b[`p_${outcome}`]);
      expect(Number(row.a)).toBeCloseTo(pa, 10);
      expect(Number(row.b)).toBeCloseTo(pb, 10);
      expect(Number(row.difference)).toBeCloseTo(pb - pa, 10);
      // Newcombe (1998) method 10: hybrid of the two Wilson intervals.
      const [la, ua] = wilson(Math.round(pa * RUNS), RUNS);
      const [lb, ub] = wilson(Math.round(pb * RUNS), RUNS);
      const lo = pb - pa - Math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2);
      const hi = pb - pa + Math.sqrt((ub - pb) ** 2 + (pa - la) ** 2);
      expect(Number(row.difference_lo)).toBeCloseTo(lo, 9);
      expect(Number(row.difference_hi)).toBeCloseTo(hi, 9);
      expect(row.excludes_zero).toBe(lo > 0 || hi < 0 ? '1' : '0');
    }
  });

  it('reports B − A for every count mean, with an interval around it', () => {
    const row = rows.find((r) => r.outcome === 'participants')!;
    expect(row.statistic).toBe('mean');
    const diff = Number(b.participants_mean) - Number(a.participants_mean);
    expect(Number(row.difference)).toBeCloseTo(diff, 10);
    expect(Number(row.difference_lo)).toBeLessThan(diff);
    expect(Number(row.difference_hi)).toBeGreaterThan(diff);
    // Welch's half-width is about 1.96 standard errors when both samples are this large.
    const se = Math.sqrt(Number(a.participants_sd) ** 2 / RUNS + Number(b.participants_sd) ** 2 / RUNS);
    expect((Number(row.difference_hi) - Number(row.difference_lo)) / 2).toBeCloseTo(1.96 * se, 3);
  });

  it('refuses experiments with different numbers of cells, exit 2', async () => {
    const err = await run(process.execPath, [
      CLI,
      'compare',
      join(ROOT, 'configs/tight.yaml'),
      join(ROOT, 'configs/offense-dominance.yaml'),
      '--runs',
      '10',
      '--out',
      join(dir, 'never'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/cells/);
  });
});
