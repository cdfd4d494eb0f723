/**
 * The backtest against history: each war of a wars file is turned into a scenario with the
 * COW importer on the war's start date, the engine plays it out, and the chance it gives each
 * candidate state of entering the war is compared with whether that state did. Pure logic: it
 * reads the COW data, but writes nothing and starts no threads (the CLI runs the plan).
 *
 * Choices, documented in `entangle backtest --help` and the README:
 * - Initiator: `init_a_*` is the state that attacked (COW's Initiator = 1). A COW side equal to
 *   `init_a_side` is the model's initiator side (1), the other the target side (2).
 * - Entered: a state entered if the `joiners` column lists it, whenever it joined during the
 *   war (Italy 1915 counts for 1914), as the model's p_enters counts an entry at any step. A
 *   state listed more than once (it switched sides) is scored on its first entry.
 * - Candidates: every system member on the start date except the two initial belligerents
 *   (`all`, the default), or only those in an alliance with, or on a land border with, an
 *   initial belligerent (`relevant`).
 * - Yardsticks (backtest-scores.ts): base rate, naive rule, capability alone.
 */
import { InputError } from '../errors.js';
import { promises } from '../model/compile.js';
import type { Scenario } from '../model/types.js';
import { importCow } from '../scenario/cow/index.js';
import type { ExperimentSpec } from '../scenario/experiment.js';
import { type HistoricalWar, readWars } from '../scenario/wars.js';
import { BOOLEAN_FIELDS, type CellAggregate } from './aggregate.js';

/** Which states a war's backtest scores. */
export type CandidateSet = 'relevant' | 'all';
export const CANDIDATE_SETS: readonly CandidateSet[] = ['all', 'relevant'];

/** A candidate state of one war: its ties, what the yardsticks need, and what happened. */
export interface BacktestCase {
  state: string;
  name: string;
  ccode: number | undefined;
  greatPower: boolean;
  /** Its tie to the initial belligerents: alliance, border, alliance+border, or none. */
  tie: 'alliance' | 'border' | 'alliance+border' | 'none';
  /** 1 if it promises a defense or offense commitment to an initial belligerent. */
  naive: 0 | 1;
  /** Whose side those promises are to: 1 the initiator's, 2 the target's, 3 both, 0 none. */
  naiveSide: 0 | 1 | 2 | 3;
  /** Its CINC as a share of the whole system's on the start date. */
  capabilityShare: number;
  entered: 0 | 1;
  /** The side of its first entry. */
  enteredSide: 1 | 2 | undefined;
  entryDate: string;
  /** 1 if the wars file lists it again later on the other side. */
  switchedSide: 0 | 1;
}

/** One war made ready to run: its imported scenario and its candidate states. */
export interface BacktestWar {
  war: HistoricalWar;
  /** The wars file it came from (several files may be scored together). */
  file: string;
  scenario: Scenario;
  cases: BacktestCase[];
  /** Joiners that are not candidates (no tie under `relevant`, or not system members that day). */
  joinersOutside: string[];
}

/** The model's chances for one case: entering at all, on the initiator's side, on the target's. */
export interface CasePrediction {
  enters: number;
  side1: number;
  side2: number;
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
    return { war, file: options.file, scenario, ...candidates(war, scenario, options.states) };
  });
}

function candidates(
  war: HistoricalWar,
  scenario: Scenario,
  states: CandidateSet,
): Pick<BacktestWar, 'cases' | 'joinersOutside'> {
  const { initiator, target } = scenario.crisis;
  const sideOf = new Map([
    [initiator, 1],
    [target, 2],
  ]);
  const allied = new Set<string>();
  const naiveSide = new Map<string, number>();
  for (const a of scenario.alliances) {
    if (a.members.some((m) => sideOf.has(m))) for (const m of a.members) allied.add(m);
    if (a.type !== 'defense' && a.type !== 'offense') continue;
    for (const j of a.members)
      for (const [k, side] of sideOf)
        if (a.members.includes(k) && promises(a, j, k)) naiveSide.set(j, (naiveSide.get(j) ?? 0) | side);
  }
  const bordering = new Set<string>();
  for (const [x, y] of scenario.borders) {
    if (sideOf.has(x)) bordering.add(y);
    if (sideOf.has(y)) bordering.add(x);
  }
  let total = 0;
  for (const s of scenario.states) total += s.capability;
  const joinerOf = new Map(war.joiners.map((j) => [j.ccode, j]));
  const cases: BacktestCase[] = [];
  const scored = new Set<number>();
  for (const s of scenario.states) {
    if (sideOf.has(s.id)) continue;
    const tie =
      allied.has(s.id) && bordering.has(s.id)
        ? 'alliance+border'
        : allied.has(s.id)
          ? 'alliance'
          : bordering.has(s.id)
            ? 'border'
            : 'none';
    if (states === 'relevant' && tie === 'none') continue;
    const joined = s.ccode === undefined ? undefined : joinerOf.get(s.ccode);
    if (s.ccode !== undefined) scored.add(s.ccode);
    const side = (naiveSide.get(s.id) ?? 0) as BacktestCase['naiveSide'];
    cases.push({
      state: s.id,
      name: s.name,
      ccode: s.ccode,
      greatPower: s.greatPower,
      tie,
      naive: side > 0 ? 1 : 0,
      naiveSide: side,
      capabilityShare: total > 0 ? s.capability / total : 0,
      entered: joined ? 1 : 0,
      enteredSide: joined?.side,
      entryDate: joined?.date ?? '',
      switchedSide: joined?.later.some((e) => e.side !== joined.side) ? 1 : 0,
    });
  }
  const joinersOutside = war.joiners.filter((j) => !scored.has(j.ccode)).map((j) => j.abb || String(j.ccode));
  return { cases, joinersOutside };
}

/**
 * Reads and prepares the wars of several files, in file order; a war label may appear in
 * only one of them (the label names the war in every output).
 */
export function prepareWarsFiles(
  files: readonly string[],
  options: { states: CandidateSet; dataDir?: string },
): BacktestWar[] {
  const seen = new Map<string, string>();
  return files.flatMap((file) => {
    const wars = readWars(file);
    for (const w of wars) {
      const other = seen.get(w.label);
      if (other !== undefined)
        throw new InputError(
          `${file}: line ${w.line}, column war_label: "${w.label}" is also a war of ${other}; expected each war in one file only`,
        );
      seen.set(w.label, file);
    }
    return prepareBacktest(wars, { ...options, file });
  });
}

/**
 * The experiment that runs every war: one scenario per war, in order, under `params`
 * overrides (cell index = war index).
 */
export function backtestSpec(
  prepared: readonly BacktestWar[],
  file: string,
  params?: Scenario['params'],
): ExperimentSpec {
  return {
    name: 'backtest',
    file,
    scenarios: prepared.map((w) => ({ kind: 'file', file: w.file, scenario: w.scenario })),
    sweep: {},
    ...(params !== undefined ? { params } : {}),
  };
}

/** What the engine gave one war: its cell's state ids (in order) and aggregate. */
export interface WarPrediction {
  stateIds: readonly string[];
  aggregate: Pick<CellAggregate, 'runs' | 'trues' | 'enters' | 'side1' | 'side2'>;
}

const WAR = BOOLEAN_FIELDS.indexOf('war');

/**
 * The model's chances for each candidate of a war, in the order of its cases: shares of the
 * runs in which the war broke out (not deterred), since every war of a wars file did. The
 * deterrence draw comes before any other and depends on nothing drawn, so these chances do
 * not depend on `deterrence`; with deterrence 0 every run is a war.
 */
export function casePredictions(war: BacktestWar, prediction: WarPrediction): CasePrediction[] {
  const { stateIds, aggregate } = prediction;
  const index = new Map(stateIds.map((id, k) => [id, k]));
  const wars = aggregate.trues[WAR]!;
  return war.cases.map((c) => {
    const k = index.get(c.state);
    if (k === undefined) throw new RangeError(`state ${c.state} of ${war.war.label} is not in the cell`);
    const share = (x: ArrayLike<number>) => (wars > 0 ? x[k]! / wars : 0);
    return { enters: share(aggregate.enters), side1: share(aggregate.side1), side2: share(aggregate.side2) };
  });
}
