/**
 * Sobol sensitivity indices from the outputs of a Saltelli design (saltelli.ts), with 95 %
 * bootstrap intervals over the base points:
 * - first order S1_i = mean_j[ f(B_j) (f(AB_j^i) − f(A_j)) ] / V (Saltelli et al. 2010, table 2 (b));
 * - total ST_i = mean_j[ (f(A_j) − f(AB_j^i))² ] / (2V) (Jansen 1999; Saltelli et al. 2010, (f));
 * - second order S2_ik = mean_j[ f(BA_j^i) f(AB_j^k) − f(A_j) f(B_j) ] / V − S1_i − S1_k
 *   (Saltelli 2002, as SALib computes it);
 * V the variance of f over the A and B points. Outputs are centred on the mean of the A and B
 * points first: the estimators do not change in expectation, but products of large
 * uncentred values would swamp the differences that carry the index.
 */
import type { RunRng } from '../model/rng.js';
import { type Estimate, percentileInterval, resample } from './bootstrap.js';
import { saltelliCellsPerBase, saltelliOffsets } from './saltelli.js';

/** First-order, total and (if asked) second-order indices; s2[i][k] for i < k. */
export interface SobolIndices {
  s1: Estimate[];
  st: Estimate[];
  s2?: Estimate[][];
}

/** Indices from one point estimate: S1 (D values), ST (D), then S2 for i < k in row order. */
function pointEstimate(
  y: Float64Array,
  factors: number,
  secondOrder: boolean,
  bases: Int32Array,
  out: Float64Array,
): void {
  const k = saltelliCellsPerBase(factors, secondOrder);
  const at = saltelliOffsets(factors, secondOrder);
  const n = bases.length;
  let sum = 0;
  let sumSq = 0;
  for (let j = 0; j < n; j++) {
    const row = bases[j]! * k;
    const a = y[row + at.a]!;
    const b = y[row + at.b]!;
    sum += a + b;
    sumSq += a * a + b * b;
  }
  const mean = sum / (2 * n);
  const v = sumSq / (2 * n) - mean * mean;
  // A constant output (or a resample of identical cells) has no variance to apportion.
  if (!(v > 1e-15 * Math.max(1, sumSq / (2 * n)))) {
    out.fill(Number.NaN);
    return;
  }
  const s2At = 2 * factors;
  for (let i = 0; i < factors; i++) {
    let first = 0;
    let total = 0;
    for (let j = 0; j < n; j++) {
      const row = bases[j]! * k;
      const a = y[row + at.a]!;
      const ab = y[row + at.ab(i)]!;
      first += y[row + at.b]! * (ab - a);
      total += (a - ab) * (a - ab);
    }
    out[i] = first / n / v;
    out[factors + i] = total / n / (2 * v);
  }
  if (!secondOrder) return;
  let p = s2At;
  for (let i = 0; i < factors; i++) {
    for (let m = i + 1; m < factors; m++) {
      let closed = 0;
      for (let j = 0; j < n; j++) {
        const row = bases[j]! * k;
        closed += y[row + at.ba(i)]! * y[row + at.ab(m)]! - y[row + at.a]! * y[row + at.b]!;
      }
      out[p++] = closed / n / v - out[i]! - out[m]!;
    }
  }
}

/**
 * The indices of outputs `y` (one per cell, in the design's order) of a design of `factors`
 * factors; `resamples` bootstrap replicates drawn from `rng` give the 95 % percentile intervals.
 */
export function sobolIndices(
  outputs: ArrayLike<number>,
  factors: number,
  secondOrder: boolean,
  options: { resamples: number; rng: RunRng },
): SobolIndices {
  const k = saltelliCellsPerBase(factors, secondOrder);
  if (outputs.length % k !== 0 || outputs.length === 0)
    throw new RangeError(`sobolIndices: ${outputs.length} outputs is not a whole number of blocks of ${k}`);
  const n = outputs.length / k;
  let mean = 0;
  for (let j = 0; j < n; j++) mean += outputs[j * k]! + outputs[j * k + k - 1]!;
  mean /= 2 * n;
  const y = Float64Array.from(outputs, (x) => x - mean);
  const width = 2 * factors + (secondOrder ? (factors * (factors - 1)) / 2 : 0);
  const estimate = new Float64Array(width);
  const identity = Int32Array.from({ length: n }, (_, j) => j);
  pointEstimate(y, factors, secondOrder, identity, estimate);
  const replicates = Array.from({ length: width }, () => new Float64Array(options.resamples));
  const bases = new Int32Array(n);
  const one = new Float64Array(width);
  for (let r = 0; r < options.resamples; r++) {
    resample(options.rng, n, bases);
    pointEstimate(y, factors, secondOrder, bases, one);
    for (let w = 0; w < width; w++) replicates[w]![r] = one[w]!;
  }
  const at = (w: number): Estimate => ({ value: estimate[w]!, ...percentileInterval(replicates[w]!) });
  const s1 = Array.from({ length: factors }, (_, i) => at(i));
  const st = Array.from({ length: factors }, (_, i) => at(factors + i));
  if (!secondOrder) return { s1, st };
  const s2: Estimate[][] = Array.from({ length: factors }, () => []);
  let p = 2 * factors;
  for (let i = 0; i < factors; i++) for (let m = i + 1; m < factors; m++) s2[i]![m] = at(p++);
  return { s1, st, s2 };
}
