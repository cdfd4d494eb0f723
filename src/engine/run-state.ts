import { CellAggregate } from '../experiment/aggregate.js';
import { type Batch, type Plan, shardRange } from '../experiment/plan.js';

/** A shard of a plan: index of count (0-based). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The batches a run works through, in the order they are merged: cell by cell, and within a
 * cell in batch order (only the shard's range of each cell). Computed on demand, so a plan of
 * a billion batches costs nothing until it runs.
 */
export class BatchOrder {
  /** starts[c] = position of cell c's first batch; starts[cells] = length. */
  private readonly starts: number[];
  private readonly from: number[];

  constructor(
    private readonly plan: Pick<Plan, 'cells' | 'batchSize'>,
    shard?: Shard,
  ) {
    this.starts = [0];
    this.from = [];
    for (const cell of plan.cells) {
      const range = shard
        ? shardRange(cell.batches, shard.index, shard.count)
        : { from: 0, to: cell.batches };
      this.from.push(range.from);
      this.starts.push(this.starts[this.starts.length - 1]! + range.to - range.from);
    }
  }

  get length(): number {
    return this.starts[this.starts.length - 1]!;
  }

  /** The first batch of each cell in this order (the start of its shard range). */
  firstBatch(cell: number): number {
    return this.from[cell]!;
  }

  /** The end (exclusive) of each cell's batches in this order. */
  endBatch(cell: number): number {
    return this.from[cell]! + this.starts[cell + 1]! - this.starts[cell]!;
  }

  /** The batch at position `seq`. */
  at(seq: number): Batch {
    // Binary search for the cell whose range holds seq.
    let lo = 0;
    let hi = this.plan.cells.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= seq) lo = mid;
      else hi = mid - 1;
    }
    while (this.starts[lo + 1]! <= seq) lo++; // skip cells without batches in this shard
    const cell = this.plan.cells[lo]!;
    const batch = this.from[lo]! + seq - this.starts[lo]!;
    const first = batch * this.plan.batchSize;
    return { cell: lo, batch, first, count: Math.min(this.plan.batchSize, cell.runs - first) };
  }

  /** Runs in positions [0, seq). */
  runsBefore(seq: number): number {
    let runs = 0;
    for (let c = 0; c < this.plan.cells.length && this.starts[c]! < seq; c++) {
      const end = Math.min(seq, this.starts[c + 1]!) - this.starts[c]!;
      const cell = this.plan.cells[c]!;
      const firstRun = this.from[c]! * this.plan.batchSize;
      runs += Math.min(cell.runs, firstRun + end * this.plan.batchSize) - firstRun;
    }
    return runs;
  }
}

/**
 * What a run has merged so far: every cell's aggregate over the first `batchesDone` batches of
 * the batch order. The engine advances it task by task; a checkpoint saves it and `--resume`
 * starts from it.
 */
export interface RunState {
  aggregates: CellAggregate[];
  /** Per cell, the half-open range of batches merged: [from, to). */
  batchRanges: { from: number; to: number }[];
  batchesDone: number;
  runsDone: number;
}

/** The state of a run that has merged nothing yet. */
export function freshRunState(plan: Plan, shard?: Shard): RunState {
  const order = new BatchOrder(plan, shard);
  return {
    aggregates: plan.cells.map((c) => new CellAggregate(c.stateIds.length)),
    batchRanges: plan.cells.map((c) => ({ from: order.firstBatch(c.index), to: order.firstBatch(c.index) })),
    batchesDone: 0,
    runsDone: 0,
  };
}
