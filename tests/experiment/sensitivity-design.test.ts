/**
 * Sobol and Morris designs from the experiment file to the plan's cells, and the analysis of a
 * design's summary rows (which cell plays which part, the noise share, a tampered file).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { buildPlan, planInfo } from '../../src/experiment/plan.js';
import { analyseDesign, type SummaryInput } from '../../src/experiment/sensitivity.js';
import { experimentFromData } from '../../src/scenario/experiment.js';

const blocs = { generator: 'blocs', states: 12, tightness: 0.5, perRun: true };

function experiment(extra: Record<string, unknown>) {
  return experimentFromData({ name: 'design test', scenarios: [blocs], ...extra }, 'exp.yaml');
}

const SWEEP = {
  offenseDominance: { from: 0.2, to: 0.8 },
  settlement: { from: 0.05, to: 0.25 },
  tightness: { from: 0, to: 1 },
};

function plan(extra: Record<string, unknown>, seed = 1914) {
  return buildPlan(experiment({ sweep: SWEEP, ...extra }), { runs: 10, seed, version: 'test' });
}

describe('a Sobol design in an experiment file', () => {
  it('has N·(D + 2) cells in Saltelli blocks A, AB^1 … AB^D, B over the sweep’s ranges', () => {
    const p = plan({ design: { sobol: 16 } });
    expect(p.cells).toHaveLength(16 * 5);
    expect(p.design).toEqual({
      kind: 'sobol',
      n: 16,
      secondOrder: false,
      scramble: false,
      factors: [
        { name: 'offenseDominance', from: 0.2, to: 0.8 },
        { name: 'settlement', from: 0.05, to: 0.25 },
        { name: 'tightness', from: 0, to: 1 },
      ],
    });
    expect(planInfo(p).design).toEqual(p.design);
    // Base point 1 of the unscrambled sequence is (½, …, ½) in all six dimensions.
    const mid = { offenseDominance: 0.5, settlement: 0.15, tightness: 0.5 };
    const near = (a: Record<string, number>, b: Record<string, number>) =>
      Object.keys(b).every((k) => Math.abs(a[k]! - b[k]!) < 1e-12) && Object.keys(a).length === 3;
    for (let c = 5; c < 10; c++) expect(near(p.cells[c]!.point, mid), `cell ${c}`).toBe(true);
    // Base point 2 is (¾, ¼, ¼ | ¼, ¾, ¾): A, then each factor from B in turn, then B.
    const at = (u: number[]) => ({
      offenseDominance: 0.2 + 0.6 * u[0]!,
      settlement: 0.05 + 0.2 * u[1]!,
      tightness: u[2]!,
    });
    const block = p.cells.slice(10, 15).map((c) => c.point);
    const expected = [
      at([0.75, 0.25, 0.25]),
      at([0.25, 0.25, 0.25]),
      at([0.75, 0.75, 0.25]),
      at([0.75, 0.25, 0.75]),
      at([0.25, 0.75, 0.75]),
    ];
    for (const [i, point] of block.entries()) expect(near(point, expected[i]!), `cell ${10 + i}`).toBe(true);
    // Generator fields are factors like parameters: the cell's system takes the swept tightness.
    const system = p.cells[12]!.system;
    expect(system.kind === 'perRun' && system.spec.tightness).toBe(0.25);
    expect(p.cells[12]!.params.offenseDominance).toBeCloseTo(0.65, 12);
  });

  it('adds the BA cells with secondOrder, and scrambles reproducibly from the seed', () => {
    expect(plan({ design: { sobol: 8, secondOrder: true } }).cells).toHaveLength(8 * 8);
    const plain = plan({ design: { sobol: 8 } }, 1).cells.map((c) => c.point);
    expect(plan({ design: { sobol: 8 } }, 2).cells.map((c) => c.point)).toEqual(plain);
    const scrambled = plan({ design: { sobol: 8, scramble: true } }, 1).cells.map((c) => c.point);
    expect(scrambled).not.toEqual(plain);
    expect(plan({ design: { sobol: 8, scramble: true } }, 1).cells.map((c) => c.point)).toEqual(scrambled);
    expect(plan({ design: { sobol: 8, scramble: true } }, 2).cells.map((c) => c.point)).not.toEqual(
      scrambled,
    );
  });

  it('runs every scenario over the same points, one after another', () => {
    const spec = experimentFromData(
      {
        scenarios: [blocs, { ...blocs, tightness: 0.9 }],
        sweep: { settlement: SWEEP.settlement },
        design: { sobol: 4 },
      },
      'exp.yaml',
    );
    const p = buildPlan(spec, { runs: 10, seed: 1, version: 'test' });
    expect(p.cells).toHaveLength(2 * 4 * 3);
    expect(p.cells.slice(12).map((c) => c.point)).toEqual(p.cells.slice(0, 12).map((c) => c.point));
  });

  it('leaves grids and Latin hypercubes without a design record', () => {
    expect('design' in plan({ design: { lhs: 5 } })).toBe(false);
    const grid = buildPlan(experiment({ sweep: { settlement: [0.1, 0.2] } }), {
      runs: 10,
      seed: 1,
      version: 't',
    });
    expect('design' in grid).toBe(false);
  });
});

describe('a Morris design in an experiment file', () => {
  it('has R·(D + 1) cells on the grid of levels, one factor moving per step', () => {
    const p = plan({ design: { morris: { trajectories: 6, levels: 4 } } });
    expect(p.cells).toHaveLength(6 * 4);
    const levels = [0, 1 / 3, 2 / 3, 1].map((u) => 0.05 + 0.2 * u);
    for (const c of p.cells) {
      expect(levels.some((l) => Math.abs(l - c.point.settlement!) < 1e-12)).toBe(true);
      expect([0, 1 / 3, 2 / 3, 1].some((l) => Math.abs(l - c.point.tightness!) < 1e-12)).toBe(true);
    }
    for (let c = 1; c < 4; c++) {
      const moved = Object.keys(SWEEP).filter((k) => p.cells[c]!.point[k] !== p.cells[c - 1]!.point[k]);
      expect(moved).toHaveLength(1);
    }
  });
});

describe('design mistakes', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { design: { sobol: 8, morris: { trajectories: 4, levels: 4 } } },
      /^exp\.yaml: design: expected one design, found sobol and morris/,
    ],
    [{ design: {} }, /^exp\.yaml: design: expected one of lhs: N, sobol: N or morris/],
    [{ design: { lhs: 8, secondOrder: true } }, /^exp\.yaml: design\.secondOrder: only a Sobol design/],
    [
      { design: { morris: { trajectories: 4, levels: 5 } } },
      /^exp\.yaml: design\.morris\.levels: expected an even number of levels/,
    ],
    [
      { design: { morris: { trajectories: 1, levels: 4 } } },
      /design\.morris\.trajectories: expected the number of trajectories ≥ 2/,
    ],
    [
      { design: { sobol: 1 } },
      /design\.sobol: expected the number of Sobol base points \(sobol\), best a power of 2 ≥ 2/,
    ],
    [{ design: { sobol: 8, scramble: 'yes' } }, /design\.scramble: expected scramble: true or false/],
    [{ design: { sobol: 8, extra: 1 } }, /design/],
    [
      { design: { sobol: 8 }, sweep: { settlement: [0.1, 0.2] } },
      /^exp\.yaml: sweep\.settlement: a Sobol design needs ranges \{ from, to \}, not lists/,
    ],
    [
      { design: { morris: { trajectories: 4, levels: 4 } }, sweep: {} },
      /^exp\.yaml: design: a Morris design needs ranges under sweep/,
    ],
  ];
  it('are one InputError naming the file and the key', () => {
    for (const [extra, message] of cases) {
      const read = () => experiment({ sweep: SWEEP, ...extra });
      expect(read, JSON.stringify(extra)).toThrow(InputError);
      expect(read, JSON.stringify(extra)).toThrow(message);
    }
  });

  it('include a factor of zero width (checked when the plan is built)', () => {
    const build = () => plan({ design: { sobol: 8 }, sweep: { settlement: { from: 0.1, to: 0.1 } } });
    expect(build).toThrow(InputError);
    expect(build).toThrow(/^exp\.yaml: sweep\.settlement: a Sobol design needs a range with to above from/);
  });
});

/** summary.csv rows of a plan whose outputs are given functions of the cell's point. */
function summaryOf(
  p: ReturnType<typeof plan>,
  outputs: (point: Record<string, number>) => Record<string, number>,
  runs = 1000,
): SummaryInput {
  const keys = p.sweepKeys;
  const rows = p.cells.map((c) => {
    const row: Record<string, string> = { cell: String(c.index), scenario: c.scenario, runs: String(runs) };
    for (const k of keys) row[k] = String(Number(c.point[k]!.toPrecision(12)));
    for (const [k, v] of Object.entries(outputs(c.point))) row[k] = String(v);
    return row;
  });
  const header = ['cell', 'scenario', ...keys, 'runs', ...Object.keys(outputs(p.cells[0]!.point))];
  return { file: 'summary.csv', header, rows, lines: rows.map((_, i) => i + 2) };
}

describe('the analysis of a design’s summary rows', () => {
  // A share that only offenseDominance and settlement move; tightness is inert.
  const share = (x: Record<string, number>) => 0.2 + 0.5 * (x.offenseDominance! - 0.2) + 0.5 * x.settlement!;
  const outputs = (x: Record<string, number>) => ({
    p_contained: share(x),
    p_great_power_war: 0.3,
    p_world_war: 1 - share(x),
    participants_mean: 2 + 10 * x.settlement!,
    participants_sd: 1,
  });

  it('writes one tidy row per output × parameter, empty where the output is constant', () => {
    const p = plan({ design: { sobol: 64 } });
    const result = analyseDesign(p.design!, summaryOf(p, outputs), { seed: 1, resamples: 100 });
    expect(result.columns).toEqual([
      'scenario',
      'output',
      'parameter',
      'S1',
      'S1_lo',
      'S1_hi',
      'ST',
      'ST_lo',
      'ST_hi',
      'noise_share',
    ]);
    expect(result.rows.map((r) => `${r.output}/${r.parameter}`)).toEqual(
      ['p_contained', 'p_great_power_war', 'p_world_war', 'participants_mean'].flatMap((o) =>
        Object.keys(SWEEP).map((k) => `${o}/${k}`),
      ),
    );
    const row = (o: string, k: string) => result.rows.find((r) => r.output === o && r.parameter === k)!;
    // Additive: S1 = ST = share of variance. Var(0.5·U(0.2, 0.8)) : Var(0.5·U(0.05, 0.25)) = 0.36 : 0.04.
    expect(row('p_contained', 'offenseDominance').S1).toBeCloseTo(0.9, 1);
    expect(row('p_contained', 'settlement').ST).toBeCloseTo(0.1, 1);
    expect(row('p_contained', 'tightness').S1).toBe(0);
    expect(row('p_contained', 'tightness').ST).toBe(0);
    // Only settlement moves it: its S1 is 1 up to the estimator's sampling error at N = 64.
    expect(row('participants_mean', 'settlement').S1).toBeCloseTo(1, 1);
    expect(row('participants_mean', 'offenseDominance').ST).toBe(0);
    expect(row('p_great_power_war', 'settlement').S1).toBeUndefined();
    expect(result.s2Rows).toBeUndefined();
  });

  it('gives the noise share: p(1 − p)/runs for a share, sd²/runs for a mean, over the variance across cells', () => {
    const p = plan({ design: { sobol: 32 } });
    const summary = summaryOf(p, outputs, 400);
    const result = analyseDesign(p.design!, summary, { seed: 1, resamples: 20 });
    const values = summary.rows.map((r) => Number(r.p_contained));
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const across = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
    const within = values.reduce((s, x) => s + (x * (1 - x)) / 400, 0) / values.length;
    const noise = (o: string) => result.noise.find((n) => n.output === o)!.share;
    expect(noise('p_contained')).toBeCloseTo(within / across, 12);
    const means = summary.rows.map((r) => Number(r.participants_mean));
    const m = means.reduce((s, x) => s + x, 0) / means.length;
    const acrossMeans = means.reduce((s, x) => s + (x - m) ** 2, 0) / means.length;
    expect(noise('participants_mean')).toBeCloseTo(1 / 400 / acrossMeans, 12);
    expect(noise('p_great_power_war')).toBeUndefined();
  });

  it('reads Morris designs into mu, mu_star and sigma in units of each factor’s range', () => {
    const p = plan({ design: { morris: { trajectories: 20, levels: 4 } } });
    const result = analyseDesign(p.design!, summaryOf(p, outputs), { seed: 1, resamples: 100 });
    const row = (o: string, k: string) => result.rows.find((r) => r.output === o && r.parameter === k)!;
    // p_contained rises by 0.5 · 0.6 = 0.3 over offenseDominance's range; p_world_war falls as much.
    expect(row('p_contained', 'offenseDominance').mu).toBeCloseTo(0.3, 9);
    expect(row('p_world_war', 'offenseDominance').mu).toBeCloseTo(-0.3, 9);
    expect(row('p_world_war', 'offenseDominance').mu_star).toBeCloseTo(0.3, 9);
    expect(row('participants_mean', 'settlement').mu_star).toBeCloseTo(2, 9);
    expect(row('p_contained', 'tightness').mu_star).toBe(0);
    expect(row('p_contained', 'offenseDominance').sigma).toBeCloseTo(0, 9);
  });

  it('refuses rows that do not follow the design', () => {
    const p = plan({ design: { sobol: 8 } });
    const summary = summaryOf(p, outputs);
    summary.rows[6]!.settlement = '0.2';
    expect(() => analyseDesign(p.design!, summary, { seed: 1, resamples: 10 })).toThrow(
      /^summary\.csv: line 8: settlement does not follow the Sobol design in manifest\.json/,
    );
    const short = summaryOf(p, outputs);
    short.rows.pop();
    expect(() => analyseDesign(p.design!, short, { seed: 1, resamples: 10 })).toThrow(
      /^summary\.csv: 39 cells, but the design in manifest\.json has 40 per scenario/,
    );
    const m = plan({ design: { morris: { trajectories: 3, levels: 4 } } });
    const bad = summaryOf(m, outputs);
    bad.rows[1] = { ...bad.rows[0]!, cell: '1' };
    expect(() => analyseDesign(m.design!, bad, { seed: 1, resamples: 10 })).toThrow(
      /^summary\.csv: line 3: the swept values do not follow the Morris design/,
    );
  });
});
