/**
 * Sensitivity analysis of a Sobol or Morris design from its summary.csv rows: which cell plays
 * which part follows from the design's record (cells in the design's order, scenario by
 * scenario), checked against the swept values the rows carry. Works on summary rows only, so
 * it costs nothing during a run and gives the same numbers from a merge of shards.
 */
import { InputError } from '../errors.js';
import { RunRng } from '../model/rng.js';
import { type Estimate, STREAM_BOOTSTRAP } from './bootstrap.js';
import { type DesignRecord, designCells } from './design.js';
import { type MorrisStep, morrisDelta, morrisIndices } from './morris.js';
import { saltelliCellsPerBase, saltelliOffsets } from './saltelli.js';
import { sobolIndices } from './sobol-indices.js';
import { finiteCell, type Row } from './summary.js';

/** summary.csv columns analysed, when present (p_deterred and p_war appeared with model version 2). */
export const SENSITIVITY_OUTPUTS = [
  'p_war',
  'p_deterred',
  'p_contained',
  'p_great_power_war',
  'p_world_war',
  'participants_mean',
] as const;

/** Outputs every summary.csv must have for an analysis. */
const REQUIRED_OUTPUTS = ['p_contained', 'p_great_power_war', 'p_world_war', 'participants_mean'];

/** sensitivity.csv of a Sobol design: one row per scenario × output × parameter. */
export const SOBOL_COLUMNS = [
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
];
/** sensitivity-s2.csv: one row per scenario × output × pair of parameters. */
export const S2_COLUMNS = ['scenario', 'output', 'parameter_1', 'parameter_2', 'S2', 'S2_lo', 'S2_hi'];
/** sensitivity.csv of a Morris design. */
export const MORRIS_COLUMNS = [
  'scenario',
  'output',
  'parameter',
  'mu',
  'mu_star',
  'sigma',
  'mu_star_lo',
  'mu_star_hi',
  'noise_share',
];

/** The noise share of one output in one scenario (undefined when the output does not vary). */
export interface NoiseShare {
  scenario: string;
  output: string;
  share: number | undefined;
}

/** What the analysis writes: sensitivity.csv rows, sensitivity-s2.csv rows where asked, noise shares. */
export interface SensitivityResult {
  columns: string[];
  rows: Row[];
  s2Rows?: Row[];
  noise: NoiseShare[];
}

/** The summary rows to analyse, as read from summary.csv (text cells) with each row's line. */
export interface SummaryInput {
  file: string;
  header: string[];
  rows: Record<string, string>[];
  lines: number[];
}

/**
 * The within-cell variance of a cell's value over the variance of the values across cells:
 * the part of the spread across cells that is the model's own Monte Carlo noise. For a share
 * p over n runs the within-cell variance is p(1 − p)/n; for a mean it is sd²/n.
 */
export function noiseShare(
  values: readonly number[],
  withinVariances: readonly number[],
): number | undefined {
  const n = values.length;
  if (values.every((x) => x === values[0])) return undefined;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const across = values.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
  if (!(across > 0)) return undefined;
  return withinVariances.reduce((s, x) => s + x, 0) / n / across;
}

/** Runs the analysis the design calls for; `seed` seeds the bootstrap. Mismatches are InputErrors. */
export function analyseDesign(
  design: DesignRecord,
  summary: SummaryInput,
  options: { seed: number; resamples: number },
): SensitivityResult {
  const { file, rows } = summary;
  const fail = (message: string): never => {
    throw new InputError(`${file}: ${message}`);
  };
  const names = design.factors.map((f) => f.name);
  const missing = ['cell', 'scenario', 'runs', ...names, ...REQUIRED_OUTPUTS].filter(
    (c) => !summary.header.includes(c),
  );
  if (missing.length > 0)
    fail(
      `header row: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; expected the summary.csv of the design's run`,
    );
  const perScenario = designCells(design);
  if (rows.length === 0 || rows.length % perScenario !== 0)
    fail(
      `${rows.length} cells, but the design in manifest.json has ${perScenario} per scenario; expected a whole number of scenarios`,
    );
  const number = (r: number, column: string): number => {
    const text = rows[r]![column]!;
    const x = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(x))
      fail(`line ${summary.lines[r]}: ${column}: expected a number, got "${text}" (a cell without runs?)`);
    return x;
  };
  rows.forEach((_, r) => {
    if (number(r, 'cell') !== r)
      fail(`line ${summary.lines[r]}: expected cell ${r}, in the order of the run`);
  });
  const outputs = SENSITIVITY_OUTPUTS.filter((o) => summary.header.includes(o));
  const result: SensitivityResult = {
    columns: design.kind === 'sobol' ? SOBOL_COLUMNS : MORRIS_COLUMNS,
    rows: [],
    noise: [],
    ...(design.kind === 'sobol' && design.secondOrder ? { s2Rows: [] } : {}),
  };
  const rng = new RunRng(options.seed);
  for (let s = 0; s * perScenario < rows.length; s++) {
    const first = s * perScenario;
    const scenario = rows[first]!.scenario!;
    const cells = Array.from({ length: perScenario }, (_, c) => first + c);
    const steps = design.kind === 'morris' ? morrisSteps(design, cells, number, summary) : undefined;
    if (design.kind === 'sobol') checkSaltelli(design, cells, summary);
    outputs.forEach((output, o) => {
      const values = cells.map((r) => number(r, output));
      const within = cells.map((r, c) => withinVariance(summary, r, output, values[c]!, number));
      const share = noiseShare(values, within);
      result.noise.push({ scenario, output, share });
      rng.reseed(options.seed, s, o, STREAM_BOOTSTRAP);
      const base = { scenario, output };
      if (design.kind === 'sobol') {
        const idx = sobolIndices(values, names.length, design.secondOrder, {
          resamples: options.resamples,
          rng,
        });
        names.forEach((parameter, i) => {
          result.rows.push({
            ...base,
            parameter,
            ...estimateCells('S1', idx.s1[i]!),
            ...estimateCells('ST', idx.st[i]!),
            noise_share: share,
          });
        });
        for (let i = 0; idx.s2 && i < names.length; i++)
          for (let k = i + 1; k < names.length; k++)
            result.s2Rows!.push({
              ...base,
              parameter_1: names[i],
              parameter_2: names[k],
              ...estimateCells('S2', idx.s2[i]![k]!),
            });
      } else {
        const idx = morrisIndices(values, steps!, names.length, { resamples: options.resamples, rng });
        names.forEach((parameter, i) => {
          const m = idx[i]!;
          result.rows.push({
            ...base,
            parameter,
            mu: finiteCell(m.mu),
            mu_star: finiteCell(m.muStar.value),
            sigma: finiteCell(m.sigma),
            mu_star_lo: finiteCell(m.muStar.lo),
            mu_star_hi: finiteCell(m.muStar.hi),
            noise_share: share,
          });
        });
      }
    });
  }
  return result;
}

function estimateCells(name: string, e: Estimate): Row {
  return { [name]: finiteCell(e.value), [`${name}_lo`]: finiteCell(e.lo), [`${name}_hi`]: finiteCell(e.hi) };
}

/** The Monte Carlo variance of a cell's value: p(1 − p)/runs for a share, sd²/runs for a mean. */
function withinVariance(
  summary: SummaryInput,
  r: number,
  output: string,
  value: number,
  number: (r: number, column: string) => number,
): number {
  const runs = number(r, 'runs');
  if (output.startsWith('p_')) return (value * (1 - value)) / runs;
  const sd = output.replace(/_mean$/, '_sd');
  return summary.header.includes(sd) ? number(r, sd) ** 2 / runs : 0;
}

/** Checks that each Saltelli block has the shape of saltelli.ts: AB^i is A with factor i of B. */
function checkSaltelli(
  design: DesignRecord & { kind: 'sobol' },
  cells: number[],
  summary: SummaryInput,
): void {
  const names = design.factors.map((f) => f.name);
  const k = saltelliCellsPerBase(names.length, design.secondOrder);
  const at = saltelliOffsets(names.length, design.secondOrder);
  const text = (c: number, name: string) => summary.rows[cells[c]!]![name];
  for (let block = 0; block < cells.length; block += k) {
    const a = block + at.a;
    const b = block + at.b;
    names.forEach((_, i) => {
      const mixes = [{ cell: block + at.ab(i), base: a, swapped: b }];
      if (design.secondOrder) mixes.push({ cell: block + at.ba(i), base: b, swapped: a });
      for (const { cell, base, swapped } of mixes) {
        names.forEach((name, m) => {
          if (text(cell, name) !== text(m === i ? swapped : base, name))
            throw new InputError(
              `${summary.file}: line ${summary.lines[cells[cell]!]}: ${name} does not follow the Sobol design in manifest.json; expected the summary.csv of that run, unedited`,
            );
        });
      }
    });
  }
}

/** The steps of each Morris trajectory, read from the swept values: one factor moves by ±Δ each step. */
function morrisSteps(
  design: DesignRecord & { kind: 'morris' },
  cells: number[],
  number: (r: number, column: string) => number,
  summary: SummaryInput,
): MorrisStep[][] {
  const d = design.factors.length;
  const delta = morrisDelta(design.levels);
  const trajectories: MorrisStep[][] = [];
  for (let t = 0; t * (d + 1) < cells.length; t++) {
    const steps: MorrisStep[] = [];
    for (let s = 1; s <= d; s++) {
      const now = cells[t * (d + 1) + s]!;
      const before = now - 1;
      const moved = design.factors
        .map((f, i) => ({ i, move: (number(now, f.name) - number(before, f.name)) / (f.to - f.from) }))
        .filter((m) => m.move !== 0);
      const bad =
        moved.length !== 1 ||
        Math.abs(Math.abs(moved[0]!.move) - delta) > 1e-9 ||
        steps.some((st) => st.factor === moved[0]!.i);
      if (bad)
        throw new InputError(
          `${summary.file}: line ${summary.lines[now]}: the swept values do not follow the Morris design in manifest.json (one factor moving by ±${delta} of its range per step); expected the summary.csv of that run, unedited`,
        );
      steps.push({ factor: moved[0]!.i, delta: Math.sign(moved[0]!.move) * delta });
    }
    trajectories.push(steps);
  }
  return trajectories;
}
