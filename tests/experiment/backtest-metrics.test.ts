import { describe, expect, it } from 'vitest';
import {
  auc,
  brier,
  CALIBRATION_EDGES,
  calibrationTable,
  fitLogistic,
  logistic,
} from '../../src/experiment/backtest-metrics.js';

describe('brier', () => {
  it('is the mean squared difference, computed by hand', () => {
    // (0.1² + 0.2² + 0.5²) / 3 = (0.01 + 0.04 + 0.25) / 3 = 0.1
    expect(brier([0.9, 0.2, 0.5], [1, 0, 1])).toBeCloseTo(0.1, 12);
    expect(brier([1, 0], [1, 0])).toBe(0);
    expect(brier([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.25);
    expect(brier([0], [1])).toBe(1);
  });

  it('is NaN without cases and refuses mismatched lengths', () => {
    expect(brier([], [])).toBeNaN();
    expect(() => brier([0.5], [1, 0])).toThrow(/1 predictions but 2 outcomes/);
    expect(() => brier([0.5], [2 as 1])).toThrow(/expected 0 or 1/);
  });
});

describe('auc', () => {
  it('counts the ordered (1, 0) pairs, computed by hand', () => {
    // 1s at 0.35 and 0.8, 0s at 0.1 and 0.4: of the 4 pairs, 0.35 < 0.4 is the one wrong: 3/4.
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.2, 0.9], [0, 1])).toBe(1);
    expect(auc([0.9, 0.1], [0, 1])).toBe(0);
  });

  it('counts ties as one half', () => {
    // 1s at 0.6 and 0.9, 0s at 0.2 and 0.6: pairs 1 + ½ + 1 + 1 = 3.5 of 4.
    expect(auc([0.2, 0.6, 0.6, 0.9], [0, 1, 0, 1])).toBe(0.875);
    expect(auc([0.5, 0.5, 0.5], [1, 0, 0])).toBe(0.5);
  });

  it('is NaN when one class is empty', () => {
    expect(auc([0.1, 0.7], [1, 1])).toBeNaN();
    expect(auc([0.1, 0.7], [0, 0])).toBeNaN();
    expect(auc([], [])).toBeNaN();
  });

  it('agrees with the pair-by-pair definition on random data with many ties', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + Math.floor(next() * 30);
      const p = Array.from({ length: n }, () => Math.floor(next() * 5) / 4);
      const o = Array.from({ length: n }, () => (next() < 0.4 ? 1 : 0) as 0 | 1);
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (o[i] !== 1 || o[j] !== 0) continue;
          pairs++;
          wins += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
        }
      }
      if (pairs === 0) expect(auc(p, o)).toBeNaN();
      else expect(auc(p, o)).toBeCloseTo(wins / pairs, 12);
    }
  });
});

describe('fitLogistic', () => {
  it('recovers the group shares with one binary predictor, computed by hand', () => {
    // x = 0: one of two entered (logit 0); x = 1: three of four (logit ln 3). The maximum-
    // likelihood fit of a saturated model gives those logits exactly (the ridge of 1e-6 moves
    // them by far less than the 1e-5 tolerance).
    const fit = fitLogistic([0, 0, 1, 1, 1, 1], [0, 1, 0, 1, 1, 1]);
    expect(fit.intercept).toBeCloseTo(0, 5);
    expect(fit.slope).toBeCloseTo(Math.log(3), 5);
    expect(logistic(fit, 1)).toBeCloseTo(0.75, 5);
  });

  it('gives a constant without both outcomes, and a finite slope for separable data', () => {
    expect(fitLogistic([1, 2], [0, 0])).toEqual({ intercept: -20, slope: 0 });
    expect(logistic(fitLogistic([1, 2], [1, 1]), 5)).toBeGreaterThan(0.999);
    const separable = fitLogistic([0, 1, 2, 3], [0, 0, 1, 1]);
    expect(Number.isFinite(separable.slope)).toBe(true);
    expect(logistic(separable, 3)).toBeGreaterThan(logistic(separable, 0));
  });
});

describe('calibrationTable', () => {
  it('bins the predictions (finer near 0) against the observed share, computed by hand', () => {
    const bins = calibrationTable([0, 0.005, 0.02, 0.5, 0.95, 1], [0, 1, 0, 1, 1, 1]);
    expect(bins.map((b) => [b.lo, b.hi])).toEqual(
      CALIBRATION_EDGES.slice(0, -1).map((lo, i) => [lo, CALIBRATION_EDGES[i + 1]]),
    );
    const at = (lo: number) => bins.find((b) => b.lo === lo)!;
    expect(at(0)).toEqual({ lo: 0, hi: 0.01, predictedMean: 0.0025, observedShare: 0.5, n: 2 });
    expect(at(0.01)).toEqual({ lo: 0.01, hi: 0.05, predictedMean: 0.02, observedShare: 0, n: 1 });
    expect(at(0.5)).toMatchObject({ predictedMean: 0.5, observedShare: 1, n: 1 });
    // The last bin holds 1 itself.
    expect(at(0.9)).toMatchObject({ predictedMean: 0.975, observedShare: 1, n: 2 });
    expect(at(0.2)).toMatchObject({ n: 0 });
    expect(at(0.2).predictedMean).toBeNaN();
    expect(bins.reduce((n, b) => n + b.n, 0)).toBe(6);
  });
});
