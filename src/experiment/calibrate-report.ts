/**
 * The files of `entangle calibrate` as rows: calibrate-points.csv (every point's in-fold and
 * out-of-fold scores), calibrate-folds.csv (the point each fold chose) and
 * calibrate-summary.csv (the cross-validated search, the defaults and the best point, against
 * the yardsticks).
 */
import { getParam } from '../model/params.js';
import type { BacktestWar, CandidateSet } from './backtest.js';
import { SCORE_COLUMNS, scoreCells } from './backtest-report.js';
import type { Scores } from './backtest-scores.js';
import { type CrossValidation, pointParams, type Space } from './calibrate.js';
import { finiteCell, type Row } from './summary.js';

/** The value of every searched parameter at a point (the defaults' values at point 0). */
function values(space: Pick<Space, 'params'>, point: Record<string, number>, keys: readonly string[]): Row {
  const params = pointParams(space, point);
  return Object.fromEntries(keys.map((k) => [k, getParam(params, k)]));
}

const SIDES = ['in_fold', 'out_of_fold'] as const;
const PART = ['wars', 'candidates', 'entered', 'brier', 'auc', 'brier_side', 'auc_side'] as const;

/** calibrate-points.csv: point, its values, fold (1…k, or `all`), then in-fold and out-of-fold scores. */
export function pointColumns(keys: readonly string[]): string[] {
  return ['point', ...keys, 'fold', ...SIDES.flatMap((s) => PART.map((p) => `${s}_${p}`)), 'chosen'];
}

function part(prefix: string, wars: number, s: Scores): Row {
  return {
    [`${prefix}_wars`]: wars,
    [`${prefix}_candidates`]: s.candidates,
    [`${prefix}_entered`]: s.entered,
    [`${prefix}_brier`]: finiteCell(s.brier.model),
    [`${prefix}_auc`]: finiteCell(s.auc.model),
    [`${prefix}_brier_side`]: finiteCell(s.brierSide.model),
    [`${prefix}_auc_side`]: finiteCell(s.aucSide.model),
  };
}

/** Every point × fold, then every point on all wars (fold `all`, in-fold = every war). */
export function calibratePointRows(
  cv: CrossValidation,
  space: Pick<Space, 'params'>,
  points: readonly Record<string, number>[],
  keys: readonly string[],
): Row[] {
  const k = cv.chosen.length;
  const warsIn = (f: number) => cv.folds.filter((x) => x === f).length;
  const rows: Row[] = [];
  points.forEach((point, p) => {
    const base = { point: p, ...values(space, point, keys) };
    for (let f = 0; f < k; f++) {
      const s = cv.pointScores.find((x) => x.point === p && x.fold === f)!;
      rows.push({
        ...base,
        fold: f + 1,
        ...part('in_fold', cv.folds.length - warsIn(f), s.inFold),
        ...part('out_of_fold', warsIn(f), s.outOfFold),
        chosen: cv.chosen[f]!.point === p ? 1 : 0,
      });
    }
    rows.push({ ...base, fold: 'all', ...part('in_fold', cv.folds.length, cv.allWars[p]!), chosen: '' });
  });
  return rows;
}

/** calibrate-folds.csv: one row per fold, the point it chose and how that point did. */
export function foldColumns(keys: readonly string[]): string[] {
  return [
    'fold',
    'wars',
    'war_labels',
    'point',
    ...keys,
    ...SIDES.flatMap((s) => PART.map((p) => `${s}_${p}`)),
  ];
}

/** The folds' rows. */
export function foldRows(
  cv: CrossValidation,
  wars: readonly BacktestWar[],
  space: Pick<Space, 'params'>,
  points: readonly Record<string, number>[],
  keys: readonly string[],
): Row[] {
  return cv.chosen.map((c) => {
    const labels = wars.filter((_, w) => cv.folds[w] === c.fold).map((w) => w.war.label);
    return {
      fold: c.fold + 1,
      wars: labels.length,
      war_labels: labels.join(';'),
      point: c.point,
      ...values(space, points[c.point]!, keys),
      ...part('in_fold', cv.folds.length - labels.length, c.inFold),
      ...part('out_of_fold', labels.length, c.outOfFold),
    };
  });
}

const OUT_OF_FOLD = [
  'brier_base_out_of_fold',
  'brier_capability_out_of_fold',
  'brier_side_base_out_of_fold',
  'brier_side_capability_out_of_fold',
];

/** calibrate-summary.csv: the search cross-validated, the defaults and the best point on all wars. */
export function summaryColumns(keys: readonly string[]): string[] {
  return [
    'row',
    'point',
    ...keys,
    'candidates',
    'entered',
    'expected_joiners',
    'joiners_at_zero',
    ...SCORE_COLUMNS,
    ...OUT_OF_FOLD,
    'folds',
    'criterion',
    'states',
    'seed',
    'runs',
  ];
}

/**
 * Three rows. `cross_validated`: every war under the point chosen without its fold (the score
 * of the search on wars it did not see). `defaults`: point 0 on every war (nothing fitted, so
 * it is out of sample as it stands). `best_point`: the point the criterion prefers on all wars,
 * in-sample (what the defaults would become). Yardstick columns as in the backtest
 * (fitted in-sample), and the base rate and capability fitted without each fold (`*_out_of_fold`).
 */
export function calibrateSummaryRows(
  cv: CrossValidation,
  space: Pick<Space, 'params'>,
  points: readonly Record<string, number>[],
  keys: readonly string[],
  meta: { seed: number; runs: number; states: CandidateSet },
): Row[] {
  const y = cv.yardsticksOutOfFold;
  const common = {
    brier_base_out_of_fold: finiteCell(y.brierBase),
    brier_capability_out_of_fold: finiteCell(y.brierCapability),
    brier_side_base_out_of_fold: finiteCell(y.brierSideBase),
    brier_side_capability_out_of_fold: finiteCell(y.brierSideCapability),
    folds: cv.chosen.length,
    criterion: cv.criterion,
    states: meta.states,
    seed: meta.seed,
    runs: meta.runs,
  };
  const row = (name: string, s: Scores, point?: number): Row => ({
    row: name,
    point,
    ...(point !== undefined ? values(space, points[point]!, keys) : {}),
    candidates: s.candidates,
    entered: s.entered,
    expected_joiners: s.expected,
    joiners_at_zero: s.zeroJoiners.join(';'),
    ...scoreCells(s),
    ...common,
  });
  return [
    row('cross_validated', cv.crossValidated),
    row('defaults', cv.allWars[0]!, 0),
    row('best_point', cv.allWars[cv.best]!, cv.best),
  ];
}

/** calibrate-cases.csv: every candidate of every war under the point chosen without its fold. */
export const CASE_COLUMNS = [
  'war',
  'start_date',
  'state',
  'fold',
  'point',
  'p_enters',
  'p_initiator_side',
  'p_target_side',
  'entered',
  'entered_side',
];

/** The cross-validated chances, one row per war and candidate (in fold order). */
export function caseRows(cv: CrossValidation, wars: readonly BacktestWar[]): Row[] {
  return cv.crossValidatedCases.map(({ case: c, p }, i) => {
    const w = wars[cv.crossValidatedWars[i]!]!;
    const f = cv.crossValidatedFolds[i]!;
    return {
      war: w.war.label,
      start_date: w.war.startDate,
      state: c.state,
      fold: f + 1,
      point: cv.chosen[f]!.point,
      p_enters: p.enters,
      p_initiator_side: p.side1,
      p_target_side: p.side2,
      entered: c.entered,
      entered_side: c.enteredSide === 1 ? 'initiator' : c.enteredSide === 2 ? 'target' : '',
    };
  });
}
