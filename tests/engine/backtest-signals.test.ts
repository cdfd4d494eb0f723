/**
 * `entangle backtest` gets the care of `run` (issue 11, item 7): Ctrl-C keeps the wars that
 * finished (scored and written), manifest.json says what was run and that it did not finish,
 * and a folder holding results is refused without --force. Real processes; the third war's
 * first batch is held by the worker fault hook, so the signal surely arrives while the first
 * two wars are done and the third is not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entangle,
  filesIn,
  killAll,
  manifest,
  oneLine,
  start,
  tempFiles,
  waitFor,
  within,
} from './process.js';

const WARS = 'data/wars/training_wars.csv';
const RUNS = 20_000;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-backtest-signals-'));
});

afterAll(() => {
  killAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('entangle backtest, interrupted', () => {
  it('SIGINT keeps the finished wars, manifest complete: false, exit 130', async () => {
    const out = join(dir, 'bt');
    const r = start(['backtest', WARS, '--runs', String(RUNS), '--workers', '1', '--out', out], {
      ENTANGLE_TEST_FAULT: 'sleep@2:0',
      ENTANGLE_TEST_FAULT_MS: '12000',
      // Tasks of a batch or two whatever the simulator's speed: tasks sized for 75 ms of work
      // could hold the whole third war, which would then finish once the held batch wakes.
      ENTANGLE_TASK_MS: '2',
    });
    await waitFor('the run to start', () => r.stderr().includes('entangle: backtest of'), r);
    // Two wars of 20,000 runs take well under 6 s on one core; the third is held for 12 s.
    await new Promise((res) => setTimeout(res, 6000));
    r.child.kill('SIGINT');
    const { code } = await within(r.exited, 60_000, 'after SIGINT');
    expect(code, r.stderr()).toBe(130);
    expect(r.stderr()).not.toMatch(/^\s+at /m);
    const m = manifest(out);
    expect(m.complete).toBe(false);
    expect(m.runs_planned).toBe(4 * RUNS);
    expect(m.name).toBe('backtest');
    expect(m.files).toEqual(['backtest.csv', 'backtest-summary.csv', 'calibration.csv', 'manifest.json']);
    expect(tempFiles(out)).toEqual([]);
    const rows = parse(readFileSync(join(out, 'backtest.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const wars = [...new Set(rows.map((row) => row.war))];
    expect(wars).toEqual(['1866 Seven Weeks War', '1870 Franco-Prussian War']);
    expect(rows.every((row) => row.runs === String(RUNS))).toBe(true);
    expect(r.stdout()).toMatch(/Interrupted: 2 of 4 wars finished/);
  });

  it('refuses a folder holding results without --force', async () => {
    const out = join(dir, 'bt');
    const r = await entangle(['backtest', WARS, '--runs', '100', '--workers', '1', '--out', out]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr).line).toMatch(/holds the results of an earlier run.*--force/);
    const forced = await entangle([
      'backtest',
      WARS,
      '--runs',
      '100',
      '--workers',
      '1',
      '--quiet',
      '--force',
      '--out',
      out,
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(manifest(out).complete).toBe(true);
    expect(filesIn(out).sort()).toEqual([
      'backtest-summary.csv',
      'backtest.csv',
      'calibration.csv',
      'manifest.json',
    ]);
  });
});
