import { describe, expect, it } from 'vitest';
import type { BacktestCase } from '../../src/experiment/backtest.js';
import { fitYardsticks, type ScoredCase, scoreCases } from '../../src/experiment/backtest-scores.js';

/** A candidate with what the scores read; the rest filled in. */
function candidate(
  state: string,
  entered: 0 | 1,
  enteredSide: 1 | 2 | undefined,
  naiveSide: BacktestCase['naiveSide'],
  capabilityShare: number,
): BacktestCase {
  return {
    state,
    name: state,
    ccode: undefined,
    greatPower: false,
    tie: 'none',
    naive: naiveSide > 0 ? 1 : 0,
    naiveSide,
    capabilityShare,
    entered,
    enteredSide,
    entryDate: '',
    switchedSide: 0,
  };
}

// Four candidates: c1 entered on the initiator's side, c3 on the target's, c2 and c4 stayed out.
const CASES: ScoredCase[] = [
  { case: candidate('c1', 1, 1, 1, 0.5), p: { enters: 0.8, side1: 0.6, side2: 0.2 } },
  { case: candidate('c2', 0, undefined, 0, 0.1), p: { enters: 0.2, side1: 0.1, side2: 0.1 } },
  { case: candidate('c3', 1, 2, 3, 0.3), p: { enters: 0.5, side1: 0.5, side2: 0 } },
  { case: candidate('c4', 0, undefined, 2, 0.1), p: { enters: 0, side1: 0, side2: 0 } },
];
// Capability fit with slope 0 and intercept 0: a chance of ½ for everyone.
const YARDSTICKS = {
  baseRate: 0.5,
  baseRateSide: [0.25, 0.25] as [number, number],
  capability: { intercept: 0, slope: 0 },
};

describe('scoreCases, computed by hand', () => {
  const s = scoreCases(CASES, YARDSTICKS);

  it('counts the candidates, joiners and expected joiners', () => {
    expect(s).toMatchObject({ candidates: 4, entered: 2, zeroJoiners: [] });
    expect(s.expected).toBeCloseTo(1.5, 12);
  });

  it('gives side-blind Brier scores and AUCs of the model and the yardsticks', () => {
    // Model: (0.2² + 0.2² + 0.5² + 0²) / 4 = 0.0825. Naive [1, 0, 1, 1]: one miss, 1/4.
    expect(s.brier.model).toBeCloseTo(0.0825, 12);
    expect(s.brier.base).toBeCloseTo(0.25, 12);
    expect(s.brier.naive).toBeCloseTo(0.25, 12);
    expect(s.brier.capability).toBeCloseTo(0.25, 12);
    expect(s.auc.model).toBe(1);
    // Naive: (c1,c2) 1, (c1,c4) ½, (c3,c2) 1, (c3,c4) ½ → 3/4. Capability ranks shares 0.5, 0.3 over 0.1, 0.1.
    expect(s.auc.naive).toBe(0.75);
    expect(s.auc.capability).toBe(1);
    expect(s.auc.base).toBeNaN();
  });

  it('gives side-aware scores over two cases per candidate, one per side', () => {
    // Model, per side: (0.4² + 0.2²) + (0.1² + 0.1²) + (0.5² + 1²) + 0 = 1.47 over 8.
    expect(s.brierSide.model).toBeCloseTo(1.47 / 8, 12);
    // Naive: c3 promises both sides (½ each): 0.25 + 0.25; c4 the target's side, stayed out: 1.
    expect(s.brierSide.naive).toBeCloseTo(1.5 / 8, 12);
    expect(s.brierSide.base).toBeCloseTo(1.5 / 8, 12);
    expect(s.brierSide.capability).toBeCloseTo(1.5 / 8, 12);
    // Model: 0.6 beats all six non-entries; 0 beats none and ties two: (6 + 1) / 12.
    expect(s.aucSide.model).toBeCloseTo(7 / 12, 12);
    expect(s.aucSide.naive).toBeCloseTo(10 / 12, 12);
    expect(s.aucSide.capability).toBeCloseTo(10 / 12, 12);
  });

  it('lists joiners the model gave exactly 0', () => {
    const zero = scoreCases(
      [...CASES, { case: candidate('c5', 1, 2, 0, 0.01), p: { enters: 0, side1: 0, side2: 0 } }],
      YARDSTICKS,
    );
    expect(zero.zeroJoiners).toEqual(['c5']);
  });
});

describe('fitYardsticks', () => {
  it('takes the shares that entered, overall and by side', () => {
    const y = fitYardsticks(CASES.map((c) => c.case));
    expect(y.baseRate).toBe(0.5);
    expect(y.baseRateSide).toEqual([0.25, 0.25]);
    // Entry rises with capability share here (0.5 and 0.3 entered, 0.1 twice did not).
    expect(y.capability.slope).toBeGreaterThan(0);
  });
});
