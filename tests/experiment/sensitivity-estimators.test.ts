/**
 * The Sobol and Morris estimators against functions whose indices are known in closed form:
 * Ishigami's (Ishigami and Homma 1990) and Sobol's G function (Saltelli and Sobol 1995). The
 * designs are the ones experiments use (saltelli.ts, morris.ts), the seeds fixed.
 *
 * Tolerances: each estimator is a mean over the N base points of a per-point term (for ST_i,
 * (f(A) − f(AB^i))² / 2V, and so on). Under independent sampling its standard error is
 * sd(term)/√N; the test measures sd(term) by plain Monte Carlo on its own generator (not the
 * code under test) and allows 4 standard errors, which plain random sampling would break with
 * probability below 1e-4 per index. The Sobol points are a low-discrepancy sequence, whose error
 * on these smooth integrands falls faster than 1/√N, so the bound is a conservative one.
 */
import { describe, expect, it } from 'vitest';
import { morrisDesign, morrisIndices } from '../../src/experiment/morris.js';
import { saltelliDesign } from '../../src/experiment/saltelli.js';
import { sobolIndices } from '../../src/experiment/sobol-indices.js';
import { RunRng } from '../../src/model/rng.js';

/** mulberry32: an independent uniform generator for the tolerance estimates. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type F = (x: ArrayLike<number>) => number;

/**
 * Four standard errors of each estimator at N base points (see the file comment): S1_i, ST_i
 * and, for the pairs given, S2. `unit` maps a unit-cube point to the function's domain.
 */
function tolerances(f: F, d: number, n: number, pairs: [number, number][] = []) {
  const u = mulberry32(20240607);
  const m = 20_000;
  const fa: number[] = [];
  const fb: number[] = [];
  const fab: number[][] = Array.from({ length: d }, () => []);
  const fba: number[][] = Array.from({ length: d }, () => []);
  for (let j = 0; j < m; j++) {
    const a = Array.from({ length: d }, u);
    const b = Array.from({ length: d }, u);
    fa.push(f(a));
    fb.push(f(b));
    for (let i = 0; i < d; i++) {
      fab[i]!.push(f(a.map((x, k) => (k === i ? b[k]! : x))));
      fba[i]!.push(f(b.map((x, k) => (k === i ? a[k]! : x))));
    }
  }
  const all = [...fa, ...fb];
  const mean = all.reduce((s, x) => s + x, 0) / all.length;
  const v = all.reduce((s, x) => s + (x - mean) ** 2, 0) / all.length;
  const c = (x: number) => x - mean;
  const se = (terms: number[]) => {
    const mu = terms.reduce((s, x) => s + x, 0) / terms.length;
    const sd = Math.sqrt(terms.reduce((s, x) => s + (x - mu) ** 2, 0) / (terms.length - 1));
    return (4 * sd) / Math.sqrt(n);
  };
  const idx = [...Array(m).keys()];
  return {
    s1: fab.map((ab) => se(idx.map((j) => (c(fb[j]!) * (ab[j]! - fa[j]!)) / v))),
    st: fab.map((ab) => se(idx.map((j) => (fa[j]! - ab[j]!) ** 2 / (2 * v)))),
    s2: pairs.map(([i, k]) =>
      se(idx.map((j) => (c(fba[i]![j]!) * c(fab[k]![j]!) - c(fa[j]!) * c(fb[j]!)) / v)),
    ),
  };
}

/** The outputs of f on a Saltelli design scaled from the unit cube by `unit`. */
function outputsOn(f: F, d: number, n: number, secondOrder: boolean, unit: (x: number) => number) {
  return saltelliDesign(d, n, { secondOrder }).map((p) => f(Array.from(p, unit)));
}

const A = 7;
const B = 0.1;
const PI = Math.PI;
const ishigami: F = (x) => Math.sin(x[0]!) + A * Math.sin(x[1]!) ** 2 + B * x[2]! ** 4 * Math.sin(x[0]!);
const toPi = (x: number) => -PI + 2 * PI * x;
const ishigamiOnUnit: F = (x) => ishigami(Array.from(x, toPi));

// Closed form (Sobol' and Levitan 1999): the variance and its parts.
const V1 = 0.5 * (1 + (B * PI ** 4) / 5) ** 2;
const V2 = A ** 2 / 8;
const V13 = (8 * B ** 2 * PI ** 8) / 225;
const V = V1 + V2 + V13;

describe('Sobol indices of the Ishigami function (a = 7, b = 0.1)', () => {
  const n = 8192;
  const y = outputsOn(ishigami, 3, n, true, toPi);
  const idx = sobolIndices(y, 3, true, { resamples: 300, rng: new RunRng(3, 0, 0, 77) });
  const tol = tolerances(ishigamiOnUnit, 3, n, [
    [0, 1],
    [0, 2],
    [1, 2],
  ]);

  it('has the closed-form values the literature gives', () => {
    // Guards the formulas below against a typo: the values of the issue, to 4 decimals.
    expect([V1 / V, V2 / V, 0].map((x) => x.toFixed(4))).toEqual(['0.3139', '0.4424', '0.0000']);
    expect([(V1 + V13) / V, V2 / V, V13 / V].map((x) => x.toFixed(4))).toEqual([
      '0.5576',
      '0.4424',
      '0.2437',
    ]);
  });

  it('reaches S1 and ST within their tolerances, inside their 95% intervals', () => {
    const s1 = [V1 / V, V2 / V, 0];
    const st = [(V1 + V13) / V, V2 / V, V13 / V];
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(idx.s1[i]!.value - s1[i]!), `S1_${i + 1}`).toBeLessThan(tol.s1[i]!);
      expect(Math.abs(idx.st[i]!.value - st[i]!), `ST_${i + 1}`).toBeLessThan(tol.st[i]!);
      for (const [e, truth] of [
        [idx.s1[i]!, s1[i]!],
        [idx.st[i]!, st[i]!],
      ] as const) {
        expect(e.lo).toBeLessThanOrEqual(truth);
        expect(e.hi).toBeGreaterThanOrEqual(truth);
        // An interval is about 4 standard errors wide; twice the tolerance is generous.
        expect(e.hi - e.lo).toBeLessThan(2 * tol.st[i]! + 2 * tol.s1[i]!);
      }
    }
  });

  it('reaches the second-order indices: S13 = V13/V, S12 = S23 = 0', () => {
    const s2 = [
      [0, 1, 0],
      [0, 2, V13 / V],
      [1, 2, 0],
    ] as const;
    s2.forEach(([i, k, truth], p) => {
      const e = idx.s2![i]![k]!;
      expect(Math.abs(e.value - truth), `S2_${i + 1}${k + 1}`).toBeLessThan(tol.s2[p]!);
      expect(e.lo).toBeLessThanOrEqual(truth);
      expect(e.hi).toBeGreaterThanOrEqual(truth);
    });
  });

  it('gives the same indices without the second-order cells', () => {
    // S1 and ST use only A, B and AB cells: a design without BA cells has the same ones.
    const first = sobolIndices(outputsOn(ishigami, 3, n, false, toPi), 3, false, {
      resamples: 300,
      rng: new RunRng(3, 0, 0, 77),
    });
    expect(first.s2).toBeUndefined();
    expect(first.s1.map((e) => e.value)).toEqual(idx.s1.map((e) => e.value));
    expect(first.st.map((e) => e.value)).toEqual(idx.st.map((e) => e.value));
  });
});

// Sobol's G function: f = Π (|4x_i − 2| + a_i) / (1 + a_i) on [0, 1]^d; a small a_i is an
// important factor. V_i = 1 / (3 (1 + a_i)²), V = Π (1 + V_i) − 1, ST_i = V_i Π_{k≠i} (1 + V_k) / V.
const G_A = [0, 1, 4.5, 9, 99, 99];
const gFunction: F = (x) => G_A.reduce((p, a, i) => (p * (Math.abs(4 * x[i]! - 2) + a)) / (1 + a), 1);
const gVi = G_A.map((a) => 1 / (3 * (1 + a) ** 2));
const gV = gVi.reduce((p, v) => p * (1 + v), 1) - 1;
const gS1 = gVi.map((v) => v / gV);
const gST = gVi.map((v, i) => (v * gVi.reduce((p, w, k) => (k === i ? p : p * (1 + w)), 1)) / gV);

describe('Sobol indices of the G function (a = 0, 1, 4.5, 9, 99, 99)', () => {
  const n = 4096;
  const idx = sobolIndices(
    outputsOn(gFunction, 6, n, false, (x) => x),
    6,
    false,
    {
      resamples: 300,
      rng: new RunRng(9, 0, 0, 77),
    },
  );
  const tol = tolerances(gFunction, 6, n);

  it('reaches the analytic S1 and ST within their tolerances', () => {
    for (let i = 0; i < 6; i++) {
      expect(Math.abs(idx.s1[i]!.value - gS1[i]!), `S1_${i + 1}`).toBeLessThan(tol.s1[i]!);
      expect(Math.abs(idx.st[i]!.value - gST[i]!), `ST_${i + 1}`).toBeLessThan(tol.st[i]!);
    }
    // The analytic values themselves: factor 1 carries most of the variance, 5 and 6 almost none.
    expect(gS1[0]).toBeGreaterThan(0.7);
    expect(gST[4]).toBeLessThan(1e-3);
  });
});

describe('Morris elementary effects of the G function', () => {
  const a = [0, 1, 4.5, 9, 99];
  const g: F = (x) => a.reduce((p, ai, i) => (p * (Math.abs(4 * x[i]! - 2) + ai)) / (1 + ai), 1);

  it('rank the factors by importance: μ* falls as a_i grows', () => {
    const { points, steps } = morrisDesign(5, 60, 4, 2024);
    const y = points.map((p) => g(p));
    const m = morrisIndices(y, steps, 5, { resamples: 500, rng: new RunRng(1, 0, 0, 5) });
    const muStar = m.map((x) => x.muStar.value);
    for (let i = 0; i + 1 < 5; i++)
      expect(muStar[i], `μ*_${i + 1} > μ*_${i + 2}`).toBeGreaterThan(muStar[i + 1]!);
    // |4x − 2| is symmetric about 1/2 and each step of Δ = 2/3 crosses it, so effects change sign
    // as often as not: μ is near 0 while μ* is not, the reason Morris' μ* ranks and μ does not.
    expect(Math.abs(m[0]!.mu)).toBeLessThan(muStar[0]! / 2);
    for (const x of m) {
      expect(x.muStar.lo).toBeLessThanOrEqual(x.muStar.value);
      expect(x.muStar.hi).toBeGreaterThanOrEqual(x.muStar.value);
    }
  });

  it('compute each effect as the change of the output over the signed step', () => {
    // f(x) = 3 x_1 − 2 x_2 + 0 · x_3: every elementary effect of x_i is its coefficient exactly.
    const { points, steps } = morrisDesign(3, 10, 6, 9);
    const y = points.map((p) => 3 * p[0]! - 2 * p[1]!);
    const m = morrisIndices(y, steps, 3, { resamples: 50, rng: new RunRng(1, 0, 0, 5) });
    expect(m[0]!.mu).toBeCloseTo(3, 12);
    expect(m[1]!.mu).toBeCloseTo(-2, 12);
    expect(m[1]!.muStar.value).toBeCloseTo(2, 12);
    expect(m[2]!.muStar.value).toBe(0);
    expect(m[0]!.sigma).toBeCloseTo(0, 12);
  });
});

describe('Morris trajectories', () => {
  it('move one factor per step by ±Δ on the grid, each factor once', () => {
    const levels = 6;
    const delta = levels / (2 * (levels - 1));
    const { points, steps } = morrisDesign(4, 25, levels, 77);
    expect(points).toHaveLength(25 * 5);
    for (let t = 0; t < 25; t++) {
      expect(new Set(steps[t]!.map((s) => s.factor)).size).toBe(4);
      for (let s = 0; s < 4; s++) {
        const before = points[t * 5 + s]!;
        const after = points[t * 5 + s + 1]!;
        const step = steps[t]![s]!;
        for (let i = 0; i < 4; i++) {
          const move = after[i]! - before[i]!;
          expect(move).toBeCloseTo(i === step.factor ? step.delta : 0, 12);
          // On the grid 0, 1/(L − 1), …, 1.
          expect(after[i]! * (levels - 1)).toBeCloseTo(Math.round(after[i]! * (levels - 1)), 9);
        }
      }
    }
    expect(Math.abs(steps[0]![0]!.delta)).toBe(delta);
    // Both directions and every starting level occur.
    const flat = steps.flat();
    expect(flat.some((s) => s.delta > 0) && flat.some((s) => s.delta < 0)).toBe(true);
    expect(new Set(points.map((p) => p[0])).size).toBe(levels);
  });
});
