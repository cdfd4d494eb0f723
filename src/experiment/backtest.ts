/**
 * The backtest against history: each war of a wars file (the layout of
 * data/wars/training_wars.csv) is turned into a scenario with the COW importer on the war's
 * start date, the engine plays it out, and the chance it gives each candidate state of entering
 * the war is compared with whether that state did. Pure logic: it reads the wars file and the
 * COW data, but writes nothing and starts no threads (the CLI runs the plan on the engine).
 *
 * Choices, documented in `entangle backtest --help` and the README:
 * - Initiator: `init_a_*` is the state that attacked (COW's Initiator = 1; in the four training
 *   wars the initial belligerent coded initiator_code 1 in training_war_participants.csv is
 *   init_a every time, also in 1870 where France, the initiator, is on COW side 2). A COW side
 *   equal to `init_a_side` is the model's initiator side (1), the other the target side (2).
 * - Entered: a state entered if the `joiners` column lists it, whenever it joined during the
 *   war (Italy 1915, the United States 1917 count for 1914), as the model's p_enters counts an
 *   entry at any step of the war.
 * - Candidates: every system member on the start date except the two initial belligerents
 *   (`all`), or only those with an alliance (co-members of any alliance, any type) or a land
 *   border with an initial belligerent (`relevant`).
 * - Naive rule: a state enters iff it promises a defense or offense commitment (the importer
 *   keeps ATOP's offense where it is stronger than COW's defense) to an initial belligerent.
 * - Base rate: the share of candidates that entered, pooled over all wars of the file: an
 *   in-sample constant prediction, a yardstick rather than a forecast.
 */
import { InputError } from '../errors.js';
import type { Scenario } from '../model/types.js';
import { importCow } from '../scenario/cow.js';
import { parseCsvTable } from '../scenario/csv-table.js';
import type { ExperimentSpec } from '../scenario/experiment.js';
import { readTextFile } from '../scenario/read.js';
import type { CellAggregate } from './aggregate.js';
import { auc, brier } from './backtest-metrics.js';
import type { Row } from './summary.js';

/** The columns a wars file must have (others, such as the alliance detail columns, are ignored). */
export const WAR_COLUMNS = [
  'war_label',
  'start_date',
  'init_a_ccode',
  'init_a_side',
  'init_b_ccode',
  'init_b_side',
  'joiners',
] as const;

/** Which states a war's backtest scores. */
export type CandidateSet = 'relevant' | 'all';
export const CANDIDATE_SETS: readonly CandidateSet[] = ['relevant', 'all'];

/** One entry of the `joiners` column: `ccode:ABB:sideN:YYYY-MM-DD`. */
export interface Joiner {
  ccode: number;
  abb: string;
  /** The model's side: 1 the initiator's, 2 the target's. */
  side: 1 | 2;
  date: string;
}

/** One war of a wars file. */
export interface HistoricalWar {
  label: string;
  /** Line of the file (1-based, header = 1) for messages. */
  line: number;
  startDate: string;
  year: number;
  initiatorCcode: number;
  targetCcode: number;
  joiners: Joiner[];
}

/** Reads a wars file; a missing file, a missing column or a bad cell is an InputError. */
export function readWars(file: string): HistoricalWar[] {
  const text = readTextFile(file, 'a wars file in the layout of data/wars/training_wars.csv');
  return parseWars(text, file);
}

/** Parses the text of a wars file (`file` names it in messages). */
export function parseWars(text: string, file: string): HistoricalWar[] {
  const { rows, lines } = parseCsvTable(
    text,
    file,
    WAR_COLUMNS,
    '(the layout of data/wars/training_wars.csv)',
  );
  if (rows.length === 0) throw new InputError(`${file}: no wars; expected one row per war below the header`);
  const labels = new Set<string>();
  return rows.map((record, r) => {
    const line = lines[r]!;
    const fail = (column: string, expected: string): never => {
      throw new InputError(
        `${file}: line ${line}, column ${column}: expected ${expected}, found "${record[column] ?? ''}"`,
      );
    };
    const int = (column: string): number => {
      const v = record[column] ?? '';
      if (!/^\d+$/.test(v)) fail(column, 'a whole number');
      return Number(v);
    };
    const label = record.war_label ?? '';
    if (label === '') fail('war_label', 'a name for the war');
    if (labels.has(label)) fail('war_label', 'a name used by no other row');
    labels.add(label);
    const startDate = record.start_date ?? '';
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(startDate);
    if (!m) fail('start_date', 'a date YYYY-MM-DD');
    const initiatorCcode = int('init_a_ccode');
    const targetCcode = int('init_b_ccode');
    if (targetCcode === initiatorCcode)
      fail('init_b_ccode', `a state other than init_a_ccode ${initiatorCcode}`);
    const sideA = int('init_a_side');
    const sideB = int('init_b_side');
    if (sideA !== 1 && sideA !== 2) fail('init_a_side', 'a COW side 1 or 2');
    if (sideB !== 3 - sideA) fail('init_b_side', `the other COW side than init_a_side (${3 - sideA})`);
    const joiners: Joiner[] = [];
    const seen = new Set<number>();
    for (const entry of (record.joiners ?? '').split(';')) {
      if (entry.trim() === '') continue;
      const j = /^(\d+):([A-Za-z]*):side([12])(?::(\d{4}-\d{2}-\d{2}))?$/.exec(entry.trim());
      if (!j) fail('joiners', `entries ccode:ABB:sideN:YYYY-MM-DD separated by ";" (bad entry "${entry}")`);
      const ccode = Number(j![1]);
      if (ccode === initiatorCcode || ccode === targetCcode)
        fail('joiners', `joiners other than the initial belligerents (${ccode} is one)`);
      if (seen.has(ccode)) fail('joiners', `each state once (${ccode} is listed twice)`);
      seen.add(ccode);
      joiners.push({ ccode, abb: j![2]!, side: Number(j![3]) === sideA ? 1 : 2, date: j![4] ?? '' });
    }
    return { label, line, startDate, year: Number(m![1]), initiatorCcode, targetCcode, joiners };
  });
}

/** A candidate state of one war: what the naive rule says and what happened. */
export interface BacktestCase {
  state: string;
  name: string;
  ccode: number | undefined;
  greatPower: boolean;
  /** Its tie to the initial belligerents: alliance, border, alliance+border, or none. */
  tie: 'alliance' | 'border' | 'alliance+border' | 'none';
  /** 1 if it promises a defense or offense commitment to an initial belligerent. */
  naive: 0 | 1;
  entered: 0 | 1;
  enteredSide: 1 | 2 | undefined;
  entryDate: string;
}

/** One war made ready to run: its imported scenario and its candidate states. */
export interface BacktestWar {
  war: HistoricalWar;
  scenario: Scenario;
  cases: BacktestCase[];
  /** Joiners that are not candidates (no tie under `relevant`, or not system members that day). */
  joinersOutside: string[];
}

/**
 * Imports each war's state system on its start date (the CINC of the start year) and picks its
 * candidates. COW importer errors are prefixed with the war's file, line and label.
 */
export function prepareBacktest(
  wars: readonly HistoricalWar[],
  options: { file: string; states: CandidateSet; dataDir?: string },
): BacktestWar[] {
  return wars.map((war) => {
    let scenario: Scenario;
    try {
      ({ scenario } = importCow({
        year: war.year,
        date: war.startDate,
        initiator: String(war.initiatorCcode),
        target: String(war.targetCcode),
        name: war.label,
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      }));
    } catch (err) {
      if (err instanceof InputError) {
        throw new InputError(
          `${options.file}: line ${war.line} (${war.label}): ${err.message.replace(/^--initiator/, 'init_a_ccode').replace(/^--target/, 'init_b_ccode')}`,
        );
      }
      throw err;
    }
    const { initiator, target } = scenario.crisis;
    const belligerents = new Set([initiator, target]);
    const allied = new Set<string>();
    const promises = new Set<string>();
    for (const a of scenario.alliances) {
      if (a.members.some((m) => belligerents.has(m))) for (const m of a.members) allied.add(m);
      if (a.type !== 'defense' && a.type !== 'offense') continue;
      for (const j of a.guarantors ?? a.members) {
        for (const k of a.members) {
          if (j !== k && !a.guarantors?.includes(k) && belligerents.has(k)) promises.add(j);
        }
      }
    }
    const bordering = new Set<string>();
    for (const [x, y] of scenario.borders) {
      if (belligerents.has(x)) bordering.add(y);
      if (belligerents.has(y)) bordering.add(x);
    }
    const joinerOf = new Map(war.joiners.map((j) => [j.ccode, j]));
    const cases: BacktestCase[] = [];
    const candidates = new Set<number>();
    for (const s of scenario.states) {
      if (belligerents.has(s.id)) continue;
      const tie =
        allied.has(s.id) && bordering.has(s.id)
          ? 'alliance+border'
          : allied.has(s.id)
            ? 'alliance'
            : bordering.has(s.id)
              ? 'border'
              : 'none';
      if (options.states === 'relevant' && tie === 'none') continue;
      const joined = s.ccode === undefined ? undefined : joinerOf.get(s.ccode);
      if (s.ccode !== undefined) candidates.add(s.ccode);
      cases.push({
        state: s.id,
        name: s.name,
        ccode: s.ccode,
        greatPower: s.greatPower,
        tie,
        naive: promises.has(s.id) ? 1 : 0,
        entered: joined ? 1 : 0,
        enteredSide: joined?.side,
        entryDate: joined?.date ?? '',
      });
    }
    const joinersOutside = war.joiners
      .filter((j) => !candidates.has(j.ccode))
      .map((j) => j.abb || String(j.ccode));
    return { war, scenario, cases, joinersOutside };
  });
}

/**
 * The experiment that runs every war: one scenario per war, in file order, under `params`
 * overrides (and an optional sweep, whose points become cells inside each war: cell index =
 * war index × points + point index).
 */
export function backtestSpec(
  prepared: readonly BacktestWar[],
  file: string,
  options: { params?: Scenario['params']; sweep?: ExperimentSpec['sweep'] } = {},
): ExperimentSpec {
  return {
    name: 'backtest',
    file,
    scenarios: prepared.map((w) => ({ kind: 'file', file, scenario: w.scenario })),
    sweep: options.sweep ?? {},
    ...(options.params !== undefined ? { params: options.params } : {}),
  };
}

/** What the engine gave one war: its cell's state ids (in order) and aggregate. */
export interface WarPrediction {
  stateIds: readonly string[];
  aggregate: Pick<CellAggregate, 'runs' | 'enters' | 'side1' | 'side2'>;
}

/** Scores of one war or of all wars together; NaN where undefined (no candidates, one class only). */
export interface BacktestScores {
  candidates: number;
  entered: number;
  brierModel: number;
  brierBase: number;
  brierNaive: number;
  aucModel: number;
  aucNaive: number;
}

export interface BacktestResult {
  /** Share of candidates that entered, over all wars (in-sample). */
  baseRate: number;
  wars: { war: BacktestWar; predictions: number[]; scores: BacktestScores }[];
  overall: BacktestScores;
  stateRows: Row[];
  summaryRows: Row[];
}

/** backtest.csv: one row per war and candidate state. */
export const STATE_COLUMNS = [
  'war',
  'start_date',
  'state',
  'state_name',
  'ccode',
  'great_power',
  'tie',
  'p_enters',
  'p_initiator_side',
  'p_target_side',
  'naive',
  'entered',
  'entered_side',
  'entry_date',
  'seed',
  'runs',
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
  'joiners',
  'joiners_not_candidates',
  'base_rate',
  'brier_model',
  'brier_base',
  'brier_naive',
  'auc_model',
  'auc_naive',
  'seed',
  'runs',
  'params',
];

/**
 * Compares the engine's predictions with history. `predictions[i]` belongs to `prepared[i]`.
 * Brier scores and AUC of the overall row pool every candidate of every war.
 */
export function scoreBacktest(
  prepared: readonly BacktestWar[],
  predictions: readonly WarPrediction[],
  meta: { seed: number; runs: number; states: CandidateSet; params?: string },
): BacktestResult {
  if (predictions.length !== prepared.length) {
    throw new RangeError(`${predictions.length} predictions for ${prepared.length} wars`);
  }
  let total = 0;
  let entered = 0;
  for (const w of prepared) {
    total += w.cases.length;
    for (const c of w.cases) entered += c.entered;
  }
  const baseRate = total > 0 ? entered / total : Number.NaN;

  const stateRows: Row[] = [];
  const pooled = { p: [] as number[], naive: [] as number[], o: [] as (0 | 1)[] };
  const wars = prepared.map((w, i) => {
    const { stateIds, aggregate } = predictions[i]!;
    const index = new Map(stateIds.map((id, k) => [id, k]));
    const p: number[] = [];
    for (const c of w.cases) {
      const k = index.get(c.state);
      if (k === undefined) throw new RangeError(`state ${c.state} of ${w.war.label} is not in the cell`);
      const share = (x: ArrayLike<number>) => (aggregate.runs > 0 ? x[k]! / aggregate.runs : 0);
      const pEnters = share(aggregate.enters);
      p.push(pEnters);
      stateRows.push({
        war: w.war.label,
        start_date: w.war.startDate,
        state: c.state,
        state_name: c.name,
        ccode: c.ccode,
        great_power: c.greatPower ? 1 : 0,
        tie: c.tie,
        p_enters: pEnters,
        p_initiator_side: share(aggregate.side1),
        p_target_side: share(aggregate.side2),
        naive: c.naive,
        entered: c.entered,
        entered_side: c.enteredSide === 1 ? 'initiator' : c.enteredSide === 2 ? 'target' : '',
        entry_date: c.entryDate,
        seed: meta.seed,
        runs: aggregate.runs,
      });
    }
    const outcomes = w.cases.map((c) => c.entered);
    const naive = w.cases.map((c) => c.naive);
    pooled.p.push(...p);
    pooled.naive.push(...naive);
    pooled.o.push(...outcomes);
    return { war: w, predictions: p, scores: scores(p, naive, outcomes, baseRate) };
  });
  const overall = scores(pooled.p, pooled.naive, pooled.o, baseRate);

  const num = (x: number) => (Number.isFinite(x) ? x : undefined);
  const summary = (s: BacktestScores): Row => ({
    states: meta.states,
    candidates: s.candidates,
    entered: s.entered,
    base_rate: num(baseRate),
    brier_model: num(s.brierModel),
    brier_base: num(s.brierBase),
    brier_naive: num(s.brierNaive),
    auc_model: num(s.aucModel),
    auc_naive: num(s.aucNaive),
    seed: meta.seed,
    runs: meta.runs,
    params: meta.params ?? '',
  });
  const summaryRows: Row[] = wars.map(({ war: w, scores: s }) => ({
    row_type: 'war',
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
  });
  return { baseRate, wars, overall, stateRows, summaryRows };
}

function scores(p: number[], naive: number[], outcomes: (0 | 1)[], baseRate: number): BacktestScores {
  return {
    candidates: outcomes.length,
    entered: outcomes.reduce<number>((n, o) => n + o, 0),
    brierModel: brier(p, outcomes),
    brierBase: brier(
      outcomes.map(() => baseRate),
      outcomes,
    ),
    brierNaive: brier(naive, outcomes),
    aucModel: auc(p, outcomes),
    aucNaive: auc(naive, outcomes),
  };
}
