import type { PlanInfo } from './plan.js';

type CellInfo = PlanInfo['cells'][number];

import { getParam, PARAM_NAMES } from '../model/params.js';
import { BOOLEAN_FIELDS, type CellAggregate, COUNT_FIELDS, SHARE_FIELDS } from './aggregate.js';
import { wilson } from './wilson.js';

/** A CSV row: column name → value (undefined writes an empty cell). */
export type Row = Record<string, string | number | boolean | undefined>;

/** A finite number, or undefined (an empty cell) for NaN or ±Infinity. */
export const finiteCell = (x: number): number | undefined => (Number.isFinite(x) ? x : undefined);

const STATS = ['mean', 'sd', 'p50', 'p90', 'p99', 'max'] as const;

/** The summary.csv columns of a plan: cell, scenario, swept names, then the statistics. */
export function summaryColumns(plan: PlanInfo): string[] {
  const cols = ['cell', 'scenario', ...plan.sweepKeys, 'runs', 'seed'];
  for (const f of BOOLEAN_FIELDS) cols.push(`p_${f}`, `p_${f}_lo`, `p_${f}_hi`);
  for (const f of COUNT_FIELDS) for (const s of STATS) cols.push(`${f}_${s}`);
  for (const f of SHARE_FIELDS) cols.push(`${f}_mean`);
  cols.push('honor_rate');
  return cols;
}

/**
 * Quantile q of a distribution given as a histogram (hist[v] = how many times v occurred),
 * by linear interpolation between order statistics: Excel's PERCENTILE.INC, NumPy's default.
 */
export function quantileFromHistogram(hist: ArrayLike<number>, q: number): number {
  let n = 0;
  for (let v = 0; v < hist.length; v++) n += hist[v]!;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const x0 = orderStatistic(hist, lo);
  if (h === lo) return x0;
  return x0 + (h - lo) * (orderStatistic(hist, lo + 1) - x0);
}

/** The k-th smallest value (0-based) of a histogram. */
function orderStatistic(hist: ArrayLike<number>, k: number): number {
  let seen = 0;
  for (let v = 0; v < hist.length; v++) {
    seen += hist[v]!;
    if (seen > k) return v;
  }
  throw new RangeError(`order statistic ${k} beyond ${seen} values`);
}

/** Mean, sample standard deviation (n − 1, as STDEV.S), and max of a histogram. */
export function histogramMoments(hist: ArrayLike<number>): {
  n: number;
  mean: number;
  sd: number;
  max: number;
} {
  let n = 0;
  let sum = 0;
  let max = Number.NaN;
  for (let v = 0; v < hist.length; v++) {
    if (hist[v] === 0) continue;
    n += hist[v]!;
    sum += v * hist[v]!;
    max = v;
  }
  const mean = n > 0 ? sum / n : Number.NaN;
  let ss = 0;
  for (let v = 0; v < hist.length; v++) if (hist[v]! > 0) ss += hist[v]! * (v - mean) * (v - mean);
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, max };
}

/** One summary.csv row. */
export function summaryRow(plan: PlanInfo, cell: CellInfo, agg: CellAggregate): Row {
  const row: Row = { cell: cell.index, scenario: cell.scenario };
  for (const k of plan.sweepKeys) row[k] = cell.point[k];
  row.runs = agg.runs;
  row.seed = plan.seed;
  const empty = agg.runs === 0;
  for (const f of BOOLEAN_FIELDS) {
    const w = empty ? undefined : wilson(agg.trueCount(f), agg.runs);
    row[`p_${f}`] = w?.p;
    row[`p_${f}_lo`] = w?.lo;
    row[`p_${f}_hi`] = w?.hi;
  }
  for (const f of COUNT_FIELDS) {
    const h = agg.histogram(f);
    if (empty) continue;
    const m = histogramMoments(h);
    row[`${f}_mean`] = m.mean;
    row[`${f}_sd`] = m.sd;
    row[`${f}_p50`] = quantileFromHistogram(h, 0.5);
    row[`${f}_p90`] = quantileFromHistogram(h, 0.9);
    row[`${f}_p99`] = quantileFromHistogram(h, 0.99);
    row[`${f}_max`] = m.max;
  }
  for (const f of SHARE_FIELDS) row[`${f}_mean`] = empty ? undefined : agg.shareMean(f);
  const triggered = histogramMoments(agg.histogram('commitments_triggered'));
  const honored = histogramMoments(agg.histogram('commitments_honored'));
  // Pooled over runs: honored commitments / triggered commitments; empty when none triggered.
  row.honor_rate = triggered.n > 0 && triggered.mean > 0 ? honored.mean / triggered.mean : undefined;
  return row;
}

export const JOINERS_COLUMNS = [
  'cell',
  'scenario',
  'state',
  'state_name',
  'p_enters',
  'p_initiator_side',
  'p_target_side',
  'mean_entry_step',
];

/** joiners.csv rows of one cell: every state, the initial belligerents included (they enter at step 0). */
export function joinersRows(cell: CellInfo, agg: CellAggregate): Row[] {
  return cell.stateIds.map((id, i) => ({
    cell: cell.index,
    scenario: cell.scenario,
    state: id,
    state_name: cell.stateNames[i],
    p_enters: agg.runs > 0 ? agg.enters[i]! / agg.runs : undefined,
    p_initiator_side: agg.runs > 0 ? agg.side1[i]! / agg.runs : undefined,
    p_target_side: agg.runs > 0 ? agg.side2[i]! / agg.runs : undefined,
    mean_entry_step: agg.enters[i]! > 0 ? agg.entryStepSum[i]! / agg.enters[i]! : undefined,
  }));
}

export const SIZES_COLUMNS = ['cell', 'participants', 'runs', 'share'];

/** sizes.csv rows of one cell: each war size that occurred, with its count and share. */
export function sizesRows(cell: CellInfo, agg: CellAggregate): Row[] {
  const h = agg.histogram('participants');
  const rows: Row[] = [];
  for (let v = 0; v < h.length; v++) {
    if (h[v]! > 0) rows.push({ cell: cell.index, participants: v, runs: h[v]!, share: h[v]! / agg.runs });
  }
  return rows;
}

/** params.csv columns: cell, scenario, then every model parameter by its dotted name. */
export const PARAMS_COLUMNS = ['cell', 'scenario', ...PARAM_NAMES];

/**
 * params.csv rows (also recorded in manifest.json): for each cell every parameter it ran with,
 * defaults overlaid by the experiment's, the scenario's, `--param` and the sweep.
 */
export function paramsRows(plan: PlanInfo): Row[] {
  return plan.cells.map((cell) => {
    const row: Row = { cell: cell.index, scenario: cell.scenario };
    for (const name of PARAM_NAMES) row[name] = getParam(cell.params, name);
    return row;
  });
}
