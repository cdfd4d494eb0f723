/**
 * The Sobol low-discrepancy sequence in base 2 (Bratley and Fox 1988, algorithm 659, with
 * Antonov and Saleev's Gray-code order), on Joe and Kuo's direction numbers, with 32 bits per
 * coordinate: point i is exact as a double and the first 2^32 points are distinct.
 * Optionally scrambled (Matoušek's random linear scramble plus a digital shift, as SciPy's
 * `scramble=True`), seeded, so a scrambled design is as reproducible as an unscrambled one.
 */
import { RunRng } from '../model/rng.js';
import { JOE_KUO_LINES } from './sobol-directions.js';

/** Bits per coordinate. */
const BITS = 32;
const TWO_POW_MINUS_32 = 2 ** -32;

/** Stream of the scrambling draws (distinct from the model's, the systems' and the LHS streams). */
export const STREAM_SOBOL = 0x534f42; // 'SOB'

/** Polynomial degree s, coefficients a and initial direction numbers m of dimensions 2, 3, … */
const TABLE: { s: number; a: number; m: number[] }[] = JOE_KUO_LINES.trim()
  .split('\n')
  .map((line) => {
    const [, s, a, ...m] = line.trim().split(/\s+/).map(Number);
    return { s: s!, a: a!, m };
  });

/** How many dimensions the shipped direction numbers cover. */
export const SOBOL_MAX_DIMENSIONS = TABLE.length + 1;

/** The direction numbers v_1 … v_32 of dimension `dim` (1-based), v_k = m_k · 2^(32 − k). */
export function directionNumbers(dim: number): Uint32Array {
  if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIMENSIONS)
    throw new RangeError(`Sobol dimension ${dim} outside 1…${SOBOL_MAX_DIMENSIONS}`);
  const v = new Uint32Array(BITS);
  if (dim === 1) {
    for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    return v;
  }
  const { s, a, m } = TABLE[dim - 2]!;
  for (let k = 0; k < Math.min(s, BITS); k++) v[k] = m[k]! * 2 ** (BITS - 1 - k);
  // v_k = v_{k−s} ⊕ (v_{k−s} >> s) ⊕ a_1 v_{k−1} ⊕ … ⊕ a_{s−1} v_{k−s+1} (0-based k here).
  for (let k = s; k < BITS; k++) {
    let x = v[k - s]! ^ (v[k - s]! >>> s);
    for (let i = 1; i < s; i++) if ((a >>> (s - 1 - i)) & 1) x ^= v[k - i]!;
    v[k] = x >>> 0;
  }
  return v;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Direction numbers multiplied by a random lower-triangular binary matrix with unit diagonal
 * (bit 1 is the most significant): row r of the matrix sets bit r of each new number from bits
 * 1 … r of the old one, so the scrambled sequence keeps every net property of the original.
 */
function scrambleDirections(v: Uint32Array, rng: RunRng): void {
  const rows = new Uint32Array(BITS);
  for (let r = 0; r < BITS; r++) {
    const above = r === 0 ? 0 : ~(2 ** (BITS - r) - 1) >>> 0; // bits of rows 0 … r − 1
    rows[r] = ((rng.nextUint32() & above) | (2 ** (BITS - 1 - r))) >>> 0;
  }
  for (let k = 0; k < BITS; k++) {
    let out = 0;
    for (let r = 0; r < BITS; r++) if (parity(rows[r]! & v[k]!)) out |= 2 ** (BITS - 1 - r);
    v[k] = out >>> 0;
  }
}

/** A Sobol sequence of a fixed number of dimensions, read point by point from index 0. */
export class SobolSequence {
  private readonly directions: Uint32Array[];
  private readonly state: Uint32Array;
  private index = 0;

  /** `scramble` gives the seed of a scrambled sequence; without it the sequence is the classic one. */
  constructor(
    readonly dimensions: number,
    scramble?: { seed: number },
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > SOBOL_MAX_DIMENSIONS)
      throw new RangeError(`Sobol sequence of ${dimensions} dimensions: expected 1…${SOBOL_MAX_DIMENSIONS}`);
    this.directions = [];
    this.state = new Uint32Array(dimensions);
    const rng = scramble ? new RunRng(scramble.seed, 0, 0, STREAM_SOBOL) : undefined;
    for (let d = 0; d < dimensions; d++) {
      const v = directionNumbers(d + 1);
      if (rng) {
        scrambleDirections(v, rng);
        this.state[d] = rng.nextUint32(); // the digital shift: point 0 is the shift itself
      }
      this.directions.push(v);
    }
  }

  /** Writes the next point (coordinates in [0, 1)) into `out`, which has `dimensions` entries. */
  next(out: Float64Array | number[]): void {
    if (this.index >= 2 ** BITS) throw new RangeError('Sobol sequence exhausted after 2^32 points');
    if (this.index > 0) {
      // Gray code: point i differs from point i − 1 by the direction of i − 1's lowest zero bit.
      const m = this.index - 1;
      const c = 31 - Math.clz32(~m & (m + 1));
      for (let d = 0; d < this.dimensions; d++) this.state[d] = this.state[d]! ^ this.directions[d]![c]!;
    }
    for (let d = 0; d < this.dimensions; d++) out[d] = this.state[d]! * TWO_POW_MINUS_32;
    this.index++;
  }
}

/** The first n points of a Sobol sequence, one Float64Array of `dimensions` coordinates each. */
export function sobolPoints(n: number, dimensions: number, scramble?: { seed: number }): Float64Array[] {
  const seq = new SobolSequence(dimensions, scramble);
  return Array.from({ length: n }, () => {
    const p = new Float64Array(dimensions);
    seq.next(p);
    return p;
  });
}
