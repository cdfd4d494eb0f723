/**
 * The time left in a run, from the cost measured so far per cell. Runs of one cell cost alike
 * (one system, one parameter point); cells do not (a tight system's wars are larger and longer
 * than a loose one's), so one overall rate misleads on a mixed experiment: after cheap cells
 * it promises far too little, after dear ones far too much.
 *
 * - Each merged batch is charged the wall time since the previous one: batches merge in order,
 *   so over a cell the charges add up to the time its runs took. The wait for the first
 *   batches (the pool starting, the simulator warming up) is charged to no cell.
 * - A cell not begun is priced like the last measured cell of the same scenario (a sweep's
 *   next point), else like the dearest cell measured: never assumed cheaper than what has been
 *   seen. A cell begun costs its measured mean, drawn towards that price by one batch's worth
 *   of runs so that its first batch does not swing it.
 * - The estimate is every cell's remaining runs at its cost. The time shown follows it
 *   smoothly (a changed estimate moves it 63 % of the way in TAU seconds, while the clock runs
 *   it down), and never below what the slowest remaining share needs: the remaining runs of
 *   the one cell that needs the longest.
 * Pure: the caller gives the times, in seconds.
 */
export class Eta {
  /** Seconds in which the time shown moves 63 % of the way to a changed estimate. */
  static readonly TAU = 3;
  /** Seconds measured before there is an estimate: the first batches merge in bursts. */
  static readonly WARM_UP = 1;

  private readonly done: number[];
  private readonly measured: number[];
  private readonly spent: number[];
  private last: number | undefined;
  /** Runs of the first batch: the weight of a cell's price in its cost. */
  private batch = 0;
  private shown: number | undefined;
  private shownAt = 0;

  /** `planned[c]`: runs of cell c to do; `scenarios[c]`: its scenario's name (cells of one scenario are priced alike). */
  constructor(
    private readonly planned: readonly number[],
    private readonly scenarios: readonly string[] = planned.map((_, c) => String(c)),
  ) {
    this.done = planned.map(() => 0);
    this.measured = planned.map(() => 0);
    this.spent = planned.map(() => 0);
  }

  /** `runs` runs of `cell` were merged at time `t`. */
  record(t: number, cell: number, runs: number): void {
    this.done[cell]! += runs;
    const startUp = this.last === undefined || (t === this.last && this.spent.every((s) => s === 0));
    if (this.last === undefined) this.batch = runs;
    if (!startUp) {
      this.measured[cell]! += runs;
      this.spent[cell]! += t - this.last!;
    }
    this.last = t;
  }

  /** Cost per run of each cell in seconds, or undefined for the first WARM_UP seconds measured. */
  costs(): number[] | undefined {
    const mean = (c: number) => (this.spent[c]! > 0 ? this.spent[c]! / this.measured[c]! : undefined);
    const means = this.planned.map((_, c) => mean(c));
    const dearest = Math.max(...means.map((m) => m ?? -1));
    if (dearest < 0 || this.spent.reduce((a, b) => a + b, 0) < Eta.WARM_UP) return undefined;
    // One pass in cell order: each cell's price is the mean of the last cell before it of the same scenario.
    const latest = new Map<string, number>();
    return means.map((m, c) => {
      const price = latest.get(this.scenarios[c]!) ?? dearest;
      if (m === undefined) return price;
      latest.set(this.scenarios[c]!, m);
      return (this.spent[c]! + this.batch * price) / (this.measured[c]! + this.batch);
    });
  }

  /**
   * The estimate at time `t` before smoothing, and its floor, in seconds: what the remaining
   * runs cost, less the time since the last merge (the runs in flight have progressed by it);
   * undefined during the warm-up.
   */
  raw(t: number): { estimate: number; floor: number } | undefined {
    const costs = this.costs();
    if (!costs) return undefined;
    let estimate = 0;
    let floor = 0;
    costs.forEach((cost, c) => {
      const need = Math.max(0, this.planned[c]! - this.done[c]!) * cost;
      estimate += need;
      floor = Math.max(floor, need);
    });
    const since = Math.max(0, t - (this.last ?? t));
    return { estimate: Math.max(0, estimate - since), floor: Math.max(0, floor - since) };
  }

  /** Seconds left as shown at time `t` (as often as the display asks), or undefined during the warm-up. */
  left(t: number): number | undefined {
    const raw = this.raw(t);
    if (!raw) return undefined;
    if (this.shown === undefined) this.shown = raw.estimate;
    else {
      const dt = Math.max(0, t - this.shownAt);
      const predicted = Math.max(0, this.shown - dt);
      this.shown = predicted + (raw.estimate - predicted) * (1 - Math.exp(-dt / Eta.TAU));
    }
    this.shown = Math.max(this.shown, raw.floor);
    this.shownAt = t;
    return this.shown;
  }
}
