/**
 * Saltelli's sampling scheme for Sobol indices (Saltelli 2002; Saltelli et al. 2010): N base
 * points of a 2D-dimensional Sobol sequence give two matrices A (first D coordinates) and B
 * (last D), and each base point j becomes one block of cells, in SALib's order:
 *
 *   A_j, AB_j^1 … AB_j^D, [BA_j^1 … BA_j^D,] B_j
 *
 * where AB_j^i is A_j with factor i taken from B_j, and BA_j^i (second order only) is B_j with
 * factor i taken from A_j. Points are in the unit cube; design.ts scales them to the ranges.
 */
import { SobolSequence } from './sobol-sequence.js';

/** Cells per base point: D + 2, or 2D + 2 with second-order indices. */
export function saltelliCellsPerBase(factors: number, secondOrder: boolean): number {
  return secondOrder ? 2 * factors + 2 : factors + 2;
}

/** Where each kind of cell sits in a block of `saltelliCellsPerBase` cells. */
export function saltelliOffsets(factors: number, secondOrder: boolean) {
  return {
    a: 0,
    /** AB^i, i from 0. */
    ab: (i: number) => 1 + i,
    /** BA^i, i from 0 (second order only). */
    ba: (i: number) => 1 + factors + i,
    b: saltelliCellsPerBase(factors, secondOrder) - 1,
  };
}

/** The N·(D + 2) (or N·(2D + 2)) unit-cube points of Saltelli's scheme, block by block. */
export function saltelliDesign(
  factors: number,
  n: number,
  options: { secondOrder: boolean; scramble?: { seed: number } },
): Float64Array[] {
  const seq = new SobolSequence(2 * factors, options.scramble);
  const base = new Float64Array(2 * factors);
  const points: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    seq.next(base);
    const a = base.slice(0, factors);
    const b = base.slice(factors);
    points.push(a);
    for (let i = 0; i < factors; i++) {
      const ab = a.slice();
      ab[i] = b[i]!;
      points.push(ab);
    }
    if (options.secondOrder) {
      for (let i = 0; i < factors; i++) {
        const ba = b.slice();
        ba[i] = a[i]!;
        points.push(ba);
      }
    }
    points.push(b);
  }
  return points;
}
