/**
 * The bootstrap of sensitivity indices: resampling with replacement from a seeded stream, and
 * 95 % percentile intervals of the replicates (Efron and Tibshirani 1993, ch. 13).
 */
import type { RunRng } from '../model/rng.js';

/** Stream of the bootstrap's draws (distinct from the model's, the systems' and the designs'). */
export const STREAM_BOOTSTRAP = 0x425354; // 'BST'

/** Resamples when none are asked for: enough for the 2.5 % and 97.5 % quantiles to settle. */
export const DEFAULT_RESAMPLES = 1000;

/** An estimate with its 95 % interval; NaN where the output does not vary (nothing to divide by). */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

/** Fills `out` with indices 0 … n − 1 drawn with replacement. */
export function resample(rng: RunRng, n: number, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = rng.int(n);
}

/** Quantile q of ascending values by linear interpolation between order statistics (NumPy's default). */
function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const x0 = sorted[lo]!;
  return h === lo ? x0 : x0 + (h - lo) * (sorted[lo + 1]! - x0);
}

/** The 2.5 % and 97.5 % quantiles of the replicates, NaN ones left out. */
export function percentileInterval(replicates: Float64Array): { lo: number; hi: number } {
  const finite = replicates.filter((x) => !Number.isNaN(x)).sort();
  return { lo: quantileSorted(finite, 0.025), hi: quantileSorted(finite, 0.975) };
}
