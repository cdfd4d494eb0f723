import {
  BOOLEAN_FIELDS,
  type BooleanField,
  COUNT_FIELDS,
  type CountField,
  type RunOutcome,
  SHARE_FIELDS,
  type ShareField,
} from '../model/outcome.js';
import type { Simulator } from '../model/simulate.js';

// Each outcome field's place among the batch's statistics, for BatchAccumulator.add, which
// names every field (as outcomeRow does): a loop over a table of positions cost about 1,000
// machine instructions a run, 5 % of a run of the pure contagion case. Module constants, which
// TurboFan folds into the code.
const GREAT_POWER_WAR = BOOLEAN_FIELDS.indexOf('great_power_war');
const WORLD_WAR = BOOLEAN_FIELDS.indexOf('world_war');
const CONTAINED = BOOLEAN_FIELDS.indexOf('contained');
const MEDIATED = BOOLEAN_FIELDS.indexOf('mediated');
const INITIATOR_PREVAILS = BOOLEAN_FIELDS.indexOf('initiator_prevails');
const WAR = BOOLEAN_FIELDS.indexOf('war');
const DETERRED = BOOLEAN_FIELDS.indexOf('deterred');
const CAPABILITY_SHARE = SHARE_FIELDS.indexOf('capability_share');
const INITIATOR_EXPECTED_WIN = SHARE_FIELDS.indexOf('initiator_expected_win');
const PARTICIPANTS = COUNT_FIELDS.indexOf('participants');
const PARTICIPANTS_INITIATOR_SIDE = COUNT_FIELDS.indexOf('participants_initiator_side');
const PARTICIPANTS_TARGET_SIDE = COUNT_FIELDS.indexOf('participants_target_side');
const GREAT_POWERS = COUNT_FIELDS.indexOf('great_powers');
const STEPS = COUNT_FIELDS.indexOf('steps');
const COMMITMENTS_TRIGGERED = COUNT_FIELDS.indexOf('commitments_triggered');
const COMMITMENTS_HONORED = COUNT_FIELDS.indexOf('commitments_honored');
const ABANDONMENTS = COUNT_FIELDS.indexOf('abandonments');
const ENTRAPMENTS = COUNT_FIELDS.indexOf('entrapments');
const BUCK_PASSES = COUNT_FIELDS.indexOf('buck_passes');
const CROSS_PRESSURED = COUNT_FIELDS.indexOf('cross_pressured');

export { BOOLEAN_FIELDS, type BooleanField, COUNT_FIELDS, type CountField, SHARE_FIELDS, type ShareField };

/**
 * Mergeable statistics of one cell. Everything is an integer count (exact whatever the merge
 * order) except the real-valued outcomes (SHARE_FIELDS), whose float sum is kept per batch and
 * folded in batch order, so that any split into workers or shards gives the same bytes.
 */
export class CellAggregate {
  runs = 0;
  readonly trues = new Float64Array(BOOLEAN_FIELDS.length);
  /** histograms[f][v] = runs whose count field f equals v. */
  readonly histograms: number[][] = COUNT_FIELDS.map(() => []);
  /** shareSums[f][b] = sum of share field f over merged batch b, in batch order. */
  readonly shareSums: number[][] = SHARE_FIELDS.map(() => []);
  /** Batch indices merged so far, in order (to check order and coverage). */
  readonly batches: number[] = [];
  /** Per state: runs in which it entered, entered on side 1, on side 2, and summed entry steps. */
  readonly enters: Float64Array;
  readonly side1: Float64Array;
  readonly side2: Float64Array;
  readonly entryStepSum: Float64Array;

  constructor(readonly states: number) {
    this.enters = new Float64Array(states);
    this.side1 = new Float64Array(states);
    this.side2 = new Float64Array(states);
    this.entryStepSum = new Float64Array(states);
  }

  /** Adds one batch's partial; batches must come in increasing batch order. */
  merge(partial: BatchPartial): void {
    this.append(
      [partial.batch],
      SHARE_FIELDS.map((_, f) => [partial.shareSums[f]!]),
    );
    this.add(partial.runs, partial.trues, partial.histograms, partial);
  }

  /** Adds the aggregate of a later, contiguous range of batches (a later shard of the same cell). */
  absorb(other: CellAggregate): void {
    this.append(other.batches, other.shareSums);
    this.add(other.runs, other.trues, other.histograms, other);
  }

  private append(batches: readonly number[], sums: readonly (readonly number[])[]): void {
    const last = this.batches.length > 0 ? this.batches[this.batches.length - 1]! : -1;
    if (batches.length > 0 && batches[0]! <= last)
      throw new Error(`batch ${batches[0]} merged after batch ${last}`);
    // Loops, not push(...list): a shard of a million batches would overflow the call stack.
    for (const b of batches) this.batches.push(b);
    sums.forEach((x, f) => {
      for (const v of x) this.shareSums[f]!.push(v);
    });
  }

  private add(
    runs: number,
    trues: ArrayLike<number>,
    histograms: readonly ArrayLike<number>[],
    perState: Pick<CellAggregate, 'enters' | 'side1' | 'side2' | 'entryStepSum'>,
  ): void {
    this.runs += runs;
    for (let i = 0; i < this.trues.length; i++) this.trues[i]! += trues[i]!;
    histograms.forEach((h, f) => {
      const into = this.histograms[f]!;
      for (let v = 0; v < h.length; v++) {
        if (h[v] === 0) continue;
        while (into.length <= v) into.push(0);
        into[v]! += h[v]!;
      }
    });
    for (let i = 0; i < this.states; i++) {
      this.enters[i]! += perState.enters[i]!;
      this.side1[i]! += perState.side1[i]!;
      this.side2[i]! += perState.side2[i]!;
      this.entryStepSum[i]! += perState.entryStepSum[i]!;
    }
  }

  /** Mean of a real-valued outcome over the runs, summed batch by batch in batch order. */
  shareMean(field: ShareField): number {
    let sum = 0;
    for (const s of this.shareSums[SHARE_FIELDS.indexOf(field)]!) sum += s;
    return this.runs > 0 ? sum / this.runs : Number.NaN;
  }

  histogram(field: CountField): number[] {
    return this.histograms[COUNT_FIELDS.indexOf(field)]!;
  }

  trueCount(field: BooleanField): number {
    return this.trues[BOOLEAN_FIELDS.indexOf(field)]!;
  }
}

/** One batch's statistics, as a worker returns them (decoded from a single Float64Array). */
export interface BatchPartial {
  cell: number;
  batch: number;
  runs: number;
  trues: Float64Array;
  histograms: Float64Array[];
  /** Per share field, its sum over the batch's runs. */
  shareSums: Float64Array;
  enters: Float64Array;
  side1: Float64Array;
  side2: Float64Array;
  entryStepSum: Float64Array;
}

/**
 * Accumulates the runs of one batch inside a worker, allocation-free per run, and packs them
 * into one transferable Float64Array: [cell, batch, runs, trues…, share sums…, histogram
 * lengths…, histograms…, enters…, side1…, side2…, entryStepSum…].
 */
export class BatchAccumulator {
  private runs = 0;
  private readonly trues = new Float64Array(BOOLEAN_FIELDS.length);
  /**
   * The count fields' histograms in one array: runs whose field f equals v at
   * counts[f * width + v] (one array, not one per field: a load and a check less per field
   * and run); widened when a value reaches width.
   */
  private counts: Float64Array = new Float64Array(0);
  private width = 0;
  private readonly shareSums = new Float64Array(SHARE_FIELDS.length);
  // Every array field starts as an array of its type, never undefined: V8 then knows the
  // field's type and checks it at no access (see simulate.ts).
  private readonly enters: Float64Array = new Float64Array(0);
  private readonly side1: Float64Array = new Float64Array(0);
  private readonly entryStepSum: Float64Array = new Float64Array(0);

  constructor(readonly states: number) {
    this.width = states + 2;
    this.counts = new Float64Array(COUNT_FIELDS.length * this.width);
    this.enters = new Float64Array(states);
    this.side1 = new Float64Array(states);
    this.entryStepSum = new Float64Array(states);
  }

  /** Records one run: its outcome, and per-state entries from the simulator's arrays. */
  add(out: RunOutcome, sim: Simulator): void {
    this.runs++;
    if (out.great_power_war) this.trues[GREAT_POWER_WAR]!++;
    if (out.world_war) this.trues[WORLD_WAR]!++;
    if (out.contained) this.trues[CONTAINED]!++;
    if (out.mediated) this.trues[MEDIATED]!++;
    if (out.initiator_prevails) this.trues[INITIATOR_PREVAILS]!++;
    if (out.war) this.trues[WAR]!++;
    if (out.deterred) this.trues[DETERRED]!++;
    this.shareSums[CAPABILITY_SHARE]! += out.capability_share;
    this.shareSums[INITIATOR_EXPECTED_WIN]! += out.initiator_expected_win;
    this.count(PARTICIPANTS, out.participants);
    this.count(PARTICIPANTS_INITIATOR_SIDE, out.participants_initiator_side);
    this.count(PARTICIPANTS_TARGET_SIDE, out.participants_target_side);
    this.count(GREAT_POWERS, out.great_powers);
    this.count(STEPS, out.steps);
    this.count(COMMITMENTS_TRIGGERED, out.commitments_triggered);
    this.count(COMMITMENTS_HONORED, out.commitments_honored);
    this.count(ABANDONMENTS, out.abandonments);
    this.count(ENTRAPMENTS, out.entrapments);
    this.count(BUCK_PASSES, out.buck_passes);
    this.count(CROSS_PRESSURED, out.cross_pressured);
    // Only belligerents matter: walk the simulator's list of them, not every state (its arrays
    // read through its fields, see simulate.ts).
    const participants = sim.atWarCount;
    for (let w = 0; w < participants; w++) {
      const i = sim.atWar[w]!;
      this.enters[i]!++;
      // Side 2's entries are enters − side1, worked out once per batch in pack.
      if (sim.side[i] === 1) this.side1[i]!++;
      this.entryStepSum[i]! += sim.entryStep[i]!;
    }
  }

  /** One run's value v of count field f. */
  private count(f: number, v: number): void {
    if (v >= this.width) this.widen(v + 1);
    this.counts[f * this.width + v]!++;
  }

  /** Makes room for values below `least` in every histogram (at least doubling). */
  private widen(least: number): void {
    const width = Math.max(least, 2 * this.width);
    const counts = new Float64Array(COUNT_FIELDS.length * width);
    for (let f = 0; f < COUNT_FIELDS.length; f++)
      counts.set(this.counts.subarray(f * this.width, (f + 1) * this.width), f * width);
    this.counts = counts;
    this.width = width;
  }

  /** Packs the batch and resets the accumulator for the next one. */
  pack(cell: number, batch: number): Float64Array {
    const histograms = COUNT_FIELDS.map((_, f) => {
      const h = this.counts.subarray(f * this.width, (f + 1) * this.width);
      let len = h.length;
      while (len > 0 && h[len - 1] === 0) len--;
      return h.subarray(0, len);
    });
    const n = this.states;
    const size =
      3 +
      BOOLEAN_FIELDS.length +
      SHARE_FIELDS.length +
      histograms.length +
      histograms.reduce((a, h) => a + h.length, 0) +
      4 * n;
    const data = new Float64Array(size);
    let o = 0;
    data[o++] = cell;
    data[o++] = batch;
    data[o++] = this.runs;
    data.set(this.trues, o);
    o += this.trues.length;
    data.set(this.shareSums, o);
    o += this.shareSums.length;
    for (const h of histograms) data[o++] = h.length;
    for (const h of histograms) {
      data.set(h, o);
      o += h.length;
    }
    data.set(this.enters, o);
    o += n;
    data.set(this.side1, o);
    o += n;
    // Side 2's entries are the rest: not counted per run (see add).
    for (let i = 0; i < n; i++) data[o + i] = this.enters[i]! - this.side1[i]!;
    o += n;
    data.set(this.entryStepSum, o);
    this.runs = 0;
    this.trues.fill(0);
    this.shareSums.fill(0);
    this.counts.fill(0);
    this.enters.fill(0);
    this.side1.fill(0);
    this.entryStepSum.fill(0);
    return data;
  }
}

/** Reads a packed batch back (see BatchAccumulator.pack); `states` is the cell's state count. */
export function unpackBatch(data: Float64Array, states: number): BatchPartial {
  let o = 0;
  const cell = data[o++]!;
  const batch = data[o++]!;
  const runs = data[o++]!;
  const trues = data.subarray(o, o + BOOLEAN_FIELDS.length);
  o += BOOLEAN_FIELDS.length;
  const shareSums = data.subarray(o, o + SHARE_FIELDS.length);
  o += SHARE_FIELDS.length;
  const lengths = COUNT_FIELDS.map(() => data[o++]!);
  const histograms = lengths.map((len) => {
    const h = data.subarray(o, o + len);
    o += len;
    return h;
  });
  const take = () => {
    const a = data.subarray(o, o + states);
    o += states;
    return a;
  };
  return {
    cell,
    batch,
    runs,
    trues,
    histograms,
    shareSums,
    enters: take(),
    side1: take(),
    side2: take(),
    entryStepSum: take(),
  };
}
