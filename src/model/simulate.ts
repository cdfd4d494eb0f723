import { Candidates } from './candidates.js';
import { expectedChanceOfPrevailing, prevailChance } from './deterrence.js';
import { emptyOutcome, type RunOutcome } from './outcome.js';
import { resolveReliability } from './reliability.js';
import type { RunRng } from './rng.js';
import type { BorderIndex } from './system-index.js';
import * as index from './system-index.js';
import type { TraceSink } from './trace.js';
import type { CompiledSystem, ModelParams } from './types.js';
import * as types from './types.js';

// The constants of other modules the hot loop reads, as this module's own: TurboFan folds a
// module's own constant into the code but loads an imported binding from its cell and checks
// it is initialised at every use (8 % of the instructions of a run on the pure contagion case).
const { RULE_CONDITIONED, RULE_KIND, RULE_NOT_TO_FIGHT, RULE_ON_ATTACK, RULE_PROVOKER } = index;
const { ENTRY_BALANCING, ENTRY_BORDER, ENTRY_INITIAL, ENTRY_INVASION, ENTRY_NONE, ENTRY_OBLIGATION } = types;

// What `triggers` finds for a state, as bits: kept promises to side 1 or 2, sides closed.
const HONORED_1 = 1;
const HONORED_2 = 2;
const HONORED_BOTH = 3;
const CLOSED_1 = 4;
const CLOSED_2 = 8;
// A neutral's marks (neutralMarks): its perception, then what it did.
const OFFENSE_DOMINANT = 1;
const DEFENSE_DOMINANT = 2;
const PERCEIVED = 3;
const BUCK_PASSED = 4;
const CROSS_PRESSURED = 8;
/** Beside those bits in scanFlags: a named adversary entered, the state scans all its commitments again. */
const RESCAN = 16;
/** scanFlags holds 32 · stamp + bits, honored 4 · stamp + draw: run stamps stay below 2^26 so both are Int32. */
export const STAMP_LIMIT = 1 << 26;

/**
 * One run of the escalation model of MODEL.md (version 2), with every workspace array
 * allocated once per (system, params) so that `run` allocates nothing. Each rule of MODEL.md
 * is one method named after it (sections 0–7); whom to evaluate each step is Candidates' job.
 *
 * Choices where MODEL.md leaves room (each also noted where it is made; docs/MODEL.md lists them):
 * - Triggers are evaluated only for neutral obligors, when they decide at the start of a step;
 *   a belligerent's commitments are never triggered or counted (except a belligerent's
 *   neutrality or non-aggression promise toward a neutral it could invade, section 4).
 * - A state whose only honored triggered commitments point to a side a neutrality pact closes
 *   stays out that step: it has an honored triggered commitment, so the opportunity paths
 *   (which are for states with none) do not apply; it can still be invaded.
 * - A draw that would open a closed side is skipped rather than drawn and ignored; likewise a
 *   neutrality or non-aggression promise with reliability 1 is kept without a draw (version 1
 *   drew nothing for it), and an invasion whose chance is 0 is not drawn. The distribution is
 *   the same and the stream shorter.
 * - "Weaker" for entrapment is the same test as for buck-passing: C_s < sufficiency · C_other.
 * - Settlement is drawn after every step including step maxSteps, so a war settled in its last
 *   step counts as settled (and possibly mediated); after maxSteps it ends regardless.
 * - When settlement + m exceeds 1, q is capped at 1 and the war is `mediated` with probability
 *   m / (settlement + m), the mediation share of the combined hazard.
 * - Balancing checks side 1 first, then side 2 (both can exceed hegemonyShare only when it is
 *   below 0.5).
 * - capability_share is 0 in a system whose total capability is 0.
 * - (v2) A pact with named adversaries applies to a promise toward k while one of them is at war
 *   on the side opposite k; for a belligerent i's promise not to fight a neutral j (invasion),
 *   "opposite j" is i's own side.
 * - (v2) An invaded state enters like any entrant (section 5): the belligerents of the other
 *   side, its invader among them, become attacked.
 * - (v2) `conditional` multiplies whatever reliability the promise has (its own or its type's
 *   default) by conditionalFactor.
 */
export class Simulator {
  // Every array field starts as an empty array of its own type, never undefined, and the
  // system is declared, not initialised: V8 then knows each field's type and drops the check
  // it would otherwise make at every access (10 % of a run's instructions). For the same
  // reason arrays are read through their fields (this.side[j]), not through local copies
  // (const side = this.side): V8 knows a field's type but not a copy's, and checked the copy
  // at every turn of a loop (4 % more). Loop bounds are read into constants before a loop: V8
  // must assume that a store into any Int32Array may write the bound's array, so a bound read
  // in the loop's condition is read every turn.
  /** The loaded system (set by `load`). */
  declare system: CompiledSystem;
  readonly params: ModelParams;
  /** Called at each event of a run when set (entangle trace); null in experiments. */
  trace: TraceSink | null = null;
  /** Per state after `run`: 0 neutral, 1 initiator's side, 2 target's side. */
  side: Uint8Array = new Uint8Array(0);
  /** Per state after `run`: the step it entered (0 for the initial belligerents), -1 if never. */
  entryStep: Int32Array = new Int32Array(0);
  /** Per state after `run`: ENTRY_* constant saying how it entered. */
  entryKind: Uint8Array = new Uint8Array(0);
  /** After `run`: the belligerents in order of entry, atWar[0 .. atWarCount-1]. */
  atWar: Int32Array = new Int32Array(0);
  /** After `run`: how many states were at war (the participants). */
  atWarCount = 0;
  /** Section 0's w for the loaded system and parameters (it involves no draw). */
  expectedWin = 0.5;

  private readonly candidates = new Candidates();
  private attacked: Uint8Array = new Uint8Array(0);
  /**
   * Per commitment: its draw as 4 · stamp + (1 honored, 2 abandoned); a value from an earlier
   * run's stamp means not yet drawn, so nothing is cleared between runs (see `drawn`).
   */
  private honored: Int32Array = new Int32Array(0);
  /**
   * Per state, what it did while neutral this run: its perception (PERCEIVED bits: 0 not drawn,
   * 1 offense dominant, 2 defense dominant) and whether it passed the buck (BUCK_PASSED) or was
   * cross-pressured (CROSS_PRESSURED), counted once each; one byte to clear per state.
   */
  private neutralMarks: Uint8Array = new Uint8Array(0);
  /**
   * Per state j (kept when a hazard acts across borders): its neighbours at war, as border
   * entries of j in ascending order, fightingList[borderStart[j] .. + fightingCount[j]]; the
   * border and invasion hazards walk these instead of every neighbour.
   */
  private fightingCount: Int32Array = new Int32Array(0);
  private fightingList: Int32Array = new Int32Array(0);
  /** Per border entry: its mirror, invasion chance and the neighbour's promises not to fight. */
  declare private borders: BorderIndex;
  // The same arrays, one load away in the hot loop.
  private borderMirror: Int32Array = new Int32Array(0);
  private invasionChance: Float64Array = new Float64Array(0);
  private promiseStart: Int32Array = new Int32Array(0);
  private promiseList: Int32Array = new Int32Array(0);
  private reliability: Float64Array = new Float64Array(0);
  /**
   * What `triggers` last found for each state this run: 32 · stamp + its HONORED_*, CLOSED_*
   * and RESCAN bits (a value with an earlier run's stamp means nothing found yet, so nothing
   * is cleared between runs), and the first kept promise to each side (valid while the side's
   * HONORED_* bit is set). A state's findings change only when a partner enters or is attacked
   * (which pends the commitments concerned) or a named adversary enters (which asks for a
   * rescan), and then only by adding promises; so the findings are kept and only what changed
   * is considered (see `triggers`).
   */
  private scanFlags: Int32Array = new Int32Array(0);
  private scanFirst1: Int32Array = new Int32Array(0);
  private scanFirst2: Int32Array = new Int32Array(0);
  /** This run's number, from 1, below STAMP_LIMIT: never reused for another run before every mark is cleared. */
  private stamp = 0;
  /** Per state j: its commitments pended since it last decided (see `pend`), pendingList[commitmentStart[j] ..]. */
  private pendingCount: Int32Array = new Int32Array(0);
  private pendingList: Int32Array = new Int32Array(0);
  /** The partner k of each commitment j → k (the system's commitmentPartner). */
  private partner: Int32Array = new Int32Array(0);
  /** Beside commitmentsByPartner: the obligor j of each commitment j → k listed there. */
  private obligorByPartner: Int32Array = new Int32Array(0);
  /** Per commitment: its RULE_* bits. */
  private rule: Uint8Array = new Uint8Array(0);
  /** False in a system without defense or entente promises: nobody needs the attacked flags. */
  private attackMatters = true;
  /** False in a system without named adversaries: an entrant makes nobody rescan. */
  private adversariesMatter = true;
  /** Whether a hazard acts across borders (border contagion, invasion): neighbours of entrants can act. */
  private bordersMatter = true;
  /** Belligerents of side 1 and side 2 not yet attacked (each drained once someone enters against them). */
  private unattacked1: Int32Array = new Int32Array(0);
  private unattacked2: Int32Array = new Int32Array(0);
  private unattacked1Count = 0;
  private unattacked2Count = 0;
  private greatPowerCapability = 0;
  /**
   * For each state k, the commitments j → k, CSR, each as 2 · c + 1 when c binds only once k is
   * attacked (defense, entente) and 2 · c otherwise: an entrant's commitments are walked
   * without a load of each one's rule.
   */
  private commitmentsByPartnerStart: Int32Array = new Int32Array(0);
  private commitmentsByPartner: Int32Array = new Int32Array(0);
  /** For each state x, the obligors of commitments whose pact names x as an adversary, CSR. */
  private watchersByAdversaryStart: Int32Array = new Int32Array(0);
  private watchersByAdversary: Int32Array = new Int32Array(0);
  private triggeredCount = 0;
  private honoredCount = 0;

  // This step's entrants, applied together at its end (section 5).
  private entrants: Int32Array = new Int32Array(0);
  /** Each entrant's side s and ENTRY_* kind, as 4 · kind + s (as on the tape). */
  private entrantEntry: Uint8Array = new Uint8Array(0);
  /** Each entrant's cause, kept only while tracing (the trace alone tells it). */
  private entrantCause: Int32Array = new Int32Array(0);
  private entrantCount = 0;

  // The situation at the end of the previous step, and the run's counts.
  private c1 = 0;
  private c2 = 0;
  /** Belligerents on side 1, and great powers at war on each side (kept as states enter). */
  private count1 = 0;
  private greatPowers1 = 0;
  private greatPowers2 = 0;
  private neutralGreatPowerCapability = 0;
  private entrapments = 0;
  private buckPasses = 0;
  private crossPressuredCount = 0;

  /**
   * The hazard draws of a quiet step (border contagion, balancing, invasion: each its chance
   * and the entry it would cause: state, side, ENTRY_* kind, cause), recorded as the step is
   * played. A step with no entrant leaves the situation as it was (sides, capabilities, whom
   * each neutral is watching, every promise already drawn), so the next step makes exactly
   * these draws again and nothing else: it replays the tape instead of deciding state by
   * state. A success ends that state's draws for the step, as it does in `decide`. Not used
   * while tracing (the trace tells every step). Plain fields of the simulator: kept on an
   * object of its own, the extra load per draw cost 15 % on 1914.
   */
  private recording = false;
  private tapeLength = 0;
  private tapeChance: Float64Array = new Float64Array(0);
  private tapeState: Int32Array = new Int32Array(0);
  /** The entry's side s and ENTRY_* kind, as 4 · kind + s. */
  private tapeEntry: Uint8Array = new Uint8Array(0);
  private tapeCause: Int32Array = new Int32Array(0);

  // The parameters read during a run, copied into fields at load (one load each instead of
  // two in the hot loop).
  private borderHazard = 0;
  private balanceHazard = 0;
  private invasionHazard = 0;
  private offenseDominance = 0;
  private sufficiency = 0;
  private settlementRate = 0;
  private mediationRate = 0;
  private deterrence = 0;
  private decisiveness = 0;
  private maxSteps = 0;
  /** hegemonyShare · total capability: a side above it draws balancing great powers. */
  private hegemonyLimit = 0;
  /** No hazard is live (border, balancing, invasion all 0): only changed states decide (candidates.ts). */
  private noHazard = false;

  /** The great powers as a bitset over states (the candidates of balancing). */
  private greatPowerWords: Int32Array = new Int32Array(0);

  private capacityStates = -1;
  private capacityCommitments = -1;

  constructor(system: CompiledSystem, params: ModelParams) {
    this.params = params;
    this.load(system);
  }

  /**
   * Switches to another system under the same parameters (a new generated system every run),
   * reusing the workspace when it is large enough.
   */
  load(system: CompiledSystem): void {
    const params = this.params;
    this.system = system;
    const n = system.n;
    const m = system.commitmentCount;
    if (n > this.capacityStates) {
      this.capacityStates = n;
      this.side = new Uint8Array(n);
      this.entryStep = new Int32Array(n).fill(-1);
      this.entryKind = new Uint8Array(n);
      this.attacked = new Uint8Array(n);
      this.neutralMarks = new Uint8Array(n);
      this.fightingCount = new Int32Array(n);
      this.scanFlags = new Int32Array(n);
      this.scanFirst1 = new Int32Array(n);
      this.scanFirst2 = new Int32Array(n);
      this.pendingCount = new Int32Array(n);
      this.unattacked1 = new Int32Array(n);
      this.unattacked2 = new Int32Array(n);
      this.entrants = new Int32Array(n);
      this.entrantEntry = new Uint8Array(n);
      this.entrantCause = new Int32Array(n);
      this.atWar = new Int32Array(n);
      this.commitmentsByPartnerStart = new Int32Array(n + 1);
      this.watchersByAdversaryStart = new Int32Array(n + 1);
      this.candidates.resize(n);
      this.atWarCount = 0;
    }
    if (m > this.capacityCommitments) {
      this.capacityCommitments = m;
      this.honored = new Int32Array(m);
      this.reliability = new Float64Array(m);
      this.commitmentsByPartner = new Int32Array(m);
      this.rule = new Uint8Array(m);
      this.pendingList = new Int32Array(m);
      this.obligorByPartner = new Int32Array(m);
    }
    // The previous run's marks are cleared, or outdated by a new stamp, by the next run's reset,
    // whatever the system.
    let gpCapability = 0;
    for (let i = 0; i < n; i++) if (system.greatPower[i] === 1) gpCapability += system.capability[i]!;
    this.greatPowerCapability = gpCapability;
    if (this.greatPowerWords.length < this.candidates.wordCount)
      this.greatPowerWords = new Int32Array(this.candidates.wordCount);
    else this.greatPowerWords.fill(0);
    for (let i = 0; i < n; i++)
      if (system.greatPower[i] === 1) this.greatPowerWords[i >>> 5]! |= 1 << (i & 31);
    resolveReliability(system, params, this.reliability);
    this.attackMatters = index.commitmentRules(system, this.rule);
    this.partner = system.commitmentPartner;
    this.borderHazard = params.borderHazard;
    this.balanceHazard = params.balanceHazard;
    this.invasionHazard = params.invasionHazard;
    this.offenseDominance = params.offenseDominance;
    this.sufficiency = params.sufficiency;
    this.settlementRate = params.settlement;
    this.mediationRate = params.mediation;
    this.deterrence = params.deterrence;
    this.decisiveness = params.decisiveness;
    this.maxSteps = params.maxSteps;
    this.hegemonyLimit = params.hegemonyShare * system.totalCapability;
    this.noHazard = params.borderHazard === 0 && params.balanceHazard === 0 && params.invasionHazard === 0;
    // entrants is free between runs: scratch for the index.
    index.indexObligors(
      system,
      this.commitmentsByPartnerStart,
      this.commitmentsByPartner,
      this.obligorByPartner,
      this.entrants,
    );
    for (let x = 0; x < m; x++) {
      const c = this.commitmentsByPartner[x]!;
      this.commitmentsByPartner[x] = 2 * c + ((this.rule[c]! & RULE_KIND) === RULE_ON_ATTACK ? 1 : 0);
    }
    this.watchersByAdversary = index.indexAdversaryWatchers(system, this.watchersByAdversaryStart);
    this.adversariesMatter = this.watchersByAdversary.length > 0;
    this.bordersMatter = params.borderHazard > 0 || params.invasionHazard > 0;
    const borders = index.indexBorders(system, params.invasionHazard, this.borders);
    this.borders = borders;
    this.borderMirror = borders.mirror;
    this.invasionChance = borders.invasionChance;
    this.promiseStart = borders.promiseStart;
    this.promiseList = borders.promiseList;
    if (this.fightingList.length < system.borderIndex.length)
      this.fightingList = new Int32Array(system.borderIndex.length);
    // A step's hazard draws: a neutral draws at most once per belligerent neighbour for border
    // contagion and for invasion, and twice for balancing.
    const tape = 2 * system.borderIndex.length + 2 * n;
    if (this.tapeChance.length < tape) {
      this.tapeChance = new Float64Array(tape);
      this.tapeState = new Int32Array(tape);
      this.tapeEntry = new Uint8Array(tape);
      this.tapeCause = new Int32Array(tape);
    }
    this.expectedWin = expectedChanceOfPrevailing(system, this.reliability, params.decisiveness);
  }

  /** Plays one crisis with draws from `rng` and writes its outcome into `out`. */
  run(rng: RunRng, out: RunOutcome): void {
    this.reset();
    const trace = this.trace;

    if (!this.crisis(rng)) {
      if (trace !== null) trace.crisis(this.expectedWin, false);
      this.deterredOutcome(out);
      return;
    }
    if (trace !== null) trace.crisis(this.expectedWin, true);
    this.startWar();

    const hegemonyLimit = this.hegemonyLimit;
    const maxSteps = this.maxSteps;
    let steps = 0;
    let settled = false;
    let mediated = false;
    let frozen = false;
    // Whether the tape holds the previous step's draws, and that step was quiet.
    let replay = false;
    for (let t = 1; t <= maxSteps; t++) {
      steps = t;
      if (!frozen) {
        this.entrantCount = 0;
        // Whether the tape holds this step's hazard draws.
        let taped: boolean = replay;
        if (replay) this.replayTape(rng);
        else {
          // Hazards act only in watched mode; a trace needs every step's events.
          taped = !this.candidates.changesOnly && trace === null;
          this.recording = taped;
          this.tapeLength = 0;
          this.decideAll(
            t,
            rng,
            this.balanceHazard > 0 && (this.c1 > hegemonyLimit || this.c2 > hegemonyLimit),
          );
          this.recording = false;
        }
        if (this.entrantCount > 0) {
          this.entryEffects(t);
          replay = false;
        }
        // With no entrant and no hazard, the next step sees the same situation and draws nothing.
        else if (this.candidates.changesOnly) frozen = true;
        // With no entrant, the next step makes this step's hazard draws again.
        else replay = taped;
      }
      const end = this.settlement(rng);
      if (end !== 0) {
        settled = true;
        mediated = end === 2;
        break;
      }
      if (frozen && this.settlementRate + this.mediationTerm() <= 0) {
        steps = maxSteps;
        break;
      }
    }
    this.outcome(rng, out, steps, settled, mediated);
  }

  /**
   * Sections 1–4 for the step's chosen states in ascending order (lowest set bit first, word
   * by word). While a side exceeds the hegemony limit (`balancing`), every great power joins
   * them: no other state can act.
   */
  private decideAll(t: number, rng: RunRng, balancing: boolean): void {
    const words = this.candidates.forStep();
    for (let w = 0; w < this.candidates.wordCount; w++) {
      let bits = balancing ? words[w]! | this.greatPowerWords[w]! : words[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const j = (w << 5) | (31 - Math.clz32(low));
        if (this.side[j] === 0) this.decide(j, t, rng);
      }
    }
  }

  /**
   * Section 0: A weighs the coalition it expects (w) and attacks with probability
   * 1 − deterrence · (1 − w); the draw is the run's first, made only when deterrence > 0.
   */
  private crisis(rng: RunRng): boolean {
    const d = this.deterrence;
    if (d <= 0) return true;
    return rng.uniform() < 1 - d * (1 - this.expectedWin);
  }

  /** Step 0: A attacks B. */
  private startWar(): void {
    const A = this.system.initiator;
    const B = this.system.target;
    this.side[A] = 1;
    this.side[B] = 2;
    this.attacked[B] = 1;
    this.entryStep[A] = 0;
    this.entryStep[B] = 0;
    this.entryKind[A] = ENTRY_INITIAL;
    this.entryKind[B] = ENTRY_INITIAL;
    this.c1 = this.system.capability[A]!;
    this.c2 = this.system.capability[B]!;
    this.neutralGreatPowerCapability = this.greatPowerCapability;
    this.count1 = 1;
    this.greatPowers1 = 0;
    this.greatPowers2 = 0;
    if (this.system.greatPower[A] === 1) {
      this.neutralGreatPowerCapability -= this.c1;
      this.greatPowers1 = 1;
    }
    if (this.system.greatPower[B] === 1) {
      this.neutralGreatPowerCapability -= this.c2;
      this.greatPowers2 = 1;
    }
    this.atWar[0] = A;
    this.atWar[1] = B;
    this.atWarCount = 2;
    this.unattacked1[0] = A;
    this.unattacked1Count = 1;
    this.unattacked2Count = 0;
    this.expose(A);
    this.expose(B);
  }

  /** Sections 1–4 for one neutral j at step t: its entry, if any, is queued for the step's end. */
  private decide(j: number, t: number, rng: RunRng): void {
    const before = this.entrantCount;
    const found = this.triggers(j, t, rng);
    const honored = found & HONORED_BOTH;
    if (honored === HONORED_BOTH) this.crossPressure(j, t);
    else if (honored !== 0) this.obligationPath(j, t, rng, found);
    // Without a hazard nothing else can bring j in (most decisions of a run without one).
    else if (this.noHazard === true) return;
    else if (!this.borderContagion(j, rng, found)) this.balancing(j, rng, found);
    if (this.entrantCount === before && this.invasionHazard > 0) this.invasion(j, t, rng);
  }

  /**
   * Sections 1 and 2: draws j's commitments triggered (or binding) since it last decided, the
   * first time, and returns whether kept promises point to side 1 or 2 and which sides are
   * closed (HONORED_*, CLOSED_* bits). What a state finds only grows during a run (partners
   * stay at war and attacked, adversaries stay at war, a draw is kept), so its findings are
   * kept between steps and only the commitments that became live since are considered: those
   * `pend`ed by the entries and attacks of the previous step, in commitment order — the order
   * of a full scan, so the draws are the same. A named adversary's entry can revive any of j's
   * commitments: then j scans them all again.
   */
  private triggers(j: number, t: number, rng: RunRng): number {
    const stamp = this.stamp;
    const v = this.scanFlags[j]!;
    let found = v >>> 5 === stamp ? v & 31 : 0;
    const pending = this.pendingCount[j]!;
    if (pending === 0 && (found & RESCAN) === 0) return found;
    const from = this.system.commitmentStart[j]!;
    if ((found & RESCAN) !== 0) {
      found ^= RESCAN;
      const to = this.system.commitmentStart[j + 1]!;
      for (let c = from; c < to; c++) found = this.consider(j, c, t, rng, found);
    } else {
      for (let x = from; x < from + pending; x++) {
        const p = this.pendingList[x]!;
        found = this.weigh(j, p >>> 1, (p & 1) + 1, t, rng, found);
      }
    }
    this.pendingCount[j] = 0;
    this.scanFlags[j] = 32 * stamp + found;
    return found;
  }

  /**
   * Section 1 for commitment c of the deciding state j: is its partner at war (and, for a
   * defense or entente promise, attacked)? Then `weigh` it.
   */
  private consider(j: number, c: number, t: number, rng: RunRng, found: number): number {
    const k = this.partner[c]!;
    const sk = this.side[k]!;
    if (sk === 0) return found;
    if ((this.rule[c]! & RULE_KIND) === RULE_ON_ATTACK && this.attacked[k] === 0) return found;
    return this.weigh(j, c, sk, t, rng, found);
  }

  /**
   * Section 1 for commitment c of j toward a partner at war on side sk (attacked, if c is a
   * defense or entente promise): triggered (or binding)? drawn once; its effect added to what j
   * found so far. A pended commitment comes here straight: its partner was at war (and
   * attacked) when it was pended, and stays so.
   */
  private weigh(j: number, c: number, sk: number, t: number, rng: RunRng, found: number): number {
    const rule = this.rule[c]!;
    if ((rule & RULE_CONDITIONED) !== 0 && !this.adversaryFighting(c, 3 - sk)) return found;
    const kind = rule & RULE_KIND;
    if (kind === RULE_NOT_TO_FIGHT) {
      // Binds while k is at war (not toward the provoker under nonprovocation); if kept it
      // forbids j the side opposite k.
      if ((rule & RULE_PROVOKER) !== 0) return found;
      if (this.drawPromiseNotToFight(c, t, rng) === 1) return found | (sk === 1 ? CLOSED_2 : CLOSED_1);
      return found;
    }
    if (kind === RULE_ON_ATTACK && (rule & RULE_PROVOKER) !== 0) return found;
    let h = this.drawn(c);
    if (h === 0) h = this.draw(c, t, rng);
    if (h !== 1) return found;
    // Commitments are considered in order within a scan, but a later scan may meet a lower one;
    // the first is unset (left from an earlier run) until the side's bit is.
    const bit = sk === 1 ? HONORED_1 : HONORED_2;
    const first = sk === 1 ? this.scanFirst1 : this.scanFirst2;
    if ((found & bit) === 0 || c < first[j]!) first[j] = c;
    return found | bit;
  }

  /**
   * Commitment c of state j has become live (its partner entered, or was attacked, on side s):
   * j weighs it when it next decides. Listed as 2 · c + s − 1.
   */
  private pend(j: number, c: number, s: number): void {
    const p = 2 * c + s - 1;
    const base = this.system.commitmentStart[j]!;
    let x = base + this.pendingCount[j]!++;
    // Kept in commitment order (insertion: a state rarely has more than a few at once).
    while (x > base && this.pendingList[x - 1]! > p) {
      this.pendingList[x] = this.pendingList[x - 1]!;
      x--;
    }
    this.pendingList[x] = p;
  }

  /** Section 2: kept promises to both sides keep j out this step. */
  private crossPressure(j: number, t: number): void {
    const marks = this.neutralMarks[j]!;
    if ((marks & CROSS_PRESSURED) === 0) {
      this.neutralMarks[j] = marks | CROSS_PRESSURED;
      this.crossPressuredCount++;
    }
    if (this.trace !== null) this.trace.crossPressured(t, j);
  }

  /**
   * Section 3: j kept a promise to exactly one side s. Unless s is closed (then j stays out:
   * see the header), j joins at once if it perceives the offense as dominant (chain-ganging)
   * or if s is weaker; otherwise it passes the buck and decides again next step.
   */
  private obligationPath(j: number, t: number, rng: RunRng, found: number): void {
    const s = (found & HONORED_1) !== 0 ? 1 : 2;
    if ((found & (s === 1 ? CLOSED_1 : CLOSED_2)) !== 0) return;
    let marks = this.neutralMarks[j]!;
    if ((marks & PERCEIVED) === 0) {
      marks |= rng.uniform() < this.offenseDominance ? OFFENSE_DOMINANT : DEFENSE_DOMINANT;
      this.neutralMarks[j] = marks;
    }
    const own = s === 1 ? this.c1 : this.c2;
    const other = s === 1 ? this.c2 : this.c1;
    const weaker = own < this.sufficiency * other;
    if ((marks & PERCEIVED) === OFFENSE_DOMINANT || weaker) {
      if (!weaker) this.entrapments++;
      this.enter(j, s, ENTRY_OBLIGATION, s === 1 ? this.scanFirst1[j]! : this.scanFirst2[j]!);
      return;
    }
    this.candidates.schedule(j);
    if ((marks & BUCK_PASSED) === 0) {
      this.neutralMarks[j] = marks | BUCK_PASSED;
      this.buckPasses++;
    }
    if (this.trace !== null) this.trace.buckPassed(t, j);
  }

  /** Section 4, border contagion: against each belligerent neighbour in turn, with borderHazard. */
  private borderContagion(j: number, rng: RunRng, found: number): boolean {
    const hazard = this.borderHazard;
    const count = this.fightingCount[j]!;
    if (hazard <= 0 || count === 0) return false;
    const from = this.system.borderStart[j]!;
    for (let x = from; x < from + count; x++) {
      const b = this.fightingList[x]!;
      const s = 3 - this.side[this.system.borderIndex[b]!]!;
      if ((found & (s === 1 ? CLOSED_1 : CLOSED_2)) !== 0) continue;
      if (this.hazardDraw(rng, hazard, j, s, ENTRY_BORDER, this.system.borderIndex[b]!)) {
        this.enter(j, s, ENTRY_BORDER, this.system.borderIndex[b]!);
        return true;
      }
    }
    return false;
  }

  /** Section 4, balancing: a great power joins against a side above the hegemony limit. */
  private balancing(j: number, rng: RunRng, found: number): void {
    const hazard = this.balanceHazard;
    if (hazard <= 0 || this.system.greatPower[j] !== 1) return;
    const limit = this.hegemonyLimit;
    let joined = 0;
    if (
      this.c1 > limit &&
      (found & CLOSED_2) === 0 &&
      this.hazardDraw(rng, hazard, j, 2, ENTRY_BALANCING, -1)
    )
      joined = 2;
    else if (
      this.c2 > limit &&
      (found & CLOSED_1) === 0 &&
      this.hazardDraw(rng, hazard, j, 1, ENTRY_BALANCING, -1)
    )
      joined = 1;
    if (joined !== 0) this.enter(j, joined, ENTRY_BALANCING, -1);
  }

  /**
   * Section 4, invasion (v2): each belligerent neighbour i in turn invades neutral j with
   * chance invasionHazard · C_i / (C_i + C_j), unless a kept promise of i not to fight j holds
   * it back (drawn the first time i could invade j). j's own promises do not stop it.
   */
  private invasion(j: number, t: number, rng: RunRng): void {
    const count = this.fightingCount[j]!;
    if (count === 0) return;
    const from = this.system.borderStart[j]!;
    for (let x = from; x < from + count; x++) {
      const b = this.fightingList[x]!;
      const i = this.system.borderIndex[b]!;
      const si = this.side[i]!;
      if (this.promiseStart[b + 1]! > this.promiseStart[b]! && this.promisedNotToFight(b, si, t, rng))
        continue;
      const chance = this.invasionChance[b]!;
      if (chance > 0 && this.hazardDraw(rng, chance, j, 3 - si, ENTRY_INVASION, i)) {
        this.enter(j, 3 - si, ENTRY_INVASION, i);
        return;
      }
    }
  }

  /** Whether belligerent i (j's neighbour at border entry b, on side si) keeps a neutrality or non-aggression promise to j. */
  private promisedNotToFight(b: number, si: number, t: number, rng: RunRng): boolean {
    let kept = false;
    const to = this.promiseStart[b + 1]!;
    for (let x = this.promiseStart[b]!; x < to; x++) {
      const c = this.promiseList[x]!;
      if ((this.rule[c]! & RULE_CONDITIONED) !== 0 && !this.adversaryFighting(c, si)) continue;
      if (this.drawPromiseNotToFight(c, t, rng) === 1) kept = true;
    }
    return kept;
  }

  /**
   * A hazard draw of `decide` (border contagion, balancing, invasion): true with probability
   * `chance`, when j would enter on side s; recorded on the tape of a quiet step.
   */
  private hazardDraw(rng: RunRng, chance: number, j: number, s: number, how: number, cause: number): boolean {
    // `=== true`: one comparison in V8, where a bare field's truthiness is tested kind by kind.
    if (this.recording === true) {
      const e = this.tapeLength++;
      this.tapeChance[e] = chance;
      this.tapeState[e] = j;
      this.tapeEntry[e] = 4 * how + s;
      this.tapeCause[e] = cause;
    }
    return rng.uniform() < chance;
  }

  /** A step after a quiet one: the same hazard draws, in order; a state's first success ends its draws. */
  private replayTape(rng: RunRng): void {
    let entered = -1;
    for (let e = 0; e < this.tapeLength; e++) {
      const j = this.tapeState[e]!;
      if (j === entered) continue;
      if (rng.uniform() < this.tapeChance[e]!) {
        const entry = this.tapeEntry[e]!;
        this.enter(j, entry & 3, entry >>> 2, this.tapeCause[e]!);
        entered = j;
      }
    }
  }

  /** Queues j's entry on side s (applied at the end of the step). */
  private enter(j: number, s: number, how: number, cause: number): void {
    const e = this.entrantCount++;
    this.entrants[e] = j;
    this.entrantEntry[e] = 4 * how + s;
    if (this.trace !== null) this.entrantCause[e] = cause;
  }

  /**
   * Section 5: the step's entries take effect together; an entrant on side s attacks every
   * belligerent of the other side, and an invaded state is attacked.
   */
  private entryEffects(t: number): void {
    let entered1 = false;
    let entered2 = false;
    for (let e = 0; e < this.entrantCount; e++) {
      const j = this.entrants[e]!;
      const entry = this.entrantEntry[e]!;
      const s = entry & 3;
      const how = entry >>> 2;
      this.side[j] = s;
      this.entryStep[j] = t;
      this.entryKind[j] = how;
      const cj = this.system.capability[j]!;
      if (s === 1) {
        this.c1 += cj;
        this.count1++;
        entered1 = true;
      } else {
        this.c2 += cj;
        entered2 = true;
      }
      if (this.system.greatPower[j] === 1) {
        this.neutralGreatPowerCapability -= cj;
        if (s === 1) this.greatPowers1++;
        else this.greatPowers2++;
      }
      this.atWar[this.atWarCount++] = j;
      this.candidates.unwatch(j);
      this.expose(j);
      if (this.trace !== null) this.trace.entry(t, j, s, how, this.entrantCause[e]!);
    }
    if (this.attackMatters === true) this.attacks(entered1, entered2);
  }

  /**
   * The attacked flags after the step's entries (entered1, entered2: someone entered on side 1,
   * on side 2): an invaded entrant is attacked; every entrant on side s attacks the other
   * side's belligerents (this step's entrants included).
   */
  private attacks(entered1: boolean, entered2: boolean): void {
    for (let e = 0; e < this.entrantCount; e++) {
      const j = this.entrants[e]!;
      const entry = this.entrantEntry[e]!;
      if (entry >>> 2 === ENTRY_INVASION) this.attack(j);
      else if ((entry & 3) === 1) this.unattacked1[this.unattacked1Count++] = j;
      else this.unattacked2[this.unattacked2Count++] = j;
    }
    if (entered2) {
      for (let x = 0; x < this.unattacked1Count; x++) this.attack(this.unattacked1[x]!);
      this.unattacked1Count = 0;
    }
    if (entered1) {
      for (let x = 0; x < this.unattacked2Count; x++) this.attack(this.unattacked2[x]!);
      this.unattacked2Count = 0;
    }
  }

  /** Belligerent i is attacked: its allies' defense and entente promises may now trigger. */
  private attack(i: number): void {
    if (this.attacked[i] === 1) return;
    this.attacked[i] = 1;
    this.markObligors(i);
  }

  /** Section 6's mediation term m: mediation × the neutral great powers' share of capability. */
  private mediationTerm(): number {
    const total = this.system.totalCapability;
    return total > 0 ? this.mediationRate * (this.neutralGreatPowerCapability / total) : 0;
  }

  /** Section 6: 0 if the war goes on, 1 if it is settled this step, 2 if settled by mediation. */
  private settlement(rng: RunRng): number {
    // Without either rate the hazard is 0 whatever the capabilities (this runs every step).
    if (this.settlementRate <= 0 && this.mediationRate <= 0) return 0;
    const m = this.mediationTerm();
    const hazard = this.settlementRate + m;
    if (hazard <= 0) return 0;
    const q = Math.min(hazard, 1);
    const u = rng.uniform();
    if (u >= q) return 0;
    return u < q * (m / hazard) ? 2 : 1;
  }

  /** Section 7 and the per-run outcome of MODEL.md. */
  private outcome(rng: RunRng, out: RunOutcome, steps: number, settled: boolean, mediated: boolean): void {
    const participants = this.atWarCount;
    const initiatorSide = this.count1;
    const greatPowers = this.greatPowers1 + this.greatPowers2;
    const total = this.system.totalCapability;
    out.participants = participants;
    out.participants_initiator_side = initiatorSide;
    out.participants_target_side = participants - initiatorSide;
    out.great_powers = greatPowers;
    out.great_power_war = this.greatPowers1 > 0 && this.greatPowers2 > 0;
    out.world_war = this.system.greatPowerCount > 0 && greatPowers === this.system.greatPowerCount;
    out.capability_share = total > 0 ? (this.c1 + this.c2) / total : 0;
    out.steps = steps;
    out.contained = participants === 2;
    out.mediated = mediated;
    out.initiator_prevails = rng.uniform() < prevailChance(this.c1, this.c2, this.decisiveness);
    out.war = true;
    out.deterred = false;
    out.commitments_triggered = this.triggeredCount;
    out.commitments_honored = this.honoredCount;
    out.abandonments = this.triggeredCount - this.honoredCount;
    out.entrapments = this.entrapments;
    out.buck_passes = this.buckPasses;
    out.cross_pressured = this.crossPressuredCount;
    out.initiator_expected_win = this.expectedWin;
    if (this.trace !== null) this.trace.end(steps, settled, mediated, out.initiator_prevails);
  }

  /** Section 0: a deterred run has no war; every count is 0 and every other 0/1 outcome false. */
  private deterredOutcome(out: RunOutcome): void {
    Object.assign(out, DETERRED);
    out.initiator_expected_win = this.expectedWin;
  }

  /** Draws commitment c's `honored` once (section 1) and counts it. */
  private draw(c: number, t: number, rng: RunRng): number {
    const h = rng.uniform() < this.reliability[c]! ? 1 : 2;
    this.record(c, h, t);
    return h;
  }

  /** As `draw`, for a promise not to fight: one certain to be kept is kept without a draw. */
  private drawPromiseNotToFight(c: number, t: number, rng: RunRng): number {
    const h = this.drawn(c);
    if (h !== 0) return h;
    if (this.reliability[c]! >= 1) {
      this.record(c, 1, t);
      return 1;
    }
    return this.draw(c, t, rng);
  }

  /** Commitment c's draw this run: 0 not yet drawn, 1 honored, 2 abandoned. */
  private drawn(c: number): number {
    const v = this.honored[c]!;
    return v >>> 2 === this.stamp ? v & 3 : 0;
  }

  private record(c: number, h: number, t: number): void {
    this.honored[c] = 4 * this.stamp + h;
    this.triggeredCount++;
    if (h === 1) this.honoredCount++;
    if (this.trace !== null) this.trace.commitment(t, c, h === 1);
  }

  /** (v2) Whether commitment c's pact has no named adversaries, or one of them fights on side s. */
  private adversaryFighting(c: number, s: number): boolean {
    const a = this.system.commitmentAlliance[c]!;
    const from = this.system.adversaryStart[a]!;
    const to = this.system.adversaryStart[a + 1]!;
    for (let x = from; x < to; x++) if (this.side[this.system.adversaryIndex[x]!] === s) return true;
    return from === to;
  }

  /**
   * Undoes what the previous run touched (belligerents, watched states) and starts a new stamp,
   * which invalidates every draw and finding of earlier runs at once.
   */
  private reset(): void {
    for (let w = 0; w < this.atWarCount; w++) this.clearBelligerent(this.atWar[w]!);
    const words = this.candidates.everWatched();
    for (let w = 0; w < this.candidates.wordCount; w++) {
      let bits = words[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        this.clearNeutral((w << 5) | (31 - Math.clz32(low)));
      }
    }
    this.candidates.reset(this.noHazard);
    // A new stamp invalidates every state's cached scan and every commitment's draw at once.
    if (++this.stamp === STAMP_LIMIT) {
      this.honored.fill(0);
      this.scanFlags.fill(0);
      this.stamp = 1;
    }
    this.atWarCount = 0;
    this.triggeredCount = 0;
    this.honoredCount = 0;
    this.entrantCount = 0;
    this.entrapments = 0;
    this.buckPasses = 0;
    this.crossPressuredCount = 0;
  }

  /** A state that was at war: its entry, and what it did while neutral. */
  private clearBelligerent(i: number): void {
    this.side[i] = 0;
    this.attacked[i] = 0;
    this.entryStep[i] = -1;
    this.entryKind[i] = ENTRY_NONE;
    this.clearNeutral(i);
  }

  /** A state watched but never at war (entrants are unwatched): what it did while neutral. */
  private clearNeutral(i: number): void {
    // Written only when a hazard acts across borders (a parameter: fixed for this simulator).
    if (this.bordersMatter === true) this.fightingCount[i] = 0;
    this.pendingCount[i] = 0;
    this.neutralMarks[i] = 0;
  }

  /** State k was attacked: its allies' defense and entente commitments may now trigger. */
  private markObligors(k: number): void {
    const sk = this.side[k]!;
    const end = this.commitmentsByPartnerStart[k + 1]!;
    for (let i = this.commitmentsByPartnerStart[k]!; i < end; i++) {
      const e = this.commitmentsByPartner[i]!;
      const j = this.obligorByPartner[i]!;
      if (this.side[j] !== 0) continue; // a belligerent decides nothing any more
      if ((e & 1) !== 0) this.pend(j, e >>> 1, sk);
      this.candidates.schedule(j);
    }
  }

  /**
   * State k is now at war: its allies' commitments toward it become live (defense and entente
   * ones once it is attacked), pacts naming it as an adversary may now apply, and (when a
   * hazard acts across borders) its neighbours can act.
   */
  private expose(k: number): void {
    const sk = this.side[k]!;
    const attacked = this.attackMatters === true && this.attacked[k] === 1;
    const end = this.commitmentsByPartnerStart[k + 1]!;
    for (let i = this.commitmentsByPartnerStart[k]!; i < end; i++) {
      const e = this.commitmentsByPartner[i]!;
      const j = this.obligorByPartner[i]!;
      // A belligerent decides nothing any more.
      if (this.side[j] !== 0) continue;
      if (attacked || (e & 1) === 0) this.pend(j, e >>> 1, sk);
      this.candidates.involve(j);
    }
    // The rarer parts in methods of their own: a small expose is inlined where it is called.
    if (this.adversariesMatter === true) this.exposeToWatchers(k);
    if (this.bordersMatter === true) this.exposeToNeighbours(k);
  }

  /** k is at war: the obligors of pacts naming k as an adversary scan their commitments again. */
  private exposeToWatchers(k: number): void {
    const last = this.watchersByAdversaryStart[k + 1]!;
    for (let i = this.watchersByAdversaryStart[k]!; i < last; i++) {
      const j = this.watchersByAdversary[i]!;
      const v = this.scanFlags[j]!;
      this.scanFlags[j] = (v >>> 5 === this.stamp ? v : 32 * this.stamp) | RESCAN;
      this.candidates.schedule(j);
    }
  }

  /** k is at war, and a hazard acts across borders: its neutral neighbours can act. */
  private exposeToNeighbours(k: number): void {
    const to = this.system.borderStart[k + 1]!;
    for (let b = this.system.borderStart[k]!; b < to; b++) {
      const j = this.system.borderIndex[b]!;
      // Only a neutral walks its belligerent neighbours (this step's other entrants, not yet
      // at war, are kept too: harmless).
      if (this.side[j] !== 0) continue;
      // k joins j's belligerent neighbours, kept in j's border order (insertion: few at once).
      const entry = this.borderMirror[b]!;
      const base = this.system.borderStart[j]!;
      let x = base + this.fightingCount[j]!++;
      while (x > base && this.fightingList[x - 1]! > entry) {
        this.fightingList[x] = this.fightingList[x - 1]!;
        x--;
      }
      this.fightingList[x] = entry;
      this.candidates.watch(j);
    }
  }
}

/** The outcome of a deterred run (section 0), but for initiator_expected_win. */
const DETERRED: RunOutcome = Object.freeze({ ...emptyOutcome(), deterred: true }) as RunOutcome;

/** Convenience for tests and one-off use: one run, allocating its own workspace. */
export function simulate(system: CompiledSystem, params: ModelParams, rng: RunRng): RunOutcome {
  const out = emptyOutcome();
  new Simulator(system, params).run(rng, out);
  return out;
}

export { emptyOutcome };
