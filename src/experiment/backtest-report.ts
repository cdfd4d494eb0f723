/**
 * The backtest's files as rows: backtest.csv (one row per war and scored state),
 * backtest-summary.csv (one row per war, then one for all wars pooled) and calibration.csv
 * (predicted chance binned against the observed share).
 */
import type { BacktestWar, CandidateSet, CasePrediction } from './backtest.js';
import { calibrationTable } from './backtest-metrics.js';
import {
  capabilityChance,
  FORECASTERS,
  type Forecaster,
  fitYardsticks,
  type ScoredCase,
  type Scores,
  scoreCases,
  type Yardsticks,
} from './backtest-scores.js';
import { finiteCell, type Row } from './summary.js';

/** backtest.csv: one row per war and candidate state. */
export const STATE_COLUMNS = [
  'war',
  'start_date',
  'state',
  'state_name',
  'ccode',
  'great_power',
  'tie',
  'capability_share',
  'p_enters',
  'p_initiator_side',
  'p_target_side',
  'p_capability_insample',
  'reachable',
  'naive',
  'naive_side',
  'entered',
  'entered_side',
  'switched_side',
  'entry_date',
  'seed',
  'runs',
];

/** How the summary names each forecaster's columns; the capability Brier is fitted in-sample. */
const BRIER_NAME: Record<Forecaster, string> = {
  model: 'model',
  base: 'base',
  naive: 'naive',
  capability: 'capability_insample',
};

/** The score columns of a summary row, also used by calibrate (same names, same meaning). */
export const SCORE_COLUMNS = [
  ...FORECASTERS.map((f) => `brier_${BRIER_NAME[f]}`),
  ...FORECASTERS.filter((f) => f !== 'base').map((f) => `auc_${f}`),
  ...FORECASTERS.map((f) => `brier_side_${BRIER_NAME[f]}`),
  ...FORECASTERS.filter((f) => f !== 'base').map((f) => `auc_side_${f}`),
];

/** backtest-summary.csv: one row per war (row_type war), then one for all wars (row_type overall). */
export const SUMMARY_COLUMNS = [
  'row_type',
  'war',
  'start_date',
  'initiator',
  'target',
  'states',
  'candidates',
  'entered',
  'expected_joiners',
  'joiners',
  'joiners_not_candidates',
  'joiners_at_zero',
  'joiners_unreachable',
  'base_rate',
  ...SCORE_COLUMNS,
  'seed',
  'runs',
  'params',
];

/** calibration.csv: the pooled model chances binned (bins of CALIBRATION_EDGES). */
export const CALIBRATION_COLUMNS = ['bin_lo', 'bin_hi', 'predicted_mean', 'observed_share', 'n'];

/** The backtest scored: yardsticks fitted on all its cases (in-sample), per war and pooled. */
export interface BacktestResult {
  yardsticks: Yardsticks;
  wars: { war: BacktestWar; predictions: CasePrediction[]; scores: Scores }[];
  overall: Scores;
  stateRows: Row[];
  summaryRows: Row[];
  calibrationRows: Row[];
}

/** A Scores object as the score columns of a row. */
export function scoreCells(s: Scores): Row {
  const row: Row = {};
  for (const f of FORECASTERS) {
    row[`brier_${BRIER_NAME[f]}`] = finiteCell(s.brier[f]);
    row[`brier_side_${BRIER_NAME[f]}`] = finiteCell(s.brierSide[f]);
    if (f === 'base') continue;
    row[`auc_${f}`] = finiteCell(s.auc[f]);
    row[`auc_side_${f}`] = finiteCell(s.aucSide[f]);
  }
  return row;
}

/** The calibration table of a set of scored cases, as rows. */
export function calibrationRows(cases: readonly ScoredCase[]): Row[] {
  return calibrationTable(
    cases.map((s) => s.p.enters),
    cases.map((s) => s.case.entered),
  ).map((b) => ({
    bin_lo: b.lo,
    bin_hi: b.hi,
    predicted_mean: finiteCell(b.predictedMean),
    observed_share: finiteCell(b.observedShare),
    n: b.n,
  }));
}

/**
 * Compares the model's chances with history. `predictions[i]` belongs to `prepared[i]`. The
 * overall row pools every candidate of every war (not the mean of the war rows).
 */
export function scoreBacktest(
  prepared: readonly BacktestWar[],
  predictions: readonly CasePrediction[][],
  meta: {
    seed: number;
    runs: number;
    states: CandidateSet;
    params?: string;
    /** Per war, the states some path of the model could bring in (backtest-reach.ts). */
    reachable: readonly Set<string>[];
  },
): BacktestResult {
  if (predictions.length !== prepared.length) {
    throw new RangeError(`${predictions.length} predictions for ${prepared.length} wars`);
  }
  const yardsticks = fitYardsticks(prepared.flatMap((w) => w.cases));
  const scored = prepared.map((w, i) => w.cases.map((c, k) => ({ case: c, p: predictions[i]![k]! })));
  const wars = prepared.map((w, i) => ({
    war: w,
    predictions: predictions[i]!,
    scores: scoreCases(scored[i]!, yardsticks),
  }));
  const pooled = scored.flat();
  const overall = scoreCases(pooled, yardsticks);

  const stateRows: Row[] = [];
  prepared.forEach((w, i) => {
    for (const { case: c, p } of scored[i]!) {
      stateRows.push({
        war: w.war.label,
        start_date: w.war.startDate,
        state: c.state,
        state_name: c.name,
        ccode: c.ccode,
        great_power: c.greatPower ? 1 : 0,
        tie: c.tie,
        capability_share: c.capabilityShare,
        p_enters: p.enters,
        p_initiator_side: p.side1,
        p_target_side: p.side2,
        p_capability_insample: capabilityChance(c, yardsticks),
        reachable: meta.reachable[i]!.has(c.state) ? 1 : 0,
        naive: c.naive,
        naive_side: ['', 'initiator', 'target', 'both'][c.naiveSide],
        entered: c.entered,
        entered_side: c.enteredSide === 1 ? 'initiator' : c.enteredSide === 2 ? 'target' : '',
        switched_side: c.switchedSide,
        entry_date: c.entryDate,
        seed: meta.seed,
        runs: meta.runs,
      });
    }
  });

  const unreachable = (i: number) =>
    prepared[i]!.cases.filter((c) => c.entered === 1 && !meta.reachable[i]!.has(c.state)).map((c) => c.state);
  const summary = (s: Scores): Row => ({
    states: meta.states,
    candidates: s.candidates,
    entered: s.entered,
    expected_joiners: s.expected,
    joiners_at_zero: s.zeroJoiners.join(';'),
    base_rate: finiteCell(yardsticks.baseRate),
    ...scoreCells(s),
    seed: meta.seed,
    runs: meta.runs,
    params: meta.params ?? '',
  });
  const summaryRows: Row[] = wars.map(({ war: w, scores: s }, i) => ({
    row_type: 'war',
    joiners_unreachable: unreachable(i).join(';'),
    war: w.war.label,
    start_date: w.war.startDate,
    initiator: w.scenario.crisis.initiator,
    target: w.scenario.crisis.target,
    joiners: w.war.joiners.length,
    joiners_not_candidates: w.joinersOutside.join(';'),
    ...summary(s),
  }));
  summaryRows.push({
    row_type: 'overall',
    war: '',
    joiners: prepared.reduce((n, w) => n + w.war.joiners.length, 0),
    joiners_not_candidates: '',
    ...summary(overall),
    // Pooled, a state id alone would not say which war: `war: id`.
    joiners_at_zero: wars
      .flatMap((w) => w.scores.zeroJoiners.map((id) => `${w.war.war.label}: ${id}`))
      .join(';'),
    joiners_unreachable: prepared
      .flatMap((w, i) => unreachable(i).map((id) => `${w.war.label}: ${id}`))
      .join(';'),
  });
  return { yardsticks, wars, overall, stateRows, summaryRows, calibrationRows: calibrationRows(pooled) };
}
