// `entangle backtest` end to end through the built CLI (npm test builds first): the training wars
// with a fixed seed give the same bytes twice (also with another worker count), the rows hold the
// states history says they should, the summary scores are what brier/auc give on the rows, the
// development wars (a state listed twice) are accepted, and bad input is a one-line exit-2 error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auc, brier, calibrationTable } from '../../src/experiment/backtest-metrics.js';
import { importCow } from '../../src/scenario/cow/index.js';
import { parseWars } from '../../src/scenario/wars.js';
import { type CsvRow, entangleSync as entangle, okSync as ok, readCsv } from '../engine/process.js';

const WARS = fileURLToPath(new URL('../../data/wars/training_wars.csv', import.meta.url));
const DEVELOPMENT = fileURLToPath(new URL('../../data/wars/development_wars.csv', import.meta.url));
const RUNS = 2000;
const SEED = 7;

const bytes = (dir: string, name: string) => readFileSync(join(dir, name));

let tmp: string;
const dirs = { a: '', b: '', all: '', dev: '' };
let rows: CsvRow[];
let summary: CsvRow[];
let allRows: CsvRow[];
let allSummary: CsvRow[];
let stdout: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'entangle-backtest-'));
  for (const k of Object.keys(dirs) as (keyof typeof dirs)[]) dirs[k] = join(tmp, k);
  const common = [WARS, '--runs', String(RUNS), '--seed', String(SEED)];
  const relevant = ['--states', 'relevant'];
  stdout = ok(['backtest', ...common, ...relevant, '--workers', '2', '--out', dirs.a]).stdout;
  ok(['backtest', ...common, ...relevant, '--workers', '1', '--quiet', '--out', dirs.b]);
  // --states all is the default.
  ok(['backtest', ...common, '--workers', '2', '--quiet', '--out', dirs.all]);
  ok(['backtest', WARS, DEVELOPMENT, '--runs', '100', '--seed', String(SEED), '--quiet', '--out', dirs.dev]);
  rows = readCsv(join(dirs.a, 'backtest.csv'));
  summary = readCsv(join(dirs.a, 'backtest-summary.csv'));
  allRows = readCsv(join(dirs.all, 'backtest.csv'));
  allSummary = readCsv(join(dirs.all, 'backtest-summary.csv'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const row = (rs: CsvRow[], war: string, state: string) =>
  rs.find((r) => r.war.startsWith(war) && r.state === state);
const warRows = (rs: CsvRow[], war: string) => rs.filter((r) => r.war.startsWith(war));
const summaryOf = (rs: CsvRow[], war: string) =>
  rs.find((r) => r.row_type === 'war' && r.war.startsWith(war))!;

describe('entangle backtest on the training wars', () => {
  it('writes the same bytes when run twice with the same seed, whatever the worker count', () => {
    expect(bytes(dirs.a, 'backtest.csv').equals(bytes(dirs.b, 'backtest.csv'))).toBe(true);
    expect(bytes(dirs.a, 'backtest-summary.csv').equals(bytes(dirs.b, 'backtest-summary.csv'))).toBe(true);
    expect(rows.length).toBeGreaterThan(20);
  });

  it('records seed and runs on every row, and prints a table of the wars', () => {
    for (const r of [...rows, ...summary]) {
      expect(r.seed).toBe(String(SEED));
      expect(r.runs).toBe(String(RUNS));
    }
    expect(summary.map((r) => r.row_type)).toEqual(['war', 'war', 'war', 'war', 'overall']);
    for (const war of [
      '1866 Seven Weeks War',
      '1870 Franco-Prussian War',
      '1914 World War I',
      '1950 Korean War',
      'overall',
    ])
      expect(stdout).toContain(war);
  });

  it('takes init_a as the initiator, also in 1870 where France (COW side 2) attacked', () => {
    expect(summaryOf(summary, '1914')).toMatchObject({ initiator: 'AUH', target: 'YUG' });
    expect(summaryOf(summary, '1870')).toMatchObject({ initiator: 'FRN', target: 'GMY' });
    expect(summaryOf(summary, '1866')).toMatchObject({ initiator: 'GMY', target: 'AUH' });
    // The south German states joined Prussia (COW side 1), the side of the target France attacked.
    expect(row(rows, '1870', 'BAV')).toMatchObject({ entered: '1', entered_side: 'target' });
    // Mecklenburg joined Prussia, the initiator in 1866; Hanover joined Austria.
    expect(row(rows, '1866', 'MEC')).toMatchObject({ entered: '1', entered_side: 'initiator' });
    expect(row(rows, '1866', 'HAN')).toMatchObject({ entered: '1', entered_side: 'target' });
  });

  it('scores the states history says: 1914 Germany and Russia entered, Italy too (in 1915), never the belligerents', () => {
    expect(row(rows, '1914', 'GMY')).toMatchObject({
      entered: '1',
      entered_side: 'initiator',
      naive: '1',
      tie: 'alliance+border',
    });
    expect(row(rows, '1914', 'RUS')).toMatchObject({
      entered: '1',
      entered_side: 'target',
      naive: '0',
      tie: 'border',
    });
    // "Entered" = joined at any time during the war.
    expect(row(rows, '1914', 'ITA')).toMatchObject({
      entered: '1',
      entry_date: '1915-05-23',
      entered_side: 'target',
    });
    expect(row(rows, '1914', 'SWZ')).toMatchObject({ entered: '0', entered_side: '', entry_date: '' });
    expect(row(rows, '1866', 'UKG')?.entered).toBe('0');
    expect(row(rows, '1950', 'CHN')).toMatchObject({ entered: '1', entered_side: 'initiator' });
    for (const [war, a, b] of [
      ['1866', 'GMY', 'AUH'],
      ['1870', 'FRN', 'GMY'],
      ['1914', 'AUH', 'YUG'],
      ['1950', 'PRK', 'ROK'],
    ] as const) {
      expect(row(rows, war, a)).toBeUndefined();
      expect(row(rows, war, b)).toBeUndefined();
      expect(row(allRows, war, a)).toBeUndefined();
    }
    // The United States has no tie to Austria-Hungary or Serbia: not relevant, but scored under --states all.
    expect(row(rows, '1914', 'USA')).toBeUndefined();
    expect(row(allRows, '1914', 'USA')).toMatchObject({
      entered: '1',
      entry_date: '1917-04-17',
      tie: 'none',
    });
    expect(summaryOf(summary, '1914').joiners_not_candidates.split(';')).toContain('USA');
    expect(summaryOf(summary, '1914').joiners).toBe('13');
  });

  it('gives probabilities: p_enters in [0, 1], the sum of the two sides', () => {
    for (const r of [...rows, ...allRows]) {
      const p = Number(r.p_enters);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(p).toBeCloseTo(Number(r.p_initiator_side) + Number(r.p_target_side), 9);
    }
    // Germany, allied with and bordering Austria-Hungary, enters; Peru, with no path of the model
    // from a war in the Balkans (no treaty, no land route, no great power), never does.
    expect(Number(row(allRows, '1914', 'GMY')!.p_enters)).toBeGreaterThan(0);
    expect(row(allRows, '1914', 'PER')).toMatchObject({ p_enters: '0', reachable: '0' });
  });

  for (const [name, which] of [
    ['relevant', () => ({ rows, summary })],
    ['all', () => ({ rows: allRows, summary: allSummary })],
  ] as const) {
    it(`has summary scores equal to brier/auc recomputed from the rows (--states ${name})`, () => {
      const { rows: rs, summary: sm } = which();
      const outcomes = (x: CsvRow[]) => x.map((r) => Number(r.entered) as 0 | 1);
      const baseRate = outcomes(rs).reduce<number>((s, o) => s + o, 0) / rs.length;
      const check = (s: CsvRow, x: CsvRow[]) => {
        const o = outcomes(x);
        expect(Number(s.candidates)).toBe(x.length);
        expect(Number(s.entered)).toBe(o.reduce<number>((a, b) => a + b, 0));
        expect(Number(s.base_rate)).toBeCloseTo(baseRate, 10);
        expect(Number(s.brier_model)).toBeCloseTo(
          brier(
            x.map((r) => Number(r.p_enters)),
            o,
          ),
          9,
        );
        expect(Number(s.brier_base)).toBeCloseTo(
          brier(
            o.map(() => baseRate),
            o,
          ),
          9,
        );
        expect(Number(s.brier_naive)).toBeCloseTo(
          brier(
            x.map((r) => Number(r.naive)),
            o,
          ),
          9,
        );
        const a = auc(
          x.map((r) => Number(r.p_enters)),
          o,
        );
        if (Number.isNaN(a)) expect(s.auc_model).toBe('');
        else expect(Number(s.auc_model)).toBeCloseTo(a, 9);
        // Capability: AUC of the CINC shares, Brier of the in-sample fit written on each row.
        const c = auc(
          x.map((r) => Number(r.capability_share)),
          o,
        );
        if (!Number.isNaN(c)) expect(Number(s.auc_capability)).toBeCloseTo(c, 9);
        expect(Number(s.brier_capability_insample)).toBeCloseTo(
          brier(
            x.map((r) => Number(r.p_capability_insample)),
            o,
          ),
          9,
        );
        // Side-aware: two cases per state, entered on the initiator's side and on the target's.
        const sideP = x.flatMap((r) => [Number(r.p_initiator_side), Number(r.p_target_side)]);
        const sideO = x.flatMap((r) => [
          r.entered_side === 'initiator' ? 1 : 0,
          r.entered_side === 'target' ? 1 : 0,
        ]) as (0 | 1)[];
        expect(Number(s.brier_side_model)).toBeCloseTo(brier(sideP, sideO), 9);
        const sum = x.reduce((n, r) => n + Number(r.p_enters), 0);
        expect(Number(s.expected_joiners)).toBeCloseTo(sum, 6);
      };
      for (const s of sm.filter((r) => r.row_type === 'war'))
        check(
          s,
          rs.filter((r) => r.war === s.war),
        );
      check(sm.find((r) => r.row_type === 'overall')!, rs);
    });
  }

  it('writes the calibration table of the rows: chances binned against the share that entered', () => {
    const table = readCsv(join(dirs.all, 'calibration.csv'));
    const bins = calibrationTable(
      allRows.map((r) => Number(r.p_enters)),
      allRows.map((r) => Number(r.entered) as 0 | 1),
    );
    expect(Object.keys(table[0]!)).toEqual(['bin_lo', 'bin_hi', 'predicted_mean', 'observed_share', 'n']);
    expect(table.map((r) => Number(r.n))).toEqual(bins.map((b) => b.n));
    expect(table.reduce((n, r) => n + Number(r.n), 0)).toBe(allRows.length);
    for (const [i, r] of table.entries())
      if (bins[i]!.n > 0) expect(Number(r.observed_share)).toBeCloseTo(bins[i]!.observedShare, 9);
  });

  it('lists the joiners given exactly 0, and those no path of the model reaches', () => {
    for (const s of allSummary.filter((r) => r.row_type === 'war')) {
      const joiners = allRows.filter((r) => r.war === s.war && r.entered === '1');
      const zero = joiners.filter((r) => Number(r.p_enters) === 0).map((r) => r.state);
      expect(s.joiners_at_zero === '' ? [] : s.joiners_at_zero.split(';')).toEqual(zero);
      const unreachable = joiners.filter((r) => r.reachable === '0').map((r) => r.state);
      expect(s.joiners_unreachable === '' ? [] : s.joiners_unreachable.split(';')).toEqual(unreachable);
      // A state no path reaches never enters in any run.
      for (const r of allRows.filter((x) => x.war === s.war && x.reachable === '0'))
        expect(r.p_enters).toBe('0');
    }
  });

  it('accepts the development wars as COW has them: Germany on both sides of the Latvian war, scored once', () => {
    const devRows = readCsv(join(dirs.dev, 'backtest.csv'));
    const devSummary = readCsv(join(dirs.dev, 'backtest-summary.csv'));
    expect(devSummary.filter((r) => r.row_type === 'war')).toHaveLength(87);
    const germany = devRows.filter((r) => r.war === '1918 Latvian Liberation' && r.state === 'GMY');
    expect(germany).toEqual([
      expect.objectContaining({
        entered: '1',
        entered_side: 'target',
        switched_side: '1',
        entry_date: '1918-12-07',
      }),
    ]);
    // Every joiner listed is scored or named as not a candidate (Angola, not yet a state in October 1975).
    const overall = devSummary.find((r) => r.row_type === 'overall')!;
    expect(Number(overall.joiners)).toBe(99);
    expect(Number(overall.entered)).toBe(98);
    expect(devSummary.find((r) => r.war === '1975 War over Angola')!.joiners_not_candidates).toBe('ANG');
  });

  it('scores at least as many states with --states all, and every system member but the belligerents', () => {
    expect(allRows.length).toBeGreaterThanOrEqual(rows.length);
    expect(allRows.length).toBeGreaterThan(rows.length);
    for (const war of ['1866', '1870', '1914', '1950']) {
      const rel = warRows(rows, war).map((r) => r.state);
      const all = new Set(warRows(allRows, war).map((r) => r.state));
      for (const s of rel) expect(all.has(s)).toBe(true);
    }
    const wars = parseWars(readFileSync(WARS, 'utf8'), WARS);
    const w1914 = wars.find((w) => w.year === 1914)!;
    const { scenario } = importCow({ year: 1914, date: w1914.startDate, initiator: 'AUH', target: 'YUG' });
    expect(warRows(allRows, '1914').length).toBe(scenario.states.length - 2);
    expect(allSummary.every((r) => r.states === 'all')).toBe(true);
    expect(summary.every((r) => r.states === 'relevant')).toBe(true);
  });
});

describe('entangle backtest: bad input', () => {
  const oneLine = (r: { status: number | null; stderr: string }) => {
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    return r.stderr;
  };

  it('a missing wars file: exit 2, one line naming it', () => {
    const missing = join(tmpdir(), 'entangle-no-such-wars.csv');
    const msg = oneLine(
      entangle(['backtest', missing, '--runs', '10', '--out', join(tmpdir(), 'entangle-bt-never')]),
    );
    expect(msg).toContain(missing);
    expect(msg).toMatch(/not found/);
  });

  it('a missing column: exit 2, one line naming the column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entangle-bt-bad-'));
    try {
      const lines = readFileSync(WARS, 'utf8').split('\n');
      const header = lines[0]!.split(',');
      const drop = header.indexOf('joiners');
      // Drop the joiners column from the header only: csv-parse would reject ragged rows, so
      // rename it instead, which leaves the file valid but without the column.
      header[drop] = 'who_joined';
      const file = join(dir, 'wars.csv');
      writeFileSync(file, [header.join(','), ...lines.slice(1)].join('\n'));
      const msg = oneLine(entangle(['backtest', file, '--runs', '10', '--out', join(dir, 'out')]));
      expect(msg).toContain(file);
      expect(msg).toContain('"joiners"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad joiners cell, an unknown --states or --param: exit 2, one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entangle-bt-bad-'));
    try {
      const file = join(dir, 'wars.csv');
      writeFileSync(
        file,
        'war_label,start_date,init_a_ccode,init_a_side,init_b_ccode,init_b_side,joiners\nX,1914-07-29,300,2,345,1,255-GMY\n',
      );
      expect(oneLine(entangle(['backtest', file, '--runs', '10', '--out', join(dir, 'o')]))).toMatch(
        /line 2, column joiners/,
      );
      oneLine(entangle(['backtest', WARS, '--states', 'some', '--runs', '10', '--out', join(dir, 'o')]));
      expect(
        oneLine(entangle(['backtest', WARS, '--param', 'reliability.alliance=0.5', '--out', join(dir, 'o')])),
      ).toContain('reliability.alliance');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
