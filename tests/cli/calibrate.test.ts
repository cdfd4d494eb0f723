// `entangle calibrate` end to end through the built CLI (npm test builds first), on the four
// training wars with a two-point space and few runs: the same bytes whatever the worker count,
// point 0 is the backtest's defaults run (the same random streams), the files agree with each
// other, and mistakes are one-line exit-2 errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../src/model/params.js';
import { entangleSync, okSync, readCsv } from '../engine/process.js';

const WARS = fileURLToPath(new URL('../../data/wars/training_wars.csv', import.meta.url));
const RUNS = '300';
const SEED = '11';

// A calibration of a few points over four wars takes a while on a loaded machine.
const entangle = (args: string[]) => entangleSync(args, 300_000);
const ok = (args: string[]) => okSync(args, 300_000);
const FILES = [
  'calibrate-points.csv',
  'calibrate-folds.csv',
  'calibrate-summary.csv',
  'calibrate-cases.csv',
  'calibration.csv',
];

let tmp: string;
let space: string;
let stdout: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'entangle-calibrate-'));
  space = join(tmp, 'space.yaml');
  writeFileSync(space, 'sweep:\n  reliability.defense: [0.3, 0.9]\n');
  const common = ['calibrate', WARS, '--space', space, '--runs', RUNS, '--seed', SEED, '--folds', '2'];
  stdout = ok([...common, '--workers', '2', '--out', join(tmp, 'a')]).stdout;
  ok([...common, '--workers', '1', '--quiet', '--out', join(tmp, 'b')]);
  ok(['backtest', WARS, '--runs', RUNS, '--seed', SEED, '--quiet', '--out', join(tmp, 'bt')]);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('entangle calibrate on the training wars', () => {
  it('writes the same bytes whatever the worker count, and prints the comparison', () => {
    for (const f of FILES)
      expect(readFileSync(join(tmp, 'a', f)).equals(readFileSync(join(tmp, 'b', f))), f).toBe(true);
    expect(stdout).toContain('cross-validated');
    expect(stdout).toContain('defaults');
  });

  it("plays point 0 (the defaults) with the backtest's random streams", () => {
    const points = readCsv(join(tmp, 'a', 'calibrate-points.csv'));
    const defaults = points.find((r) => r.point === '0' && r.fold === 'all')!;
    const overall = readCsv(join(tmp, 'bt', 'backtest-summary.csv')).find((r) => r.row_type === 'overall')!;
    expect(Number(defaults['reliability.defense'])).toBe(DEFAULT_PARAMS.reliability.defense);
    expect(defaults.in_fold_brier).toBe(overall.brier_model);
    expect(defaults.in_fold_auc).toBe(overall.auc_model);
    const summary = readCsv(join(tmp, 'a', 'calibrate-summary.csv'));
    expect(summary.map((r) => r.row)).toEqual(['cross_validated', 'defaults', 'best_point']);
    expect(summary[1]!.brier_model).toBe(overall.brier_model);
    expect(summary[1]!.brier_capability_insample).toBe(overall.brier_capability_insample);
  });

  it('has every point on every fold, the chosen point best in-fold, and folds covering every war once', () => {
    const points = readCsv(join(tmp, 'a', 'calibrate-points.csv'));
    const folds = readCsv(join(tmp, 'a', 'calibrate-folds.csv'));
    // Three points (defaults + 2) × (2 folds + all).
    expect(points).toHaveLength(9);
    for (const f of folds) {
      const onFold = points.filter((r) => r.fold === f.fold);
      const best = Math.min(...onFold.map((r) => Number(r.in_fold_brier)));
      const chosen = onFold.find((r) => r.chosen === '1')!;
      expect(Number(chosen.in_fold_brier)).toBe(best);
      expect(chosen.point).toBe(f.point);
      expect(f.out_of_fold_brier).toBe(chosen.out_of_fold_brier);
    }
    const labels = folds.flatMap((f) => f.war_labels.split(';')).sort();
    expect(labels).toEqual([
      '1866 Seven Weeks War',
      '1870 Franco-Prussian War',
      '1914 World War I',
      '1950 Korean War',
    ]);
    const binned = readCsv(join(tmp, 'a', 'calibration.csv')).reduce((n, r) => n + Number(r.n), 0);
    const cases = readCsv(join(tmp, 'a', 'calibrate-cases.csv'));
    expect(binned).toBe(Number(readCsv(join(tmp, 'a', 'calibrate-summary.csv'))[0]!.candidates));
    expect(cases).toHaveLength(binned);
    // Every war's states carry the point its fold chose.
    for (const c of cases)
      expect(c.point).toBe(folds.find((f) => f.war_labels.split(';').includes(c.war))!.point);
  });
});

describe('entangle calibrate: bad input', () => {
  const oneLine = (r: { status: number | null; stderr: string }) => {
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    return r.stderr;
  };

  it('an unknown parameter in the space, too many folds, a missing space file: exit 2, one line', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'sweep:\n  reliability.alliance: [0.5]\n');
    expect(oneLine(entangle(['calibrate', WARS, '--space', bad, '--out', join(tmp, 'x')]))).toContain(
      'reliability.alliance',
    );
    expect(
      oneLine(entangle(['calibrate', WARS, '--space', space, '--folds', '5', '--out', join(tmp, 'x')])),
    ).toContain('--folds');
    expect(
      oneLine(entangle(['calibrate', WARS, '--space', join(tmp, 'none.yaml'), '--out', join(tmp, 'x')])),
    ).toMatch(/not found/);
  });
});
