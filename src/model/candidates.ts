/**
 * Chooses whom the simulator evaluates each step, without changing what is drawn: a neutral
 * that is not chosen would draw nothing and do nothing if it were evaluated.
 *
 * Two modes, fixed per run:
 * - `changesOnly` (no hazard is live: border, balancing and invasion all 0): a neutral's
 *   decision can change only when a partner entered or was attacked, a named adversary of one
 *   of its pacts entered, or — for a buck-passer — the balance of capability moved. Only those
 *   states are evaluated: the ones touched while the previous step's entries took effect, and
 *   the buck-passers, in ascending order as a full scan would meet them. A step with no entrant
 *   then leaves nothing to evaluate: the run is frozen and the simulator may stop stepping.
 * - otherwise the watched list: the states with a commitment toward a belligerent and, when a
 *   hazard acts across borders, the neighbours of belligerents, kept ascending.
 */
export class Candidates {
  /** True in a run without hazards, when only changed states are evaluated. */
  changesOnly = false;
  /** After `forStep`: the states to evaluate, list[0 .. count-1], ascending. */
  list: Int32Array = new Int32Array(0);

  /** Watched states (see above), watched[0 .. watchedCount-1]; the simulator resets their marks. */
  watched: Int32Array = new Int32Array(0);
  watchedCount = 0;
  private inWatch: Uint8Array = new Uint8Array(0);
  private watchedUnsorted = false;

  private current: Int32Array = new Int32Array(0);
  private next: Int32Array = new Int32Array(0);
  private nextCount = 0;
  private queued: Uint8Array = new Uint8Array(0);
  private passers: Int32Array = new Int32Array(0);
  private passersCount = 0;

  /** Makes room for n states. */
  resize(n: number): void {
    this.watched = new Int32Array(n);
    this.inWatch = new Uint8Array(n);
    this.current = new Int32Array(n);
    this.next = new Int32Array(n);
    this.queued = new Uint8Array(n);
    this.passers = new Int32Array(n);
    this.watchedCount = 0;
    this.nextCount = 0;
    this.passersCount = 0;
  }

  /** Clears the previous run's lists and marks (after the simulator has read `watched`). */
  reset(changesOnly: boolean): void {
    for (let x = 0; x < this.watchedCount; x++) this.inWatch[this.watched[x]!] = 0;
    for (let x = 0; x < this.nextCount; x++) this.queued[this.next[x]!] = 0;
    this.watchedCount = 0;
    this.nextCount = 0;
    this.passersCount = 0;
    this.watchedUnsorted = false;
    this.changesOnly = changesOnly;
  }

  /** j may act from now on (a partner or a neighbour is at war). */
  watch(j: number): void {
    if (this.inWatch[j] === 1) return;
    this.inWatch[j] = 1;
    this.watched[this.watchedCount++] = j;
    this.watchedUnsorted = true;
  }

  /** Without hazards: j's situation changed, so it decides again next step. */
  touch(j: number): void {
    if (!this.changesOnly || this.queued[j] === 1) return;
    this.queued[j] = 1;
    this.next[this.nextCount++] = j;
  }

  /** Without hazards: j passed the buck, so it decides again next step. */
  passBuck(j: number): void {
    if (this.changesOnly) this.passers[this.passersCount++] = j;
  }

  /** Prepares `list` for the coming step and returns how many states it holds. */
  forStep(): number {
    if (!this.changesOnly) {
      if (this.watchedUnsorted) {
        sortAscending(this.watched, this.watchedCount);
        this.watchedUnsorted = false;
      }
      this.list = this.watched;
      return this.watchedCount;
    }
    // The states touched last step become this step's list; touches from now on go to `next`.
    const list = this.next;
    this.next = this.current;
    this.current = list;
    let count = this.nextCount;
    this.nextCount = 0;
    const queued = this.queued;
    for (let x = 0; x < this.passersCount; x++) {
      const j = this.passers[x]!;
      if (queued[j] === 0) {
        queued[j] = 1;
        list[count++] = j;
      }
    }
    this.passersCount = 0;
    if (count > 1) sortAscending(list, count);
    for (let x = 0; x < count; x++) queued[list[x]!] = 0;
    this.list = list;
    return count;
  }
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
