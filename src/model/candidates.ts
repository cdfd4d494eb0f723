/**
 * Chooses whom the simulator evaluates each step, without changing what is drawn: a neutral
 * that is not chosen would draw nothing and do nothing if it were evaluated.
 *
 * Two modes, fixed per run:
 * - `changesOnly` (no hazard is live: border, balancing and invasion all 0): a neutral's
 *   decision can change only when a partner entered or was attacked, a named adversary of one
 *   of its pacts entered, or — for a buck-passer — the balance of capability moved. Only those
 *   states are evaluated: the ones scheduled while the previous step's entries took effect,
 *   and the buck-passers. A step with no entrant then leaves nothing to evaluate: the run is
 *   frozen and the simulator may stop stepping.
 * - otherwise the watched set: the neutrals with a commitment toward a belligerent and, when a
 *   hazard acts across borders, the neutral neighbours of belligerents.
 *
 * Sets are bitsets over state indices, walked in ascending order (as a full scan would meet
 * the states) without any sorting.
 */
export class Candidates {
  /** True in a run without hazards, when only changed states are evaluated. */
  changesOnly = false;
  /** 32-bit words of a bitset over states. */
  wordCount = 0;

  /**
   * The watched set, kept across steps: whom to evaluate in watched mode; in changes-only mode
   * every state scheduled so far (for the simulator's reset, see `everWatched`).
   */
  watched: Int32Array = new Int32Array(0);
  /** Changes-only mode: the states to evaluate next step, and this step's. */
  private next: Int32Array = new Int32Array(0);
  private current: Int32Array = new Int32Array(0);

  /** Makes room for n states. */
  resize(n: number): void {
    this.wordCount = (n + 31) >>> 5;
    this.watched = new Int32Array(this.wordCount);
    this.next = new Int32Array(this.wordCount);
    this.current = new Int32Array(this.wordCount);
  }

  /** Empties every set for a new run (after the simulator has read `watched`). */
  reset(changesOnly: boolean): void {
    // Loops, not fill: a builtin call costs more than the few words of a typical system.
    for (let w = 0; w < this.wordCount; w++) {
      this.watched[w] = 0;
      this.next[w] = 0;
    }
    this.changesOnly = changesOnly;
  }

  /** j may act from now on (a partner or a neighbour is at war). */
  watch(j: number): void {
    this.watched[j >>> 5]! |= 1 << (j & 31);
  }

  /**
   * A partner of j is at war: j is watched from now on and, in changes-only mode, decides next
   * step. Changes-only mode sets only the next step's bit; `forStep` folds it into the watched
   * set (one word operation per step instead of one per commitment).
   */
  involve(j: number): void {
    if (this.changesOnly === true) this.next[j >>> 5]! |= 1 << (j & 31);
    else this.watched[j >>> 5]! |= 1 << (j & 31);
  }

  /**
   * Every state watched this run, the ones scheduled for a step not played folded in (read by
   * the simulator's reset before `reset`).
   */
  everWatched(): Int32Array {
    if (this.changesOnly === true) for (let w = 0; w < this.wordCount; w++) this.watched[w]! |= this.next[w]!;
    return this.watched;
  }

  /** j is at war: it decides nothing any more. */
  unwatch(j: number): void {
    this.watched[j >>> 5]! &= ~(1 << (j & 31));
  }

  /** Changes-only mode: j's situation changed, or it passed the buck: it decides next step. */
  schedule(j: number): void {
    // `=== true`: V8 tests a boolean field against true in one comparison, but a bare field's
    // truthiness kind by kind (this runs for every commitment of every entrant).
    if (this.changesOnly === true) this.next[j >>> 5]! |= 1 << (j & 31);
  }

  /** The bitset to walk this step (changes-only mode: what was scheduled, now cleared for the next). */
  forStep(): Int32Array {
    if (!this.changesOnly) return this.watched;
    const words = this.next;
    const next = this.current;
    for (let w = 0; w < this.wordCount; w++) {
      next[w] = 0;
      this.watched[w]! |= words[w]!;
    }
    this.next = next;
    this.current = words;
    return words;
  }
}
