import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { BacktestCase, BacktestWar, CasePrediction } from '../../src/experiment/backtest.js';
import type { Scores } from '../../src/experiment/backtest-scores.js';
import { assignFolds, choosePoint, crossValidate, readSpace } from '../../src/experiment/calibrate.js';

function candidate(state: string, entered: 0 | 1): BacktestCase {
  return {
    state,
    name: state,
    ccode: undefined,
    greatPower: false,
    tie: 'none',
    naive: 0,
    naiveSide: 0,
    capabilityShare: 0.1,
    entered,
    enteredSide: entered ? 1 : undefined,
    entryDate: '',
    switchedSide: 0,
  };
}

/** A war of two candidates, one that joined and one that did not (or none that joined). */
function war(label: string, joined = true): BacktestWar {
  return {
    war: {
      label,
      line: 2,
      startDate: '1900-01-01',
      year: 1900,
      initiatorCcode: 1,
      targetCcode: 2,
      joiners: [],
    },
    file: 'w.csv',
    scenario: undefined as never,
    cases: [candidate(`${label}1`, joined ? 1 : 0), candidate(`${label}2`, 0)],
    joinersOutside: [],
  };
}

const p = (joiner: number, other: number): CasePrediction[] => [
  { enters: joiner, side1: joiner, side2: 0 },
  { enters: other, side1: other, side2: 0 },
];

describe('crossValidate, computed by hand', () => {
  // Point 0 is sharp and right on A and B, sharp and wrong on C; point 1 is lukewarm everywhere.
  // Brier per war: point 0: A 0.01, B 0.01, C 0.81; point 1: 0.16 each.
  const wars = [war('A'), war('B'), war('C')];
  const predictions = [
    [p(0.9, 0.1), p(0.9, 0.1), p(0.1, 0.9)],
    [p(0.6, 0.4), p(0.6, 0.4), p(0.6, 0.4)],
  ];
  const cv = crossValidate(wars, predictions, [0, 1, 2]);

  it('chooses per fold the point with the lowest Brier score on the other folds', () => {
    // Without A: point 0 scores (0.01 + 0.81) / 2 = 0.41, point 1 0.16 → 1. Without B: 1.
    // Without C: point 0 scores 0.01, point 1 0.16 → 0.
    expect(cv.chosen.map((c) => c.point)).toEqual([1, 1, 0]);
    expect(cv.chosen[0]!.inFold.brier.model).toBeCloseTo(0.16, 12);
    expect(cv.chosen[2]!.outOfFold.brier.model).toBeCloseTo(0.81, 12);
  });

  it('pools the out-of-fold predictions: the search judged on wars it did not see', () => {
    expect(cv.crossValidated.brier.model).toBeCloseTo((0.16 + 0.16 + 0.81) / 3, 12);
    // Entrants 0.6, 0.6, 0.1 against abstainers 0.4, 0.4, 0.9: 4 of 9 pairs ordered.
    expect(cv.crossValidated.auc.model).toBeCloseTo(4 / 9, 12);
    expect(cv.crossValidated.candidates).toBe(6);
  });

  it('scores every point on every fold and on all wars, and names the best point on all wars', () => {
    expect(cv.pointScores).toHaveLength(6);
    const s = cv.pointScores.find((x) => x.point === 0 && x.fold === 0)!;
    expect(s.inFold.brier.model).toBeCloseTo(0.41, 12);
    expect(s.outOfFold.brier.model).toBeCloseTo(0.01, 12);
    expect(cv.allWars[0]!.brier.model).toBeCloseTo((0.01 + 0.01 + 0.81) / 3, 12);
    expect(cv.allWars[1]!.brier.model).toBeCloseTo(0.16, 12);
    expect(cv.best).toBe(1);
  });

  it('scores the yardsticks fitted without each fold', () => {
    // Every fold's training wars have one joiner in two candidates: base rate ½, Brier ¼; equal
    // capability shares give the capability fit no slope, the same ½.
    expect(cv.yardsticksOutOfFold.brierBase).toBeCloseTo(0.25, 12);
    expect(cv.yardsticksOutOfFold.brierCapability).toBeCloseTo(0.25, 6);
  });
});

describe('choosePoint', () => {
  // Brier of the model, the base rate and capability, and the model's AUC, per point.
  const score = (model: number, base: number, capability: number, auc: number) =>
    ({ brier: { model, base, capability }, auc: { model: auc } }) as unknown as Scores;
  const scores = [
    score(0.02, 0.014, 0.013, 0.9),
    score(0.012, 0.014, 0.013, 0.7),
    score(0.0125, 0.014, 0.013, 0.8),
  ];

  it('brier: the lowest Brier score; auc: the best AUC among points below both yardsticks', () => {
    expect(choosePoint(scores, 'brier')).toBe(1);
    // Point 0 ranks best but is worse calibrated than the yardsticks; point 2 beats them and ranks better than 1.
    expect(choosePoint(scores, 'auc')).toBe(2);
    // No point beats the yardsticks: the lowest Brier score.
    expect(choosePoint([score(0.02, 0.01, 0.01, 0.9), score(0.015, 0.01, 0.01, 0.6)], 'auc')).toBe(1);
    // Ties: the earlier point.
    expect(choosePoint([score(0.01, 0.02, 0.02, 0.8), score(0.01, 0.02, 0.02, 0.8)], 'auc')).toBe(0);
  });

  it('cross-validates with the auc criterion too', () => {
    const wars = [war('A'), war('B'), war('C')];
    // Point 0 is sharp but puts B's joiner (0.2) below A's and C's abstainers (0.25); point 1 is
    // lukewarm (0.55 against 0.45) and ranks every pair right. Brier per war: point 0 A and C
    // (0.01² + 0.25²) / 2 = 0.03130, B (0.8² + 0.01²) / 2 = 0.32005; point 1 0.2025 each. Both
    // beat the yardsticks (¼) on any two wars. Without A (or C): point 0 scores 0.1757 and AUC
    // ¾, point 1 0.2025 and AUC 1. Without B: both AUC 1, point 0 the better Brier score.
    const predictions = [
      [p(0.99, 0.25), p(0.2, 0.01), p(0.99, 0.25)],
      [p(0.55, 0.45), p(0.55, 0.45), p(0.55, 0.45)],
    ];
    const folds = [0, 1, 2];
    expect(crossValidate(wars, predictions, folds, 'brier').chosen.map((c) => c.point)).toEqual([0, 0, 0]);
    expect(crossValidate(wars, predictions, folds, 'auc').chosen.map((c) => c.point)).toEqual([1, 0, 1]);
  });
});

describe('assignFolds', () => {
  const wars = [war('A'), war('B', false), war('C'), war('D', false), war('E'), war('F', false), war('G')];

  it('is the same for the same seed, deals wars with joiners evenly, and refuses impossible k', () => {
    const folds = assignFolds(wars, 3, 7);
    expect(assignFolds(wars, 3, 7)).toEqual(folds);
    expect(new Set(folds)).toEqual(new Set([0, 1, 2]));
    // Four wars with joiners in three folds: 2, 1, 1 of them.
    const withJoiners = [0, 2, 4, 6].map((w) => folds[w]!);
    const perFold = [0, 1, 2].map((f) => withJoiners.filter((x) => x === f).length).sort();
    expect(perFold).toEqual([1, 1, 2]);
    expect(() => assignFolds(wars, 1, 7)).toThrow(InputError);
    expect(() => assignFolds(wars, 8, 7)).toThrow(/from 2 to the number of wars \(7\)/);
  });
});

describe('readSpace', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-space-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('reads a grid in the experiment file syntax, and a Latin hypercube over ranges', () => {
    const grid = readSpace(
      file(
        'grid.yaml',
        'sweep:\n  reliability.defense: { from: 0.2, to: 0.4, step: 0.1 }\n  borderHazard: [0, 0.01]\n',
      ),
      1,
    );
    expect(grid.keys).toEqual(['reliability.defense', 'borderHazard']);
    expect(grid.points).toEqual([
      { 'reliability.defense': 0.2, borderHazard: 0 },
      { 'reliability.defense': 0.2, borderHazard: 0.01 },
      { 'reliability.defense': 0.3, borderHazard: 0 },
      { 'reliability.defense': 0.3, borderHazard: 0.01 },
      { 'reliability.defense': 0.4, borderHazard: 0 },
      { 'reliability.defense': 0.4, borderHazard: 0.01 },
    ]);
    const lhs = readSpace(
      file(
        'lhs.yaml',
        'sweep:\n  settlement: { from: 0.1, to: 0.3 }\ndesign: { lhs: 5 }\nparams: { maxSteps: 24 }\n',
      ),
      1,
    );
    expect(lhs.points).toHaveLength(5);
    // One point in each fifth of the range.
    expect(lhs.points.map((x) => Math.floor((x.settlement! - 0.1) / 0.04)).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(lhs.params).toEqual({ maxSteps: 24 });
  });

  it('refuses an unknown parameter, a list in a hypercube, a value a parameter cannot take', () => {
    expect(() => readSpace(file('a.yaml', 'sweep:\n  reliability.alliance: [0.5]\n'), 1)).toThrow(
      /sweep\.reliability\.alliance: unknown parameter/,
    );
    expect(() => readSpace(file('b.yaml', 'sweep:\n  settlement: [0.1]\ndesign: { lhs: 3 }\n'), 1)).toThrow(
      /needs ranges/,
    );
    expect(() => readSpace(file('c.yaml', 'sweep:\n  settlement: [0.1, 1.5]\n'), 1)).toThrow(
      /point 2 has settlement = 1.5/,
    );
    expect(() => readSpace(file('d.yaml', 'sweep: {}\n'), 1)).toThrow(/at least one parameter/);
  });
});
