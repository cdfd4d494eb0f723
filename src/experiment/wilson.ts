/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/** Share x/n with its Wilson score interval (Wilson 1927), which behaves well near 0 and 1. */
export function wilson(x: number, n: number, z = Z95): { p: number; lo: number; hi: number } {
  if (n <= 0) return { p: Number.NaN, lo: Number.NaN, hi: Number.NaN };
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At x = 0 (x = n) the bound is exactly 0 (1); computed, it can come out as float residue like 1e-19.
  return { p, lo: x <= 0 ? 0 : Math.max(0, centre - half), hi: x >= n ? 1 : Math.min(1, centre + half) };
}
