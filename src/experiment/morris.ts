/**
 * Morris' elementary effects (Morris 1991; Campolongo, Cariboni and Saltelli 2007): R
 * trajectories of D + 1 points on a grid of L levels in the unit cube, each moving one factor
 * at a time by Δ = L / (2(L − 1)) (half the grid), and from their outputs, per factor, the mean
 * effect mu, the mean absolute effect mu_star (ranks factors; it does not cancel effects of
 * opposite sign) and their spread sigma (non-linearity or interactions).
 */
import { RunRng } from '../model/rng.js';
import { type Estimate, percentileInterval, resample } from './bootstrap.js';

/** Stream of the trajectories' draws (distinct from the model's, the systems' and the other designs'). */
export const STREAM_MORRIS = 0x4d4f52; // 'MOR'

/** One step of a trajectory: which factor moved (0-based) and by how much in the unit cube (±Δ). */
export interface MorrisStep {
  factor: number;
  delta: number;
}

/** The jump Δ of a grid of L levels. */
export function morrisDelta(levels: number): number {
  return levels / (2 * (levels - 1));
}

/**
 * R random trajectories, one after another, D + 1 points each. In each, every factor starts on
 * a level x drawn uniformly from 0, 1/(L − 1), …, 1 − Δ, or on x + Δ (even odds), and moves
 * once to the other of the two, in a random order of factors: Morris' B* = (J x* + (Δ/2)
 * ((2B − J) D* + J)) P*. Also returns each step's factor and signed move.
 */
export function morrisDesign(
  factors: number,
  trajectories: number,
  levels: number,
  seed: number,
): { points: Float64Array[]; steps: MorrisStep[][] } {
  if (levels < 2 || levels % 2 !== 0)
    throw new RangeError(`Morris levels must be even and ≥ 2, got ${levels}`);
  const rng = new RunRng(seed, 0, 0, STREAM_MORRIS);
  const half = levels / 2;
  const delta = morrisDelta(levels);
  const points: Float64Array[] = [];
  const steps: MorrisStep[][] = [];
  const order = new Int32Array(factors);
  const low = new Int32Array(factors);
  const up = new Uint8Array(factors);
  for (let r = 0; r < trajectories; r++) {
    for (let i = 0; i < factors; i++) order[i] = i;
    for (let i = factors - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const level = new Int32Array(factors);
    for (let i = 0; i < factors; i++) {
      low[i] = rng.int(half);
      up[i] = rng.bernoulli(0.5) ? 1 : 0;
      level[i] = up[i] ? low[i]! : low[i]! + half;
    }
    const unit = () => Float64Array.from(level, (l) => l / (levels - 1));
    points.push(unit());
    const trajectory: MorrisStep[] = [];
    for (const i of order) {
      level[i] = up[i] ? low[i]! + half : low[i]!;
      points.push(unit());
      trajectory.push({ factor: i, delta: up[i] ? delta : -delta });
    }
    steps.push(trajectory);
  }
  return { points, steps };
}

/** Morris' statistics of one factor; mu_star with its 95 % bootstrap interval over trajectories. */
export interface MorrisIndex {
  mu: number;
  muStar: Estimate;
  sigma: number;
}

/**
 * The statistics of each factor from the outputs (one per point, in the design's order) and
 * the steps of each trajectory. sigma is the sample standard deviation (n − 1), as SALib's.
 */
export function morrisIndices(
  outputs: ArrayLike<number>,
  steps: readonly (readonly MorrisStep[])[],
  factors: number,
  options: { resamples: number; rng: RunRng },
): MorrisIndex[] {
  const r = steps.length;
  // effects[i * r + t]: factor i's elementary effect in trajectory t.
  const effects = new Float64Array(factors * r);
  steps.forEach((trajectory, t) => {
    const first = t * (factors + 1);
    trajectory.forEach((step, s) => {
      effects[step.factor * r + t] = (outputs[first + s + 1]! - outputs[first + s]!) / step.delta;
    });
  });
  const picks = new Int32Array(r);
  const replicates = Array.from({ length: factors }, () => new Float64Array(options.resamples));
  for (let b = 0; b < options.resamples; b++) {
    resample(options.rng, r, picks);
    for (let i = 0; i < factors; i++) {
      let abs = 0;
      for (const t of picks) abs += Math.abs(effects[i * r + t]!);
      replicates[i]![b] = abs / r;
    }
  }
  return Array.from({ length: factors }, (_, i) => {
    let sum = 0;
    let abs = 0;
    for (let t = 0; t < r; t++) {
      sum += effects[i * r + t]!;
      abs += Math.abs(effects[i * r + t]!);
    }
    const mu = sum / r;
    let ss = 0;
    for (let t = 0; t < r; t++) ss += (effects[i * r + t]! - mu) ** 2;
    return {
      mu,
      muStar: { value: abs / r, ...percentileInterval(replicates[i]!) },
      sigma: r > 1 ? Math.sqrt(ss / (r - 1)) : 0,
    };
  });
}
