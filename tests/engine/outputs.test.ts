/**
 * The CSV contract of MODEL.md ("Per-run outcome", "Per-cell summary", "Files") and DESIGN.md
 * ("Conventions"), end to end through the built CLI: exact headers, then every summary,
 * joiners and sizes figure recomputed independently from runs.csv with formulas written here
 * (PERCENTILE.INC quantiles, sample standard deviation, Wilson intervals).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');

const RUNS = 2000;
const EQ_NAME = '=SUM(A1:A3)';
const PLAIN_NAME = 'Plain, "quoted" name';

/** Eight states, mixed pacts and borders, so war sizes spread out and quantiles interpolate. */
const scenario = (name: string, firstId: string) => `
name: ${JSON.stringify(name)}
states:
  - { id: ${JSON.stringify(firstId)}, capability: 0.30, greatPower: true }
  - { id: BBB, capability: 0.25, greatPower: true }
  - { id: CCC, capability: 0.05 }
  - { id: DDD, capability: 0.10 }
  - { id: EEE, capability: 0.20, greatPower: true }
  - { id: FFF, capability: 0.04 }
  - { id: GGG, capability: 0.03 }
  - { id: HHH, capability: 0.03 }
borders: [[${JSON.stringify(firstId)}, CCC], [BBB, DDD], [CCC, DDD], [EEE, FFF], [FFF, CCC], [GGG, HHH], [HHH, DDD]]
alliances:
  - { name: Northern Pact, type: defense, members: [${JSON.stringify(firstId)}, CCC], nonprovocation: true }
  - { name: Southern League, type: offense, members: [BBB, DDD], reliability: 0.9 }
  - { name: Corwen guarantee, type: defense, members: [BBB, CCC], guarantors: [BBB] }
  - { name: Eastern entente, type: entente, members: [EEE, FFF, GGG] }
  - { name: Quiet pact, type: neutrality, members: [EEE, BBB] }
  - { name: Small pact, type: defense, members: [GGG, HHH, CCC] }
crisis: { initiator: DDD, target: CCC }
params: { borderHazard: 0.05 }
`;

// 2 scenarios × 2 × 3 swept values = 12 cells. The range 0.1..0.3 by 0.1 must give three
// values (a drifting 0.1 + 0.1 + 0.1 = 0.30000000000000004 > 0.3 would give two).
const EXPERIMENT = `
name: outputs
seed: 77
runs: ${RUNS}
batchSize: 500
scenarios: [eq.yaml, plain.yaml]
sweep:
  reliability.defense: [0.5, 0.9]
  offenseDominance: { from: 0.1, to: 0.3, step: 0.1 }
`;

const BOOLEANS = [
  'contained',
  'great_power_war',
  'world_war',
  'mediated',
  'initiator_prevails',
  'war',
  'deterred',
];
const COUNTS = [
  'participants',
  'participants_initiator_side',
  'participants_target_side',
  'great_powers',
  'steps',
  'commitments_triggered',
  'commitments_honored',
  'abandonments',
  'entrapments',
  'buck_passes',
  'cross_pressured',
];
// MODEL.md "Per-run outcome", in its order.
const RUN_COLUMNS = [
  'cell',
  'scenario',
  'run',
  'participants',
  'participants_initiator_side',
  'participants_target_side',
  'great_powers',
  'great_power_war',
  'world_war',
  'capability_share',
  'steps',
  'contained',
  'mediated',
  'initiator_prevails',
  'war',
  'deterred',
  'commitments_triggered',
  'commitments_honored',
  'abandonments',
  'entrapments',
  'buck_passes',
  'cross_pressured',
  'initiator_expected_win',
];
const STATE_IDS = (first: string) => [first, 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH'];

type Table = { header: string[]; rows: Record<string, string>[]; text: string };

let dir: string;
const tables: Record<string, Table> = {};

function readTable(file: string): Table {
  const text = readFileSync(join(dir, 'out', file), 'utf8');
  const records = parse(text, { relax_column_count: false }) as string[][];
  const header = records[0]!;
  const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
  return { header, rows, text };
}

// ---------------------------------------------------------------------------------------------
// Independent statistics

/** Excel PERCENTILE.INC / NumPy default: linear interpolation at position (n − 1)·q of the sorted values. */
function percentileInc(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (divisor n − 1), as a spreadsheet's STDEV.S. */
function sampleSd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Wilson score interval at 95 %: z = Φ⁻¹(0.975). */
function wilsonInterval(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const denom = 1 + (z * z) / n;
  return [Math.max(0, (centre - spread) / denom), Math.min(1, (centre + spread) / denom)];
}

/** Files hold 12 significant digits, so 1e-9 relative is generous yet catches any real mismatch. */
function expectClose(actual: string | undefined, expected: number, what: string): void {
  expect(actual, what).toBeDefined();
  expect(actual, what).not.toBe('');
  const a = Number(actual);
  expect(Number.isFinite(a), `${what}: ${actual}`).toBe(true);
  const tol = 1e-9 * Math.max(Math.abs(expected), Math.abs(a)) + 1e-14;
  expect(Math.abs(a - expected), `${what}: file ${actual}, recomputed ${expected}`).toBeLessThanOrEqual(tol);
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-outputs-'));
  writeFileSync(join(dir, 'eq.yaml'), scenario(EQ_NAME, '@AT'));
  writeFileSync(join(dir, 'plain.yaml'), scenario(PLAIN_NAME, 'AAA'));
  writeFileSync(join(dir, 'experiment.yaml'), EXPERIMENT);
  await promisify(execFile)(
    process.execPath,
    [
      CLI,
      'run',
      join(dir, 'experiment.yaml'),
      '--out',
      join(dir, 'out'),
      '--runs-csv',
      '--quiet',
      '--workers',
      '2',
    ],
    {
      cwd: ROOT,
    },
  );
  for (const f of ['summary.csv', 'joiners.csv', 'sizes.csv', 'runs.csv']) tables[f] = readTable(f);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The cells in the order of summary.csv, with their runs from runs.csv. */
function cells() {
  const runs = tables['runs.csv']!.rows;
  return tables['summary.csv']!.rows.map((s) => ({ s, runs: runs.filter((r) => r.cell === s.cell) }));
}

describe('headers', () => {
  it('summary.csv: cell, scenario, the swept names, runs, then the summary columns', () => {
    const h = tables['summary.csv']!.header;
    expect(h.slice(0, 5)).toEqual(['cell', 'scenario', 'reliability.defense', 'offenseDominance', 'runs']);
    const required = [
      ...BOOLEANS.flatMap((f) => [`p_${f}`, `p_${f}_lo`, `p_${f}_hi`]),
      ...['mean', 'sd', 'p50', 'p90', 'p99', 'max'].flatMap((s) =>
        ['participants', 'participants_initiator_side', 'participants_target_side'].map((f) => `${f}_${s}`),
      ),
      ...COUNTS.map((f) => `${f}_mean`),
      'honor_rate',
    ];
    for (const c of required) expect(h, c).toContain(c);
    expect(new Set(h).size).toBe(h.length);
    for (const c of h.slice(4)) expect(c).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('joiners.csv, sizes.csv and runs.csv are exactly as MODEL.md names them', () => {
    expect(tables['joiners.csv']!.header).toEqual([
      'cell',
      'scenario',
      'state',
      'state_name',
      'p_enters',
      'p_initiator_side',
      'p_target_side',
      'mean_entry_step',
    ]);
    expect(tables['sizes.csv']!.header).toEqual(['cell', 'participants', 'runs', 'share']);
    expect(tables['runs.csv']!.header).toEqual(RUN_COLUMNS);
  });

  it('leaves no temporary files', () => {
    expect(readdirSync(join(dir, 'out')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('cells', () => {
  it('are every scenario × parameter point, each with all its runs', () => {
    const rows = tables['summary.csv']!.rows;
    expect(rows.map((r) => r.cell)).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    const points = rows.map((r) => `${r.scenario}|${r['reliability.defense']}|${r.offenseDominance}`).sort();
    const expected: string[] = [];
    for (const name of [`'${EQ_NAME}`, PLAIN_NAME])
      for (const rd of ['0.5', '0.9'])
        for (const od of ['0.1', '0.2', '0.3']) expected.push(`${name}|${rd}|${od}`);
    expect(points).toEqual(expected.sort());
    for (const r of rows) expect(r.runs).toBe(String(RUNS));
    if (tables['summary.csv']!.header.includes('seed')) for (const r of rows) expect(r.seed).toBe('77');
  });

  it('neutralises a scenario name starting with = and keeps RFC 4180 quoting intact', () => {
    const names = new Set(tables['summary.csv']!.rows.map((r) => r.scenario));
    expect(names).toEqual(new Set([`'${EQ_NAME}`, PLAIN_NAME]));
    // Nowhere in the raw text does a field start with a bare formula character.
    expect(tables['summary.csv']!.text).not.toMatch(/(^|,)=/m);
    expect(tables['joiners.csv']!.text).not.toMatch(/(^|,)@/m);
    expect(tables['joiners.csv']!.rows.filter((r) => r.state === "'@AT")).toHaveLength(6);
  });
});

describe('runs.csv', () => {
  it('has one row per run, numbered 0.. within each cell, its scenario named, booleans as 1/0', () => {
    for (const { s, runs } of cells()) {
      expect(runs).toHaveLength(RUNS);
      expect(
        runs.filter((r, i) => r.run !== String(i)),
        `cell ${s.cell}: misnumbered runs`,
      ).toEqual([]);
      expect(
        runs.filter((r) => r.scenario !== s.scenario),
        `cell ${s.cell}: another scenario's name`,
      ).toEqual([]);
      const badBooleans = runs.flatMap((r) =>
        BOOLEANS.filter((f) => r[f] !== '1' && r[f] !== '0').map((f) => `${f}=${r[f]}`),
      );
      expect(badBooleans, `cell ${s.cell}`).toEqual([]);
    }
  });

  it('is internally consistent (MODEL.md definitions)', () => {
    const rows = tables['runs.csv']!.rows;
    const broken = (what: string, ok: (n: (f: string) => number, r: Record<string, string>) => boolean) => {
      const bad = rows.filter((r) => !ok((f) => Number(r[f]), r));
      expect(bad.slice(0, 3), `${what}: ${bad.length} rows break it`).toEqual([]);
    };
    broken(
      'participants = both sides',
      (n) => n('participants') === n('participants_initiator_side') + n('participants_target_side'),
    );
    // Contained: only A and B fought.
    broken('contained iff 2 participants', (n, r) => (r.contained === '1') === (n('participants') === 2));
    // A triggered commitment is either honored or abandoned (counted once).
    broken(
      'triggered = honored + abandonments',
      (n) => n('commitments_triggered') === n('commitments_honored') + n('abandonments'),
    );
    broken('great powers among participants', (n) => n('great_powers') <= n('participants'));
    broken('capability share in (0, 1]', (n) => n('capability_share') > 0 && n('capability_share') <= 1);
    broken('1 ≤ steps ≤ maxSteps', (n) => n('steps') >= 1 && n('steps') <= 48);
    // The scenario is not degenerate: some wars stay contained, some spread, sizes vary.
    const contained = rows.filter((r) => r.contained === '1').length;
    expect(contained).toBeGreaterThan(0);
    expect(contained).toBeLessThan(rows.length);
    expect(new Set(rows.map((r) => r.participants)).size).toBeGreaterThanOrEqual(4);
  });
});

describe('summary.csv recomputed from runs.csv', () => {
  it('shares and Wilson intervals of every 0/1 outcome', () => {
    for (const { s, runs } of cells()) {
      for (const f of BOOLEANS) {
        const x = runs.filter((r) => r[f] === '1').length;
        const [lo, hi] = wilsonInterval(x, runs.length);
        expectClose(s[`p_${f}`], x / runs.length, `cell ${s.cell} p_${f}`);
        expectClose(s[`p_${f}_lo`], lo, `cell ${s.cell} p_${f}_lo`);
        expectClose(s[`p_${f}_hi`], hi, `cell ${s.cell} p_${f}_hi`);
        // At x = 0 the lower bound is exactly 0 (centre and half-width are both z²/2n over the
        // same denominator), and at x = n the upper bound exactly 1: no float residue like 1e-19.
        if (x === 0) expect(s[`p_${f}_lo`], `cell ${s.cell} p_${f}_lo at x = 0`).toBe('0');
        if (x === runs.length) expect(s[`p_${f}_hi`], `cell ${s.cell} p_${f}_hi at x = n`).toBe('1');
      }
    }
  });

  it('mean, sd, p50, p90, p99 and max of every count', () => {
    const header = tables['summary.csv']!.header;
    let interpolated = 0;
    for (const { s, runs } of cells()) {
      for (const f of COUNTS) {
        const xs = runs.map((r) => Number(r[f]));
        const sorted = [...xs].sort((a, b) => a - b);
        const expected: Record<string, number> = {
          mean: mean(xs),
          sd: sampleSd(xs),
          p50: percentileInc(sorted, 0.5),
          p90: percentileInc(sorted, 0.9),
          p99: percentileInc(sorted, 0.99),
          max: sorted[sorted.length - 1]!,
        };
        for (const [stat, value] of Object.entries(expected)) {
          if (header.includes(`${f}_${stat}`))
            expectClose(s[`${f}_${stat}`], value, `cell ${s.cell} ${f}_${stat}`);
        }
        if (!Number.isInteger(expected.p99!) || !Number.isInteger(expected.p90!)) interpolated++;
      }
    }
    // At least some quantiles fall between two different order statistics, so interpolation is tested.
    expect(interpolated).toBeGreaterThan(0);
  });

  it('capability_share_mean and honor_rate (pooled honored / triggered)', () => {
    const header = tables['summary.csv']!.header;
    for (const { s, runs } of cells()) {
      if (header.includes('capability_share_mean')) {
        expectClose(
          s.capability_share_mean,
          mean(runs.map((r) => Number(r.capability_share))),
          `cell ${s.cell} capability_share_mean`,
        );
      }
      const triggered = runs.reduce((a, r) => a + Number(r.commitments_triggered), 0);
      const honored = runs.reduce((a, r) => a + Number(r.commitments_honored), 0);
      expect(triggered).toBeGreaterThan(0);
      expectClose(s.honor_rate, honored / triggered, `cell ${s.cell} honor_rate`);
    }
  });
});

describe('sizes.csv', () => {
  it('counts equal the runs.csv counts of each war size and shares sum to 1', () => {
    const sizes = tables['sizes.csv']!.rows;
    for (const { s, runs } of cells()) {
      const counted = new Map<string, number>();
      for (const r of runs) counted.set(r.participants!, (counted.get(r.participants!) ?? 0) + 1);
      const rows = sizes.filter((r) => r.cell === s.cell);
      expect(new Map(rows.map((r) => [r.participants!, Number(r.runs)]))).toEqual(counted);
      expect(rows.map((r) => Number(r.participants))).toEqual(
        [...counted.keys()].map(Number).sort((a, b) => a - b),
      );
      for (const r of rows)
        expectClose(r.share, Number(r.runs) / RUNS, `cell ${s.cell} share of ${r.participants}`);
      const total = rows.reduce((a, r) => a + Number(r.share), 0);
      expect(Math.abs(total - 1)).toBeLessThan(1e-9);
    }
  });
});

describe('joiners.csv', () => {
  it('has every state of each cell, in scenario order, with consistent shares', () => {
    const joiners = tables['joiners.csv']!.rows;
    for (const { s, runs } of cells()) {
      const rows = joiners.filter((r) => r.cell === s.cell);
      const first = s.scenario === PLAIN_NAME ? 'AAA' : "'@AT";
      expect(rows.map((r) => r.state)).toEqual(STATE_IDS(first));
      for (const r of rows) {
        const [pe, p1, p2] = [Number(r.p_enters), Number(r.p_initiator_side), Number(r.p_target_side)];
        for (const p of [pe, p1, p2]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        // A state that entered is on exactly one side.
        expect(Math.abs(pe - (p1 + p2)), `${r.state}`).toBeLessThan(1e-9);
        if (pe === 0) expect(r.mean_entry_step).toBe('');
        else {
          expect(Number(r.mean_entry_step)).toBeGreaterThanOrEqual(0);
          expect(Number(r.mean_entry_step)).toBeLessThanOrEqual(48);
        }
      }
      // The crisis: DDD attacks CCC at step 0, in every run.
      const ddd = rows.find((r) => r.state === 'DDD')!;
      const ccc = rows.find((r) => r.state === 'CCC')!;
      expect([ddd.p_enters, ddd.p_initiator_side, ddd.mean_entry_step].map(Number)).toEqual([1, 1, 0]);
      expect([ccc.p_enters, ccc.p_target_side, ccc.mean_entry_step].map(Number)).toEqual([1, 1, 0]);
      // Summed over states, entry shares are the mean war size (per side and in all).
      const sum = (k: string) => rows.reduce((a, r) => a + Number(r[k]), 0);
      const meanOf = (f: string) => mean(runs.map((r) => Number(r[f])));
      expectClose(String(sum('p_enters')), meanOf('participants'), `cell ${s.cell} Σ p_enters`);
      expectClose(
        String(sum('p_initiator_side')),
        meanOf('participants_initiator_side'),
        `cell ${s.cell} Σ p_initiator_side`,
      );
      expectClose(
        String(sum('p_target_side')),
        meanOf('participants_target_side'),
        `cell ${s.cell} Σ p_target_side`,
      );
    }
  });
});

describe('every file', () => {
  const TEXT = new Set(['scenario', 'state', 'state_name']);
  it('holds no NaN or Infinity, plain decimals only, and no empty cell where a value is due', () => {
    for (const [file, t] of Object.entries(tables)) {
      const bad = new Set<string>();
      for (const r of t.rows) {
        for (const [k, v] of Object.entries(r)) {
          if (TEXT.has(k)) continue;
          // Only a never-entering state's mean entry step may be empty (honor_rate too, when no
          // commitment was triggered: not the case here, see above).
          if (v === '') {
            if (`${file}:${k}` !== 'joiners.csv:mean_entry_step') bad.add(`${k} empty`);
          } else if (v === 'true' || v === 'false') {
            bad.add(`${k}=${v}`); // booleans are written 1/0
          } else if (!/^-?\d+(\.\d+)?$/.test(v)) bad.add(`${k}=${v}`); // NaN, Infinity, 1e-7, 1,5 …
        }
      }
      expect([...bad], file).toEqual([]);
    }
  });
});
