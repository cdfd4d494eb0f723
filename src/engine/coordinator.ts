import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { CellAggregate, unpackBatch } from '../experiment/aggregate.js';
import { type Batch, batchesOf, type Plan, type PlanCell, shardRange } from '../experiment/plan.js';
import type { Task, TaskReply } from './worker.js';

/** A run that could not finish (a worker threw or died); the CLI exits with code 1. */
export class RunFailure extends Error {
  override name = 'RunFailure';
}

export interface EngineOptions {
  workers: number;
  /** Run only this shard's batches of every cell (0-based index of count). */
  shard?: { index: number; count: number };
  /** Receives each batch's runs (RUN_FIELDS per run) in batch order; awaited (backpressure). */
  onRuns?: (cell: PlanCell, first: number, runs: Float64Array) => Promise<void>;
  /** Called after each batch is merged, with that batch (its cell and runs: the CLI's ETA prices cells apart). */
  onProgress?: (runsDone: number, runsPlanned: number, batch: Batch) => void;
  /** Aborting stops submitting; batches in flight finish and are kept. */
  signal?: AbortSignal;
}

export interface EngineResult {
  aggregates: CellAggregate[];
  runsDone: number;
  runsPlanned: number;
  batchesDone: number;
  batchesPlanned: number;
  /** Per cell, the half-open range of batches merged: [from, to). */
  batchRanges: { from: number; to: number }[];
  complete: boolean;
}

/** Worker count by default: SLURM_CPUS_PER_TASK inside a Slurm job, else every core. */
export function defaultWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const slurm = Number(env.SLURM_CPUS_PER_TASK);
  return Number.isInteger(slurm) && slurm > 0 ? slurm : availableParallelism();
}

/** The compiled worker; from sources (tests under vitest) the built copy in dist/ is used. */
function workerFile(): string {
  const here = import.meta.url;
  return fileURLToPath(
    here.endsWith('.ts') ? new URL('../../dist/engine/worker.js', here) : new URL('./worker.js', here),
  );
}

/**
 * Runs a plan's batches on a pool of worker threads, a bounded window in flight, and merges the
 * partial aggregates strictly in batch order, so results do not depend on the worker count.
 */
export async function runPlan(plan: Plan, options: EngineOptions): Promise<EngineResult> {
  const batches = batchesOf(plan, options.shard);
  const runsPlanned = batches.reduce((s, b) => s + b.count, 0);
  const aggregates = plan.cells.map((c) => new CellAggregate(c.stateIds.length));
  // Merged batches of each cell so far: [from, to), from the start of this shard's range.
  const batchRanges = plan.cells.map((c) => {
    const from = options.shard ? shardRange(c.batches, options.shard.index, options.shard.count).from : 0;
    return { from, to: from };
  });

  const workers = Math.max(1, Math.min(options.workers, Math.max(1, batches.length)));
  const pool = new Piscina<Task, TaskReply>({
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    // One task per worker at a time (piscina's default). Two would save the round trip between
    // batches (about 5 % here), but when a worker dies every task it held fails with it, and the
    // error could then name an innocent batch.
    workerData: plan,
  });
  let failure: RunFailure | undefined;
  pool.on('error', (err: Error) => {
    failure ??= new RunFailure(`a worker thread failed: ${err.message}`);
  });

  const window = workers * 4;
  const ready = new Map<number, Float64Array>();
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  let merged = 0;
  let runsDone = 0;
  const where = (b: Batch) =>
    `cell ${b.cell} (${plan.cells[b.cell]!.scenario}), batch ${b.batch} (runs ${b.first}–${b.first + b.count - 1})`;

  const submit = (seq: number) => {
    const b = batches[seq]!;
    const task: Task = { ...b, wantRuns: options.onRuns !== undefined };
    const p: Promise<void> = pool
      .run(task)
      .then(
        (reply) => {
          if (reply instanceof Float64Array) ready.set(seq, reply);
          else failure ??= new RunFailure(`${where(b)} failed: ${reply.failed.split('\n')[0]}`);
        },
        (err: Error) => {
          failure ??= new RunFailure(
            `${where(b)} failed: the worker stopped (${err.message.split('\n')[0]})`,
          );
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const drain = async () => {
    while (ready.has(merged)) {
      const reply = ready.get(merged)!;
      ready.delete(merged);
      const b = batches[merged]!;
      const cell = plan.cells[b.cell]!;
      const statsLength = reply[0]!;
      const partial = unpackBatch(reply.subarray(1, 1 + statsLength), cell.stateIds.length);
      aggregates[b.cell]!.merge(partial);
      batchRanges[b.cell]!.to = b.batch + 1;
      if (options.onRuns) await options.onRuns(cell, b.first, reply.subarray(1 + statsLength));
      runsDone += b.count;
      merged++;
      options.onProgress?.(runsDone, runsPlanned, b);
    }
  };

  try {
    while (!failure) {
      while (next < batches.length && inFlight.size < window && !options.signal?.aborted && !failure)
        submit(next++);
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
      if (!failure) await drain();
    }
    await Promise.allSettled([...inFlight]);
    if (failure) throw failure;
    await drain();
  } finally {
    await pool.destroy();
  }
  return {
    aggregates,
    runsDone,
    runsPlanned,
    batchesDone: merged,
    batchesPlanned: batches.length,
    batchRanges,
    complete: merged === batches.length,
  };
}
