/**
 * Scores for comparing predicted probabilities with what happened (0 or 1), as the backtest
 * against the historical wars uses them. Pure functions; no I/O.
 */

function check(predictions: readonly number[], outcomes: readonly number[]): void {
  if (predictions.length !== outcomes.length) {
    throw new RangeError(
      `${predictions.length} predictions but ${outcomes.length} outcomes; expected one of each per case`,
    );
  }
  for (let i = 0; i < outcomes.length; i++) {
    if (outcomes[i] !== 0 && outcomes[i] !== 1)
      throw new RangeError(`outcome ${i} is ${outcomes[i]}; expected 0 or 1`);
    if (!Number.isFinite(predictions[i]))
      throw new RangeError(`prediction ${i} is ${predictions[i]}; expected a number`);
  }
}

/**
 * Brier score: the mean of (prediction − outcome)², 0 for perfect predictions, 0.25 for
 * always saying ½. NaN when there are no cases.
 */
export function brier(predictions: readonly number[], outcomes: readonly (0 | 1)[]): number {
  check(predictions, outcomes);
  if (outcomes.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < outcomes.length; i++) sum += (predictions[i]! - outcomes[i]!) ** 2;
  return sum / outcomes.length;
}

/**
 * Area under the ROC curve: the probability that a random case with outcome 1 got a higher
 * prediction than a random case with outcome 0, ties counting ½ (the Mann–Whitney U statistic
 * divided by n₁·n₀). 1 separates perfectly, ½ is chance. NaN when either class is empty, since
 * there is then no pair to compare.
 */
export function auc(predictions: readonly number[], outcomes: readonly (0 | 1)[]): number {
  check(predictions, outcomes);
  const n = outcomes.length;
  let positives = 0;
  for (const o of outcomes) positives += o;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  // Mid-ranks of the predictions (ties share the mean of their ranks), summed over the 1s.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => predictions[a]! - predictions[b]!);
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && predictions[order[end + 1]!] === predictions[order[start]!]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) if (outcomes[order[k]!] === 1) rankSum += midRank;
    start = end + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A logistic curve p = 1 / (1 + exp(−(intercept + slope · x))). */
export interface LogisticFit {
  intercept: number;
  slope: number;
}

/** The chance a logistic fit gives at x. */
export function logistic(fit: LogisticFit, x: number): number {
  return 1 / (1 + Math.exp(-(fit.intercept + fit.slope * x)));
}

/**
 * The maximum-likelihood logistic regression of outcomes on one predictor (Newton's method,
 * a ridge of 1e-6 on the slope so that separable data still give a finite answer). Without
 * both outcomes it returns the constant share (slope 0), or 0/1 as ±20 on the logit scale.
 */
export function fitLogistic(x: readonly number[], outcomes: readonly (0 | 1)[]): LogisticFit {
  check(x, outcomes);
  const n = outcomes.length;
  let positives = 0;
  for (const o of outcomes) positives += o;
  if (n === 0) return { intercept: 0, slope: 0 };
  if (positives === 0 || positives === n) return { intercept: positives === 0 ? -20 : 20, slope: 0 };
  const ridge = 1e-6;
  let a = Math.log(positives / (n - positives));
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    // Gradient and Hessian of the log-likelihood (minus the ridge) in (a, b).
    let ga = 0;
    let gb = -ridge * b;
    let haa = 0;
    let hab = 0;
    let hbb = ridge;
    for (let i = 0; i < n; i++) {
      const p = logistic({ intercept: a, slope: b }, x[i]!);
      const w = p * (1 - p);
      ga += outcomes[i]! - p;
      gb += (outcomes[i]! - p) * x[i]!;
      haa += w;
      hab += w * x[i]!;
      hbb += w * x[i]! * x[i]!;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a += da;
    b += db;
    if (Math.abs(da) + Math.abs(db) < 1e-12) break;
  }
  return { intercept: a, slope: b };
}

/** A row of the calibration table: predictions in [lo, hi) (the last bin includes 1). */
export interface CalibrationBin {
  lo: number;
  hi: number;
  /** Mean prediction in the bin and share of outcomes 1; NaN for an empty bin. */
  predictedMean: number;
  observedShare: number;
  n: number;
}

/**
 * Bin edges of the calibration table: finer near 0, where most states of a state system sit
 * (a chance of 0.3 % and one of 3 % are different forecasts), then tenths.
 */
export const CALIBRATION_EDGES: readonly number[] = [
  0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
];

/** Predicted chance binned against the observed share (a reliability diagram as a table). */
export function calibrationTable(
  predictions: readonly number[],
  outcomes: readonly (0 | 1)[],
  edges: readonly number[] = CALIBRATION_EDGES,
): CalibrationBin[] {
  check(predictions, outcomes);
  const bins = edges.slice(0, -1).map((lo, b) => ({ lo, hi: edges[b + 1]!, sum: 0, hits: 0, n: 0 }));
  for (let i = 0; i < predictions.length; i++) {
    const p = predictions[i]!;
    let b = bins.findIndex((x) => p >= x.lo && p < x.hi);
    if (b < 0) b = p >= edges[edges.length - 1]! ? bins.length - 1 : 0;
    bins[b]!.sum += p;
    bins[b]!.hits += outcomes[i]!;
    bins[b]!.n++;
  }
  return bins.map(({ lo, hi, sum, hits, n }) => ({
    lo,
    hi,
    predictedMean: n > 0 ? sum / n : Number.NaN,
    observedShare: n > 0 ? hits / n : Number.NaN,
    n,
  }));
}
