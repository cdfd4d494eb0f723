/**
 * Scores of the backtest: the model against three yardsticks, side-blind (did the state enter?)
 * and side-aware (did it enter on the side predicted?), for any set of cases (one war, all wars,
 * the held-out wars of a fold).
 *
 * Yardsticks:
 * - base rate: the share of candidates that entered (side-aware: that entered on each side),
 *   given to every candidate; fitted on the wars it is told to fit (in-sample in the backtest);
 * - naive rule: 1 for a state that promises a defense or offense commitment to an initial
 *   belligerent, else 0 (side-aware: 1 on that belligerent's side, ½ on each when it promises
 *   to both);
 * - capability alone: the state's CINC share of the system. Its AUC ranks states by that share
 *   (no fitting); its Brier score needs a chance, from a logistic regression of entry on the log
 *   share (floored at 1e-6) fitted on the wars it is told to fit (in-sample in the backtest,
 *   labelled so); side-aware, half of that chance on each side (capability says nothing of sides).
 */
import type { BacktestCase, CasePrediction } from './backtest.js';
import { auc, brier, fitLogistic, type LogisticFit, logistic } from './backtest-metrics.js';

/** One scored case: a candidate state of a war and the model's chances for it. */
export interface ScoredCase {
  case: BacktestCase;
  p: CasePrediction;
}

/** The yardsticks' fitted constants. */
export interface Yardsticks {
  baseRate: number;
  /** Share that entered on the initiator's side, and on the target's. */
  baseRateSide: [number, number];
  capability: LogisticFit;
}

/** Every score for one set of cases; NaN where undefined (no cases, or one class only). */
export interface Scores {
  candidates: number;
  /** Observed joiners among the candidates, and the model's expected number (Σ p_enters). */
  entered: number;
  expected: number;
  brier: Record<Forecaster, number>;
  auc: Record<Forecaster, number>;
  brierSide: Record<Forecaster, number>;
  aucSide: Record<Forecaster, number>;
  /** Candidates that entered with a predicted chance of exactly 0 (state ids). */
  zeroJoiners: string[];
}

/** The model and its yardsticks. */
export const FORECASTERS = ['model', 'base', 'naive', 'capability'] as const;
export type Forecaster = (typeof FORECASTERS)[number];

/** The predictor the capability yardstick regresses on: log CINC share, floored at 1e-6. */
export function capabilityPredictor(c: BacktestCase): number {
  return Math.log(Math.max(c.capabilityShare, 1e-6));
}

/** The yardsticks fitted on a set of cases. */
export function fitYardsticks(cases: readonly BacktestCase[]): Yardsticks {
  const n = cases.length;
  let entered = 0;
  let side1 = 0;
  let side2 = 0;
  for (const c of cases) {
    entered += c.entered;
    if (c.enteredSide === 1) side1++;
    if (c.enteredSide === 2) side2++;
  }
  return {
    baseRate: n > 0 ? entered / n : Number.NaN,
    baseRateSide: [n > 0 ? side1 / n : Number.NaN, n > 0 ? side2 / n : Number.NaN],
    capability: fitLogistic(
      cases.map(capabilityPredictor),
      cases.map((c) => c.entered),
    ),
  };
}

/** The capability yardstick's chance for a case. */
export function capabilityChance(c: BacktestCase, y: Yardsticks): number {
  return logistic(y.capability, capabilityPredictor(c));
}

/** Each forecaster's chance of entry for a case (side-blind). */
function chances(s: ScoredCase, y: Yardsticks): Record<Forecaster, number> {
  return {
    model: s.p.enters,
    base: y.baseRate,
    naive: s.case.naive,
    capability: capabilityChance(s.case, y),
  };
}

/** Each forecaster's chances of entry on the initiator's side and on the target's. */
function sideChances(s: ScoredCase, y: Yardsticks): Record<Forecaster, [number, number]> {
  const q = capabilityChance(s.case, y) / 2;
  const n = s.case.naiveSide;
  return {
    model: [s.p.side1, s.p.side2],
    base: y.baseRateSide,
    naive: n === 3 ? [0.5, 0.5] : [n === 1 ? 1 : 0, n === 2 ? 1 : 0],
    capability: [q, q],
  };
}

/** Rankings for the AUC: the model's and the naive rule's chances, capability by its share. */
function ranking(s: ScoredCase, f: Forecaster, y: Yardsticks, chance: number): number {
  return f === 'capability' ? s.case.capabilityShare : f === 'base' ? y.baseRate : chance;
}

/**
 * Every score of a set of cases under fitted yardsticks. Side-aware scores treat each candidate
 * as two cases, "entered on the initiator's side" and "entered on the target's side", each
 * with the forecaster's chance for that side. The base rate gives every case one chance, so
 * its AUC is ½ by construction and left NaN.
 */
export function scoreCases(cases: readonly ScoredCase[], y: Yardsticks): Scores {
  const outcomes = cases.map((s) => s.case.entered);
  const sideOutcomes = cases.flatMap((s) => [
    s.case.enteredSide === 1 ? 1 : 0,
    s.case.enteredSide === 2 ? 1 : 0,
  ]) as (0 | 1)[];
  const out: Scores = {
    candidates: cases.length,
    entered: outcomes.reduce<number>((n, o) => n + o, 0),
    expected: cases.reduce((n, s) => n + s.p.enters, 0),
    brier: {} as Scores['brier'],
    auc: {} as Scores['auc'],
    brierSide: {} as Scores['brierSide'],
    aucSide: {} as Scores['aucSide'],
    zeroJoiners: cases.filter((s) => s.case.entered === 1 && s.p.enters === 0).map((s) => s.case.state),
  };
  const all = cases.map((s) => ({ p: chances(s, y), side: sideChances(s, y) }));
  for (const f of FORECASTERS) {
    const p = all.map((a) => a.p[f]);
    const pSide = all.flatMap((a) => a.side[f]);
    out.brier[f] = brier(p, outcomes);
    out.brierSide[f] = brier(pSide, sideOutcomes);
    if (f === 'base') {
      out.auc[f] = Number.NaN;
      out.aucSide[f] = Number.NaN;
      continue;
    }
    out.auc[f] = auc(
      cases.map((s, i) => ranking(s, f, y, p[i]!)),
      outcomes,
    );
    out.aucSide[f] = auc(
      cases.flatMap((s, i) => [ranking(s, f, y, pSide[2 * i]!), ranking(s, f, y, pSide[2 * i + 1]!)]),
      sideOutcomes,
    );
  }
  return out;
}
