/**
 * Writing checkpoint.json as a run goes: write, fsync, rename, off the main thread, at most
 * every few seconds and never more than ~1 % of the run's time (checkpoint.ts: what it holds).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunState } from '../engine/run-state.js';
import { writeFileAtomic, writeFileAtomicAsync } from './atomic.js';
import { CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.js';
import type { RunsFile } from './checkpoint-runs.js';
import { CHECKPOINT_FILE } from './folder.js';
import { type CellRecord, cellRecord } from './partial.js';

/** Interval between checkpoints unless ENTANGLE_CHECKPOINT_MS says otherwise (tests use 0: after every task). */
export const CHECKPOINT_MS = 5000;
/** A checkpoint may take at most 1/OVERHEAD_FACTOR of the time between two. */
const OVERHEAD_FACTOR = 100;

/**
 * Writes the checkpoint of a run as it advances: `due` after each merged task starts a write
 * when the interval has passed and none is under way; `flush` writes the latest state and
 * waits; `saveNow` writes it blocking (for an exit at once). A failed write is kept in `error`
 * (the run must stop: its progress could not be saved) and reported by `onError`.
 */
export class Checkpointer {
  private writing: Promise<void> | undefined;
  private savedBatches = -1;
  private dueAt = 0;
  private readonly intervalMs: number;
  /** Runs the last checkpoint on disk holds (-1: none written yet). */
  savedRuns = -1;
  /** What checkpointing cost: writes, main-thread ms building them, ms from start to rename. */
  readonly cost = { writes: 0, buildMs: 0, totalMs: 0 };
  error: Error | undefined;

  constructor(
    readonly dir: string,
    private readonly header: Pick<Checkpoint, 'identity' | 'command' | 'started_at'>,
    private readonly runs: RunsFile | undefined,
    private readonly onError: (err: Error) => void,
  ) {
    const env = Number(process.env.ENTANGLE_CHECKPOINT_MS);
    this.intervalMs = Number.isFinite(env) && env >= 0 ? env : CHECKPOINT_MS;
  }

  get path(): string {
    return join(this.dir, CHECKPOINT_FILE);
  }

  private text(state: RunState): string {
    const cells: CellRecord[] = [];
    state.aggregates.forEach((agg, i) => {
      const range = state.batchRanges[i]!;
      if (range.to > range.from) cells.push(cellRecord(agg, i, range));
    });
    const checkpoint: Checkpoint = {
      format: CHECKPOINT_FORMAT,
      ...this.header,
      batches_done: state.batchesDone,
      runs_done: state.runsDone,
      runs_csv_bytes: this.runs?.bytes ?? 0,
      cells,
    };
    return JSON.stringify(checkpoint);
  }

  /** Starts a write if one is due. */
  due(state: RunState): void {
    if (this.writing || this.error || state.batchesDone === this.savedBatches || Date.now() < this.dueAt)
      return;
    this.writing = this.write(state).finally(() => {
      this.writing = undefined;
    });
  }

  private async write(state: RunState): Promise<void> {
    const started = performance.now();
    const batches = state.batchesDone;
    const runsDone = state.runsDone;
    const text = this.text(state);
    this.cost.buildMs += performance.now() - started;
    try {
      // The rows the checkpoint counts must be on disk before it says so.
      await this.runs?.sync();
      await writeFileAtomicAsync(this.path, text);
      this.savedBatches = batches;
      this.savedRuns = runsDone;
      // ENTANGLE_CHECKPOINT_MS=0 (tests): after every task, whatever it costs.
      const took = performance.now() - started;
      this.cost.writes++;
      this.cost.totalMs += took;
      const spacing = this.intervalMs === 0 ? 0 : Math.max(this.intervalMs, OVERHEAD_FACTOR * took);
      this.dueAt = Date.now() + spacing;
    } catch (err) {
      this.error ??= err as Error;
      this.onError(err as Error);
    }
  }

  /** Writes the latest state (after any write under way) and waits for it; throws a failed write. */
  async flush(state: RunState): Promise<void> {
    await this.writing;
    if (!this.error && state.batchesDone !== this.savedBatches) await this.write(state);
    if (this.error) throw this.error;
  }

  /** Writes the latest state at once, blocking; for an exit at once (failures are ignored: the older checkpoint stays). */
  saveNow(state: RunState): void {
    if (state.batchesDone === this.savedBatches) return;
    try {
      this.runs?.syncNow();
      writeFileAtomic(this.path, this.text(state));
      this.savedRuns = state.runsDone;
    } catch {
      // The checkpoint on disk is the previous one, still valid.
    }
  }

  /** Removes the checkpoint (the run's results are published whole). */
  remove(): void {
    rmSync(this.path, { force: true });
  }
}
