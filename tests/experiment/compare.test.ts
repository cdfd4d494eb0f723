import { describe, expect, it } from 'vitest';
import {
  excludesZero,
  incompleteBeta,
  newcombeDiff,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
  welchDiff,
  wilson,
} from '../../src/experiment/compare.js';
import { RunRng } from '../../src/model/rng.js';

describe('Student t and normal quantiles', () => {
  it('match published values', () => {
    // Tables (and R's qt) to the digits given.
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228139, 6);
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042272, 6);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.302653, 6);
    expect(tQuantile(0.975, 5)).toBeCloseTo(2.570582, 6);
    expect(tQuantile(0.995, 3)).toBeCloseTo(5.840909, 6);
    expect(tQuantile(0.95, 60)).toBeCloseTo(1.670649, 6);
    expect(tQuantile(0.975, 120)).toBeCloseTo(1.97993, 6);
    expect(tQuantile(0.975, 1000)).toBeCloseTo(1.962339, 6);
    expect(tQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.959964, 6);
    // Non-integer df (as Welch gives), from scipy.stats.t.ppf.
    expect(tQuantile(0.995, 4.5)).toBeCloseTo(4.272823993011293, 10);
    expect(tQuantile(0.6, 0.5)).toBeCloseTo(0.3979754267847907, 10);
    expect(tQuantile(0.9999999, 3)).toBeCloseTo(222.57159099, 6);
    expect(tQuantile(0.025, 10)).toBeCloseTo(-2.228139, 6);
    expect(tQuantile(0.5, 7)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(1e-20)).toBeCloseTo(-9.26234008979841, 10);
  });

  it('invert the distribution function', () => {
    for (const df of [0.7, 1, 2, 3.3, 9, 29.5, 250, 1e5]) {
      for (const p of [0.001, 0.025, 0.3, 0.6, 0.9, 0.975, 0.9995]) {
        expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 12);
      }
    }
    for (const x of [-5, -1.96, -0.3, 0, 0.7, 2.5]) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 9);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 14);
  });

  it('incomplete beta matches closed forms', () => {
    // I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a.
    expect(incompleteBeta(1, 3.5, 0.2)).toBeCloseTo(1 - 0.8 ** 3.5, 14);
    expect(incompleteBeta(2.5, 1, 0.7)).toBeCloseTo(0.7 ** 2.5, 14);
  });
});

describe('wilson', () => {
  it('gives the textbook interval and exact ends at 0 and n', () => {
    // Newcombe (1998), Table I: 81/263 → 0.2553 to 0.3662.
    const w = wilson(81, 263);
    expect(w.lo).toBeCloseTo(0.2553, 4);
    expect(w.hi).toBeCloseTo(0.3662, 4);
    expect(wilson(0, 20).lo).toBe(0);
    expect(wilson(20, 20).hi).toBe(1);
  });
});

describe('newcombeDiff', () => {
  it("reproduces Newcombe's (1998) example", () => {
    // Method 10, example (a): 56/70 − 48/80 = 0.2000, interval 0.0524 to 0.3339.
    const d = newcombeDiff(56, 70, 48, 80);
    expect(d.diff).toBeCloseTo(0.2, 12);
    expect(d.lo).toBeCloseTo(0.0524, 4);
    expect(d.hi).toBeCloseTo(0.3339, 4);
    expect(excludesZero(d)).toBe(true);
    // More rows of his Table II (method 10), including a boundary case and a zero count.
    const cases: [number, number, number, number, number, number][] = [
      [9, 10, 3, 10, 0.1705, 0.809],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [10, 10, 0, 20, 0.6791, 1],
    ];
    for (const [x1, n1, x2, n2, lo, hi] of cases) {
      const e = newcombeDiff(x1, n1, x2, n2);
      expect(e.lo).toBeCloseTo(lo, 4);
      expect(e.hi).toBeCloseTo(hi, 4);
    }
  });

  it('covers the true difference at the stated rate', () => {
    // 2000 replicates: coverage within 0.95 ± 3·sqrt(0.95·0.05/2000) = ±0.0146 unless the
    // interval is miscalibrated (a fixed seed keeps the test repeatable).
    const rng = new RunRng(20240, 0, 0);
    const reps = 2000;
    const tolerance = 3 * Math.sqrt((0.95 * 0.05) / reps);
    for (const [p1, n1, p2, n2] of [
      [0.3, 200, 0.5, 150],
      [0.1, 400, 0.12, 400],
    ] as const) {
      let covered = 0;
      for (let r = 0; r < reps; r++) {
        let x1 = 0;
        let x2 = 0;
        for (let i = 0; i < n1; i++) if (rng.uniform() < p1) x1++;
        for (let i = 0; i < n2; i++) if (rng.uniform() < p2) x2++;
        const d = newcombeDiff(x1, n1, x2, n2);
        if (d.lo <= p1 - p2 && p1 - p2 <= d.hi) covered++;
      }
      expect(Math.abs(covered / reps - 0.95)).toBeLessThan(tolerance);
    }
  });
});

describe('welchDiff', () => {
  it('matches a hand computation', () => {
    // v1 = 4/12, v2 = 9/15; df = (v1+v2)²/(v1²/11 + v2²/14) = 24.3223…; t_{0.975,24.32} = 2.0624…
    const d = welchDiff(10, 2, 12, 8, 3, 15);
    expect(d.diff).toBe(2);
    expect(d.df).toBeCloseTo(24.32232070910556, 10);
    const half = tQuantile(0.975, d.df) * Math.sqrt(4 / 12 + 9 / 15);
    expect(d.lo).toBeCloseTo(2 - half, 12);
    expect(d.hi).toBeCloseTo(2 + half, 12);
    // scipy.stats.t.ppf(0.975, 24.32232070910556) · sqrt(14/15) = 1.9925180698738…
    expect(d.hi - 2).toBeCloseTo(1.99251807, 6);
  });

  it('handles degenerate samples', () => {
    expect(welchDiff(1, 0, 10, 1, 0, 10)).toMatchObject({ diff: 0, lo: 0, hi: 0 });
    expect(Number.isNaN(welchDiff(1, 1, 1, 0, 1, 10).lo)).toBe(true);
  });

  it('covers the true difference at the stated rate with unequal variances', () => {
    // Normal data, sd 4 (n 8) against sd 1 (n 30), so df ≈ 7: the pooled-variance t (about 0.71)
    // and a normal quantile in place of t's (about 0.91) both fall outside the tolerance, which
    // as for Newcombe is 3 binomial standard errors of a 2000-replicate coverage.
    const rng = new RunRng(1998, 0, 0);
    const normal = (): number => {
      const u = 1 - rng.uniform();
      const v = rng.uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    const sample = (n: number, mu: number, sd: number): [number, number] => {
      let sum = 0;
      let sumsq = 0;
      const xs: number[] = [];
      for (let i = 0; i < n; i++) xs.push(mu + sd * normal());
      for (const x of xs) sum += x;
      const mean = sum / n;
      for (const x of xs) sumsq += (x - mean) ** 2;
      return [mean, Math.sqrt(sumsq / (n - 1))];
    };
    const reps = 2000;
    const tolerance = 3 * Math.sqrt((0.95 * 0.05) / reps);
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const [m1, s1] = sample(8, 5, 4);
      const [m2, s2] = sample(30, 3, 1);
      const d = welchDiff(m1, s1, 8, m2, s2, 30);
      if (d.lo <= 2 && 2 <= d.hi) covered++;
    }
    expect(Math.abs(covered / reps - 0.95)).toBeLessThan(tolerance);
  });
});

describe('excludesZero', () => {
  it('is true only for intervals wholly on one side of zero', () => {
    expect(excludesZero({ lo: 0.1, hi: 0.2 })).toBe(true);
    expect(excludesZero({ lo: -0.2, hi: -0.1 })).toBe(true);
    expect(excludesZero({ lo: -0.1, hi: 0.2 })).toBe(false);
    expect(excludesZero({ lo: 0, hi: 0.2 })).toBe(false);
    expect(excludesZero({ lo: Number.NaN, hi: Number.NaN })).toBe(false);
  });
});
