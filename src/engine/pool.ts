import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { Piscina } from 'piscina';
import type { Plan } from '../experiment/plan.js';
import type { PlanRef, Task, TaskReply } from './worker.js';

/**
 * The engine's worker pool, and one started ahead of its plan: a worker thread takes a few
 * hundred milliseconds to start and load the simulator, which the main thread would otherwise
 * wait out after reading and checking the experiment (half the time of a 1,000-run `entangle
 * run`). Started early, the workers load while the main thread reads; the plan reaches them
 * with their first task (`refOf`), not as workerData, so the pool needs no plan to start.
 */

/** Worker count by default: SLURM_CPUS_PER_TASK inside a Slurm job, else every core. */
export function defaultWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const slurm = Number(env.SLURM_CPUS_PER_TASK);
  return Number.isInteger(slurm) && slurm > 0 ? slurm : availableParallelism();
}

/** Threads worth starting for `batches` batches on `workers` workers: no more than the batches. */
export function threadsFor(workers: number, batches: number): number {
  return Math.max(1, Math.min(workers, batches));
}

/** The compiled worker; from sources (tests under vitest) the built copy in dist/ is used. */
function workerFile(): string {
  const here = import.meta.url;
  return fileURLToPath(
    here.endsWith('.ts') ? new URL('../../dist/engine/worker.js', here) : new URL('./worker.js', here),
  );
}

export type EnginePool = Piscina<Task, TaskReply>;

/** A pool of exactly `workers` threads, started now. */
export function newPool(workers: number): EnginePool {
  return new Piscina<Task, TaskReply>({
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    // Tasks start in the order submitted: the in-order merge never waits on a task sent to the
    // back of the queue (piscina's default), so nothing piles up behind it.
    stricterFIFO: true,
    // Two tasks per worker: the next one waits in the worker, which starts it the moment the
    // last ends instead of waiting for the main thread to be scheduled and hand it over (on a
    // busy machine, milliseconds per task). A worker that dies fails both (see runPlan).
    concurrentTasksPerWorker: 2,
    // piscina loads the worker file with require() first, and Node 20's require of an ES
    // module (on by default since 20.19) now and then aborted the whole process while a worker
    // was loading (native assertions "IsGraphAsync must be used on an instantiated module" and
    // CreateRequiredModuleFacade, in CLI tests of bad input and of fuzzed files; the cause in
    // Node was not pinned down): without it the require fails and piscina uses import().
    execArgv: [...process.execArgv, '--no-experimental-require-module'],
  });
}

interface EarlyPool {
  pool: EnginePool;
  workers: number;
  /** The first failure of a thread before runPlan took the pool. */
  error?: Error;
}

/** The pool started ahead of its plan, until runPlan takes it or it is released. */
let early: EarlyPool | undefined;

/**
 * Starts `workers` threads before the plan is known (the CLI's run, once it knows the worker
 * count). Whoever starts one calls `releaseEarlyPool` when done, in case no plan adopted it.
 */
export function startEarlyPool(workers: number): void {
  if (early) return;
  const pool = newPool(workers);
  const entry: EarlyPool = { pool, workers };
  // Kept for runPlan: a thread that fails before any task is a failure of the run.
  pool.on('error', (err: Error) => {
    entry.error ??= err;
  });
  early = entry;
}

/**
 * The early pool when it has exactly `workers` threads (then it is the caller's), else a new
 * one; an early pool of another size is destroyed. Returns a start failure of its threads.
 */
export function takePool(workers: number): { pool: EnginePool; error?: Error } {
  const taken = early;
  early = undefined;
  if (taken && taken.workers === workers) return taken;
  // Not the run's pool: a failure to stop its threads is no failure of the run.
  if (taken) taken.pool.destroy().catch(() => {});
  return { pool: newPool(workers) };
}

/** Destroys the early pool if no plan took it (the run stopped before: bad input, say). */
export async function releaseEarlyPool(): Promise<void> {
  const left = early;
  early = undefined;
  await left?.pool.destroy();
}

/** Plans sent so far in this process: a worker recognises its plan by this number. */
let plansSent = 0;

/**
 * The plan as tasks carry it: serialized once (V8's structured clone, as workerData would
 * be) into shared memory, which a task passes by reference; a worker decodes it once.
 */
export function refOf(plan: Plan): PlanRef {
  const bytes = serialize(plan);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return { id: ++plansSent, bytes: shared };
}
