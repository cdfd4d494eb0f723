import { emptyOutcome } from './outcome.js';
import type { RunRng } from './rng.js';
import {
  type CompiledSystem,
  ENTRY_BALANCING,
  ENTRY_BORDER,
  ENTRY_INITIAL,
  ENTRY_NONE,
  ENTRY_OBLIGATION,
  KIND_DEFENSE,
  KIND_ENTENTE,
  KIND_NEUTRALITY,
  KIND_OFFENSE,
  type ModelParams,
  type RunOutcome,
} from './types.js';

/**
 * One run of the escalation model of MODEL.md, with every workspace array allocated once per
 * (system, params) so that `run` allocates nothing.
 *
 * Choices where MODEL.md leaves room (each also noted where it is made):
 * - Triggers are evaluated only for neutral obligors, when they decide at the start of a step;
 *   a belligerent's commitments are never triggered or counted.
 * - A state whose only honored triggered commitments point to a side a neutrality pact closes
 *   stays out that step: it has an honored triggered commitment, so the opportunity paths
 *   (which are for states with none) do not apply.
 * - A draw that would open a closed side is skipped rather than drawn and ignored; the
 *   distribution is the same and the stream shorter.
 * - "Weaker" for entrapment is the same test as for buck-passing: C_s < sufficiency · C_other.
 * - Settlement is drawn after every step including step maxSteps, so a war settled in its last
 *   step counts as settled (and possibly mediated); after maxSteps it ends regardless.
 * - When settlement + m exceeds 1, q is capped at 1 and the war is `mediated` with probability
 *   m / (settlement + m), the mediation share of the combined hazard.
 * - Balancing checks side 1 first, then side 2 (both can exceed hegemonyShare only when it is
 *   below 0.5).
 * - capability_share is 0 in a system whose total capability is 0.
 */
export class Simulator {
  system!: CompiledSystem;
  readonly params: ModelParams;
  /** Per state after `run`: 0 neutral, 1 initiator's side, 2 target's side. */
  side!: Uint8Array;
  /** Per state after `run`: the step it entered (0 for the initial belligerents), -1 if never. */
  entryStep!: Int32Array;
  /** Per state after `run`: ENTRY_* constant saying how it entered. */
  entryKind!: Uint8Array;

  private attacked!: Uint8Array;
  private honored!: Uint8Array; // per commitment: 0 not yet triggered, 1 honored, 2 abandoned
  private perception!: Uint8Array; // per state: 0 not drawn, 1 offense dominant, 2 defense dominant
  private buckPassed!: Uint8Array;
  private crossPressured!: Uint8Array;
  private exposure!: Int32Array; // per state: its commitments whose partner is at war
  // Without hazards a neutral's decision can change only if a partner entered or was attacked
  // or, for a buck-passer, if the balance of capability moved: only those states are
  // evaluated (in ascending order, as a full scan would), from these lists. `next` collects
  // the states touched while a step's entries take effect, `passers` the buck-passers.
  private current!: Int32Array;
  private next!: Int32Array;
  private nextCount = 0;
  private queued!: Uint8Array;
  private passers!: Int32Array;
  private passersCount = 0;
  /** True in a run without hazards, when the candidate lists above are kept. */
  private candidateMode = false;
  /** The watched list has had states appended since it was last sorted. */
  private watchedUnsorted = false;
  private reliability!: Float64Array;
  private greatPowerCapability!: number;
  private obligorsByPartnerStart!: Int32Array;
  private obligorsByPartner!: Int32Array;
  private entrants!: Int32Array;
  /** After `run`: the belligerents in order of entry, atWar[0 .. atWarCount-1]. */
  atWar!: Int32Array;
  /**
   * States that can act at all, ascending: those with a commitment toward a belligerent and,
   * when borderHazard > 0, those bordering one. Any other neutral draws nothing and does
   * nothing (unless balancing is live, when the step scans every state), so walking this list
   * instead of all states draws exactly the same numbers.
   */
  private watched!: Int32Array;
  private inWatch!: Uint8Array;
  private watchedCount = 0;
  /** Commitments triggered this run, to reset `honored`. */
  private triggeredList!: Int32Array;
  private entrantSide!: Uint8Array;
  private entrantKind!: Uint8Array;

  /** Workspace capacity: states and commitments the arrays can hold. */
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
      this.perception = new Uint8Array(n);
      this.buckPassed = new Uint8Array(n);
      this.crossPressured = new Uint8Array(n);
      this.exposure = new Int32Array(n);
      this.current = new Int32Array(n);
      this.next = new Int32Array(n);
      this.queued = new Uint8Array(n);
      this.passers = new Int32Array(n);
      this.nextCount = 0;
      this.passersCount = 0;
      this.entrants = new Int32Array(n);
      this.entrantSide = new Uint8Array(n);
      this.entrantKind = new Uint8Array(n);
      this.atWar = new Int32Array(n);
      this.watched = new Int32Array(n);
      this.inWatch = new Uint8Array(n);
      this.obligorsByPartnerStart = new Int32Array(n + 1);
      this.atWarCount = 0;
      this.watchedCount = 0;
    }
    if (m > this.capacityCommitments) {
      this.capacityCommitments = m;
      this.honored = new Uint8Array(m);
      this.triggeredList = new Int32Array(m);
      this.reliability = new Float64Array(m);
      this.obligorsByPartner = new Int32Array(m);
      this.triggeredCount = 0;
    }
    // The previous run's marks are cleared before the next run (reset), whatever the system.
    let gpCapability = 0;
    for (let i = 0; i < n; i++) if (system.greatPower[i] === 1) gpCapability += system.capability[i]!;
    this.greatPowerCapability = gpCapability;
    const reliability = this.reliability;
    for (let c = 0; c < m; c++) {
      const r = system.commitmentReliability[c]!;
      const kind = system.commitmentKind[c]!;
      reliability[c] = !Number.isNaN(r)
        ? r
        : kind === KIND_DEFENSE
          ? params.reliability.defense
          : kind === KIND_OFFENSE
            ? params.reliability.offense
            : kind === KIND_ENTENTE
              ? params.reliability.entente
              : 0;
    }
    // Reverse index: for each state k, the obligors j of commitments j → k (with repeats).
    const start = this.obligorsByPartnerStart;
    start.fill(0, 0, n + 1);
    for (let c = 0; c < m; c++) start[system.commitmentPartner[c]! + 1]!++;
    for (let k = 0; k < n; k++) start[k + 1]! += start[k]!;
    const list = this.obligorsByPartner;
    const fill = this.entrants; // scratch: entrants is free between runs
    fill.set(start.subarray(0, n));
    for (let j = 0; j < n; j++) {
      for (let c = system.commitmentStart[j]!; c < system.commitmentStart[j + 1]!; c++) {
        list[fill[system.commitmentPartner[c]!]!++] = j;
      }
    }
  }

  /** Plays one crisis with draws from `rng` and writes its outcome into `out`. */
  run(rng: RunRng, out: RunOutcome): void {
    const sys = this.system;
    const p = this.params;
    const n = sys.n;
    const A = sys.initiator;
    const B = sys.target;
    const cap = sys.capability;
    const gp = sys.greatPower;
    const cStart = sys.commitmentStart;
    const cPartner = sys.commitmentPartner;
    const cKind = sys.commitmentKind;
    const cNonprov = sys.commitmentNonprovocation;
    const bStart = sys.borderStart;
    const bIndex = sys.borderIndex;
    const side = this.side;
    const attacked = this.attacked;
    const honored = this.honored;
    const perception = this.perception;
    const buckPassed = this.buckPassed;
    const crossPressured = this.crossPressured;
    const exposure = this.exposure;
    const reliability = this.reliability;
    const entrants = this.entrants;
    const entrantSide = this.entrantSide;
    const entrantKind = this.entrantKind;
    const entryStep = this.entryStep;
    const entryKind = this.entryKind;

    const atWar = this.atWar;
    const watched = this.watched;
    const triggeredList = this.triggeredList;
    this.reset();
    this.candidateMode = p.borderHazard === 0 && p.balanceHazard === 0;

    const borderHazard = p.borderHazard;
    const balanceHazard = p.balanceHazard;
    const offenseDominance = p.offenseDominance;
    const sufficiency = p.sufficiency;
    const hegemonyLimit = p.hegemonyShare * sys.totalCapability;
    const total = sys.totalCapability;

    let c1 = 0;
    let c2 = 0;
    let neutralGreatPowerCapability = this.greatPowerCapability;

    // Step 0: A attacks B.
    side[A] = 1;
    side[B] = 2;
    attacked[B] = 1;
    entryStep[A] = 0;
    entryStep[B] = 0;
    entryKind[A] = ENTRY_INITIAL;
    entryKind[B] = ENTRY_INITIAL;
    c1 += cap[A]!;
    c2 += cap[B]!;
    if (gp[A] === 1) neutralGreatPowerCapability -= cap[A]!;
    if (gp[B] === 1) neutralGreatPowerCapability -= cap[B]!;
    atWar[0] = A;
    atWar[1] = B;
    let atWarCount = 2;
    this.expose(A);
    this.expose(B);

    let triggered = 0;
    let honoredCount = 0;
    let entrapments = 0;
    let steps = 0;
    let mediated = false;
    let frozen = false;
    let buckPasses = 0;
    let crossPressuredCount = 0;
    const opportunity = borderHazard > 0 || balanceHazard > 0;

    for (let t = 1; t <= p.maxSteps; t++) {
      steps = t;
      let entrantCount = 0;
      if (!frozen) {
        const fullScan = balanceHazard > 0 && (c1 > hegemonyLimit || c2 > hegemonyLimit);
        let list = watched;
        let scanCount = n;
        if (!opportunity) {
          // Evaluate only the states touched last step and the buck-passers (the step before
          // had entrants, or the run would be frozen), in ascending order.
          list = this.next;
          this.next = this.current;
          this.current = list;
          scanCount = this.nextCount;
          this.nextCount = 0;
          const queued = this.queued;
          for (let x = 0; x < this.passersCount; x++) {
            const j = this.passers[x]!;
            if (queued[j] === 0) {
              queued[j] = 1;
              list[scanCount++] = j;
            }
          }
          this.passersCount = 0;
          if (scanCount > 1) sortAscending(list, scanCount);
          for (let x = 0; x < scanCount; x++) queued[list[x]!] = 0;
        } else if (!fullScan) {
          if (this.watchedUnsorted) {
            sortAscending(watched, this.watchedCount);
            this.watchedUnsorted = false;
          }
          scanCount = this.watchedCount;
        }
        for (let x = 0; x < scanCount; x++) {
          const j = fullScan ? x : list[x]!;
          if (side[j] !== 0) continue;
          let honoredTo1 = false;
          let honoredTo2 = false;
          let closed1 = false;
          let closed2 = false;
          if (exposure[j]! > 0) {
            const cEnd = cStart[j + 1]!;
            for (let c = cStart[j]!; c < cEnd; c++) {
              const k = cPartner[c]!;
              const sk = side[k]!;
              if (sk === 0) continue;
              const kind = cKind[c]!;
              if (kind === KIND_NEUTRALITY) {
                // Forbids j from entering on the side opposite its partner.
                if (sk === 1) closed2 = true;
                else closed1 = true;
                continue;
              }
              if (kind !== KIND_OFFENSE && (attacked[k] === 0 || (cNonprov[c] === 1 && k === A))) continue;
              let h = honored[c]!;
              if (h === 0) {
                h = rng.uniform() < reliability[c]! ? 1 : 2;
                honored[c] = h;
                triggeredList[triggered++] = c;
                if (h === 1) honoredCount++;
              }
              if (h === 1) {
                if (sk === 1) honoredTo1 = true;
                else honoredTo2 = true;
              }
            }
          }

          if (honoredTo1 && honoredTo2) {
            if (crossPressured[j] === 0) {
              crossPressured[j] = 1;
              crossPressuredCount++;
            }
            continue;
          }
          if (honoredTo1 || honoredTo2) {
            // Obligation path; a side closed by a neutrality pact keeps j out this step.
            const s = honoredTo1 ? 1 : 2;
            if (s === 1 ? closed1 : closed2) continue;
            if (perception[j] === 0) perception[j] = rng.uniform() < offenseDominance ? 1 : 2;
            const own = s === 1 ? c1 : c2;
            const other = s === 1 ? c2 : c1;
            const weaker = own < sufficiency * other;
            if (perception[j] === 1 || weaker) {
              if (!weaker) entrapments++;
              entrants[entrantCount] = j;
              entrantSide[entrantCount] = s;
              entrantKind[entrantCount++] = ENTRY_OBLIGATION;
            } else {
              if (!opportunity) this.passers[this.passersCount++] = j;
              if (buckPassed[j] === 0) {
                buckPassed[j] = 1;
                buckPasses++;
              }
            }
            continue;
          }

          // Opportunity paths: border contagion, then balancing; the first success decides.
          if (borderHazard > 0) {
            let joined = 0;
            for (let b = bStart[j]!; b < bStart[j + 1]!; b++) {
              const sn = side[bIndex[b]!]!;
              if (sn === 0) continue;
              const s = 3 - sn;
              if (s === 1 ? closed1 : closed2) continue;
              if (rng.uniform() < borderHazard) {
                joined = s;
                break;
              }
            }
            if (joined !== 0) {
              entrants[entrantCount] = j;
              entrantSide[entrantCount] = joined;
              entrantKind[entrantCount++] = ENTRY_BORDER;
              continue;
            }
          }
          if (balanceHazard > 0 && gp[j] === 1) {
            let joined = 0;
            if (c1 > hegemonyLimit && !closed2 && rng.uniform() < balanceHazard) joined = 2;
            else if (c2 > hegemonyLimit && !closed1 && rng.uniform() < balanceHazard) joined = 1;
            if (joined !== 0) {
              entrants[entrantCount] = j;
              entrantSide[entrantCount] = joined;
              entrantKind[entrantCount++] = ENTRY_BALANCING;
            }
          }
        }

        // All entries of the step take effect together, then the attacked flags.
        let entered1 = false;
        let entered2 = false;
        for (let e = 0; e < entrantCount; e++) {
          const j = entrants[e]!;
          const s = entrantSide[e]!;
          side[j] = s;
          entryStep[j] = t;
          entryKind[j] = entrantKind[e]!;
          if (s === 1) {
            c1 += cap[j]!;
            entered1 = true;
          } else {
            c2 += cap[j]!;
            entered2 = true;
          }
          if (gp[j] === 1) neutralGreatPowerCapability -= cap[j]!;
          atWar[atWarCount++] = j;
          this.expose(j);
        }
        if (entered1 || entered2) {
          for (let w = 0; w < atWarCount; w++) {
            const i = atWar[w]!;
            if (attacked[i] === 0 && ((entered2 && side[i] === 1) || (entered1 && side[i] === 2))) {
              attacked[i] = 1;
              this.markObligors(i);
            }
          }
        }
        // With no entrant and no hazard, the next step sees the same situation and draws nothing.
        if (entrantCount === 0 && !opportunity) frozen = true;
      }

      const m = total > 0 ? p.mediation * (neutralGreatPowerCapability / total) : 0;
      const hazard = p.settlement + m;
      if (hazard > 0) {
        const q = Math.min(hazard, 1);
        const u = rng.uniform();
        if (u < q) {
          mediated = u < q * (m / hazard);
          break;
        }
      } else if (frozen) {
        steps = p.maxSteps;
        break;
      }
    }

    const participants = atWarCount;
    let initiatorSide = 0;
    let greatPowers = 0;
    let gp1 = 0;
    let gp2 = 0;
    for (let w = 0; w < atWarCount; w++) {
      const i = atWar[w]!;
      const s = side[i]!;
      if (s === 1) initiatorSide++;
      if (gp[i] === 1) {
        greatPowers++;
        if (s === 1) gp1++;
        else gp2++;
      }
    }
    this.atWarCount = atWarCount;
    this.triggeredCount = triggered;

    const kappa = p.decisiveness;
    let pInitiator: number;
    if (c1 === 0 && c2 === 0) pInitiator = 0.5;
    else if (kappa === 1) pInitiator = c1 / (c1 + c2);
    else {
      const a = c1 ** kappa;
      const b = c2 ** kappa;
      pInitiator = a + b > 0 ? a / (a + b) : 0.5;
    }

    out.participants = participants;
    out.participants_initiator_side = initiatorSide;
    out.participants_target_side = participants - initiatorSide;
    out.great_powers = greatPowers;
    out.great_power_war = gp1 > 0 && gp2 > 0;
    out.world_war = sys.greatPowerCount > 0 && greatPowers === sys.greatPowerCount;
    out.capability_share = total > 0 ? (c1 + c2) / total : 0;
    out.steps = steps;
    out.contained = participants === 2;
    out.mediated = mediated;
    out.initiator_prevails = rng.uniform() < pInitiator;
    out.war = true;
    out.deterred = false;
    out.commitments_triggered = triggered;
    out.commitments_honored = honoredCount;
    out.abandonments = triggered - honoredCount;
    out.entrapments = entrapments;
    out.buck_passes = buckPasses;
    out.cross_pressured = crossPressuredCount;
  }

  /** After `run`: how many states were at war (the participants). */
  atWarCount = 0;
  private triggeredCount = 0;

  /** Undoes what the previous run touched (belligerents, watched states, triggered commitments). */
  private reset(): void {
    for (let w = 0; w < this.atWarCount; w++) {
      const i = this.atWar[w]!;
      this.side[i] = 0;
      this.attacked[i] = 0;
      this.entryStep[i] = -1;
      this.entryKind[i] = ENTRY_NONE;
    }
    for (let x = 0; x < this.watchedCount; x++) {
      const i = this.watched[x]!;
      this.inWatch[i] = 0;
      this.exposure[i] = 0;
      this.perception[i] = 0;
      this.buckPassed[i] = 0;
      this.crossPressured[i] = 0;
    }
    for (let x = 0; x < this.nextCount; x++) this.queued[this.next[x]!] = 0;
    this.nextCount = 0;
    this.passersCount = 0;
    this.watchedUnsorted = false;
    for (let t = 0; t < this.triggeredCount; t++) this.honored[this.triggeredList[t]!] = 0;
    this.atWarCount = 0;
    this.watchedCount = 0;
    this.triggeredCount = 0;
  }

  /** State k was attacked: its allies' defense and entente commitments may now trigger. */
  private markObligors(k: number): void {
    const list = this.obligorsByPartner;
    for (let i = this.obligorsByPartnerStart[k]!; i < this.obligorsByPartnerStart[k + 1]!; i++)
      this.touch(list[i]!);
  }

  /** State k is now at war: its allies' commitments toward it become live, its neighbours exposed. */
  private expose(k: number): void {
    const list = this.obligorsByPartner;
    for (let i = this.obligorsByPartnerStart[k]!; i < this.obligorsByPartnerStart[k + 1]!; i++) {
      const j = list[i]!;
      this.touch(j);
      this.exposure[j]!++;
      this.watch(j);
    }
    if (this.params.borderHazard > 0) {
      const sys = this.system;
      for (let b = sys.borderStart[k]!; b < sys.borderStart[k + 1]!; b++) this.watch(sys.borderIndex[b]!);
    }
  }

  /** Adds j to the watched list (sorted when a hazard scan needs it in order). */
  private watch(j: number): void {
    if (this.inWatch[j] === 1) return;
    this.inWatch[j] = 1;
    this.watched[this.watchedCount++] = j;
    this.watchedUnsorted = true;
  }

  /** Without hazards: j's situation changed, so it decides again next step. */
  private touch(j: number): void {
    if (!this.candidateMode || this.queued[j] === 1) return;
    this.queued[j] = 1;
    this.next[this.nextCount++] = j;
  }
}

/** Convenience for tests and one-off use: one run, allocating its own workspace. */
export function simulate(system: CompiledSystem, params: ModelParams, rng: RunRng): RunOutcome {
  const out = emptyOutcome();
  new Simulator(system, params).run(rng, out);
  return out;
}

/** Sorts a[0 .. count-1] ascending in place (insertion sort: the lists are short and nearly sorted). */
function sortAscending(a: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const v = a[i]!;
    let x = i;
    while (x > 0 && a[x - 1]! > v) {
      a[x] = a[x - 1]!;
      x--;
    }
    a[x] = v;
  }
}

export { emptyOutcome };
