import { unpackBatch } from '../experiment/aggregate.js';
import type { Batch, Plan } from '../experiment/plan.js';
import { refOf, takePool, threadsFor } from './pool.js';
import { BatchOrder, type RunState, type Shard } from './run-state.js';
import { REPLY_HEADER } from './worker.js';

/** A run that could not finish (a worker threw or died); the CLI exits with code 1. */
export class RunFailure extends Error {
  override name = 'RunFailure';
}

/**
 * Work a task should hold: long enough that handing it over costs nothing, short enough to
 * stop promptly. ENTANGLE_TASK_MS overrides it (tests use a few ms to get many tasks).
 */
export const TASK_MS = 75;
/** With runs.csv, at most this many runs per task (their rows travel in one slot). */
export const TASK_RUNS_WITH_CSV = 20_000;
/** Bytes of a runs.csv slot: room for TASK_RUNS_WITH_CSV rows of ~100 bytes, and to spare. */
const SLOT_BYTES = 4 << 20;

export interface EngineOptions {
  workers: number;
  /** Run only this shard's batches of every cell. */
  shard?: Shard;
  /** Also produce runs.csv rows; each task's arrive through onRuns, in batch order. */
  runsCsv?: boolean;
  /** Receives the runs.csv rows of each task before its statistics are merged; a throw stops the run. */
  onRuns?: (rows: Uint8Array) => void;
  /** Called after each task is merged (the state has advanced). */
  onMerged?: (state: RunState) => void;
  /** Called for each batch merged, with that batch (its cell and runs: the CLI's ETA prices cells apart). */
  onProgress?: (runsDone: number, runsPlanned: number, batch: Batch) => void;
  /** Aborting stops submitting; tasks in flight finish and are merged. */
  signal?: AbortSignal;
}

/** Where the time went: main-thread work (dispatch and merge, and writing runs.csv rows) against the workers'. */
export interface EngineMetrics {
  tasks: number;
  batches: number;
  workerMs: number;
  mainMs: number;
  writeMs: number;
}

export interface EngineResult {
  runsPlanned: number;
  batchesPlanned: number;
  complete: boolean;
  metrics: EngineMetrics;
}

const where = (plan: Plan, b: Batch) =>
  `cell ${b.cell} (${plan.cells[b.cell]!.scenario}), batch ${b.batch} (runs ${b.first}–${b.first + b.count - 1})`;

/**
 * The batches a dead worker held, for its message: one as `where` names it, several by cell
 * as ranges, e.g. `cell 0 (…), batches 0 or 2–5`.
 */
function lostBatches(plan: Plan, batches: Batch[]): string {
  if (batches.length === 1) return where(plan, batches[0]!);
  const byCell = new Map<number, number[]>();
  for (const b of batches) byCell.set(b.cell, [...(byCell.get(b.cell) ?? []), b.batch]);
  return [...byCell]
    .map(([cell, list]) => {
      const ranges: string[] = [];
      for (let i = 0; i < list.length; ) {
        let j = i;
        while (j + 1 < list.length && list[j + 1] === list[j]! + 1) j++;
        ranges.push(i === j ? String(list[i]) : `${list[i]}–${list[j]}`);
        i = j + 1;
      }
      const one = list.length === 1;
      return `cell ${cell} (${plan.cells[cell]!.scenario}), batch${one ? '' : 'es'} ${ranges.join(' or ')}`;
    })
    .join(' or ');
}

/**
 * Runs a plan's batches on a pool of worker threads and merges them into `state` strictly in
 * batch order, so results do not depend on the worker count. Work goes out as tasks of
 * consecutive batches, sized from the workers' own timings to about TASK_MS, handed out in
 * order (piscina's stricterFIFO) with two tasks per worker in flight: memory stays flat and
 * the main thread does little per batch. Starts where `state` stands (a resumed run).
 * A failure stops submitting, merges what finished before the failed batch, and throws.
 */
export async function runPlan(plan: Plan, state: RunState, options: EngineOptions): Promise<EngineResult> {
  const order = new BatchOrder(plan, options.shard);
  const runsPlanned = order.runsBefore(order.length);
  const workers = threadsFor(options.workers, order.length - state.batchesDone);
  const metrics: EngineMetrics = { tasks: 0, batches: 0, workerMs: 0, mainMs: 0, writeMs: 0 };
  if (state.batchesDone >= order.length)
    return { runsPlanned, batchesPlanned: order.length, complete: true, metrics };

  // The CLI's early pool when it has as many threads (see pool.ts), else a new one.
  const taken = takePool(workers);
  const pool = taken.pool;
  const planRef = refOf(plan);
  let failure: RunFailure | undefined =
    taken.error && new RunFailure(`a worker thread failed: ${taken.error.message}`);
  pool.on('error', (err: Error) => {
    failure ??= new RunFailure(`a worker thread failed: ${err.message}`);
  });

  // Milliseconds per batch, by cell, from the workers' timings (NaN: not measured yet).
  const msPerBatch = new Float64Array(plan.cells.length).fill(Number.NaN);
  let lastMsPerBatch = Number.NaN;
  const window = 2 * workers;
  // With runs.csv, one slot of shared memory per task in flight (see Task.slot): a task is
  // submitted only when a slot is free, and frees it once its rows are written.
  const free: SharedArrayBuffer[] = options.runsCsv
    ? Array.from({ length: window }, () => new SharedArrayBuffer(SLOT_BYTES))
    : [];
  const ready = new Map<number, { batches: Batch[]; reply: Float64Array; slot?: SharedArrayBuffer }>();
  const inFlight = new Set<Promise<void>>();
  let nextSeq = state.batchesDone;
  let submitted = 0;
  let merged = 0;
  // The first task that failed: merging stops there (with the batches it finished before).
  let failedAt = Number.POSITIVE_INFINITY;
  // Tasks lost with a worker thread that died (it held up to two).
  const died: { taskIndex: number; batches: Batch[]; cause: string }[] = [];

  const env = Number(process.env.ENTANGLE_TASK_MS);
  const taskMs = Number.isFinite(env) && env > 0 ? env : TASK_MS;
  const taskFrom = (seq: number): Batch[] => {
    const first = order.at(seq);
    const estimate = Number.isNaN(msPerBatch[first.cell]!) ? lastMsPerBatch : msPerBatch[first.cell]!;
    // Until a worker has reported, one batch per task; then enough batches for TASK_MS.
    let want = Number.isNaN(estimate) ? 1 : Math.max(1, Math.floor(taskMs / Math.max(estimate, 1e-3)));
    if (options.runsCsv) want = Math.min(want, Math.max(1, Math.floor(TASK_RUNS_WITH_CSV / plan.batchSize)));
    want = Math.min(want, order.length - seq);
    const batches = [first];
    for (let k = 1; k < want; k++) batches.push(order.at(seq + k));
    return batches;
  };

  const submit = () => {
    const batches = taskFrom(nextSeq);
    nextSeq += batches.length;
    const taskIndex = submitted++;
    const slot = free.pop();
    const p: Promise<void> = pool
      .run({ plan: planRef, batches, runsCsv: options.runsCsv === true, ...(slot ? { slot } : {}) })
      .then(
        (reply) => {
          if (reply instanceof Float64Array) {
            ready.set(taskIndex, { batches, reply, ...(slot ? { slot } : {}) });
            const ms = reply[0]! / batches.length;
            lastMsPerBatch = ms;
            for (const b of batches) msPerBatch[b.cell] = ms;
          } else {
            if (reply.at > 0)
              ready.set(taskIndex, {
                batches: batches.slice(0, reply.at),
                reply: reply.before,
                ...(slot ? { slot } : {}),
              });
            failedAt = Math.min(failedAt, taskIndex);
            failure ??= new RunFailure(
              `${where(plan, batches[reply.at]!)} failed: ${reply.failed.split('\n')[0]}`,
            );
          }
        },
        (err: Error) => {
          failedAt = Math.min(failedAt, taskIndex);
          died.push({ taskIndex, batches, cause: err.message.split('\n')[0]! });
          failure ??= new RunFailure('a worker thread stopped');
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const mergeTask = (batches: Batch[], reply: Float64Array, slot: SharedArrayBuffer | undefined) => {
    const bytes = reply[2]!;
    if (options.onRuns && bytes > 0) {
      const t = performance.now();
      options.onRuns(
        reply[3] === 1
          ? new Uint8Array(slot!, 0, bytes)
          : new Uint8Array(reply.buffer, reply.byteOffset + 8 * reply.length, bytes),
      );
      metrics.writeMs += performance.now() - t;
    }
    let o = REPLY_HEADER + batches.length;
    batches.forEach((b, k) => {
      const length = reply[REPLY_HEADER + k]!;
      const cell = plan.cells[b.cell]!;
      state.aggregates[b.cell]!.merge(unpackBatch(reply.subarray(o, o + length), cell.stateIds.length));
      state.batchRanges[b.cell]!.to = b.batch + 1;
      state.runsDone += b.count;
      o += length;
    });
    state.batchesDone += batches.length;
    metrics.tasks++;
    metrics.batches += batches.length;
    metrics.workerMs += reply[0]!;
  };

  const drain = () => {
    while (merged <= failedAt && ready.has(merged)) {
      const { batches, reply, slot } = ready.get(merged)!;
      ready.delete(merged);
      try {
        mergeTask(batches, reply, slot);
        if (slot) free.push(slot);
      } catch (err) {
        // Its rows could not be written: nothing from here on is merged.
        failure ??= err as RunFailure;
        failedAt = merged - 1;
        return;
      }
      merged++;
      options.onMerged?.(state);
      if (options.onProgress) {
        let done = state.runsDone - batches.reduce((n, b) => n + b.count, 0);
        for (const b of batches) {
          done += b.count;
          options.onProgress(done, runsPlanned, b);
        }
      }
    }
  };

  try {
    for (;;) {
      const t = performance.now();
      while (
        nextSeq < order.length &&
        inFlight.size < window &&
        // Finished tasks wait for an earlier one to merge: at most as many again.
        submitted - merged < 2 * window &&
        (!options.runsCsv || free.length > 0) &&
        !options.signal?.aborted &&
        !failure
      )
        submit();
      metrics.mainMs += performance.now() - t;
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
      const t2 = performance.now();
      drain();
      metrics.mainMs += performance.now() - t2;
      if (failure) break;
    }
    await Promise.allSettled([...inFlight]);
    // Tasks that finished before the failed one still count (the checkpoint keeps them).
    drain();
    if (died.length > 0 && failure?.message === 'a worker thread stopped') {
      died.sort((a, b) => a.taskIndex - b.taskIndex);
      failure = new RunFailure(
        `${lostBatches(
          plan,
          died.flatMap((d) => d.batches),
        )} failed: the worker stopped (${died[0]!.cause})`,
      );
    }
    if (failure) throw failure;
  } finally {
    await pool.destroy();
  }
  metrics.mainMs -= metrics.writeMs;
  return {
    runsPlanned,
    batchesPlanned: order.length,
    complete: state.batchesDone === order.length,
    metrics,
  };
}
