/**
 * checkpoint.json: the batches a run has finished, kept in its output folder as it goes, so a
 * run stopped in any way (Ctrl-C, SIGKILL, a full disk, a dying worker) continues with
 * `entangle run FILE --resume DIR` to the same bytes. It holds what identifies the run (input
 * files and their hashes, plan hash, seed, runs, batch size, shard, version) and the merged
 * statistics of the first `batches_done` batches of the batch order, the same records as a
 * shard's partial.json. checkpoint-writer.ts writes it as the run goes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BatchOrder, freshRunState, type RunState, type Shard } from '../engine/run-state.js';
import { InputError } from '../errors.js';
import { type Plan, planInfo } from '../experiment/plan.js';
import { parseWith, readJsonFile } from '../scenario/read.js';
import { CHECKPOINT_FILE, MANIFEST_FILE } from './folder.js';
import type { InputRecord } from './manifest.js';
import {
  aggregateOfRecord,
  type CellRecord,
  cellRecordSchema,
  checkCellRecord,
  inputRecordSchema,
} from './partial.js';

/** The format a checkpoint file names (a later entangle that changes it refuses older ones). */
export const CHECKPOINT_FORMAT = 'entangle-checkpoint/1';

/** What must be the same for a run to continue another. */
export interface RunIdentity {
  entangle: string;
  input: InputRecord;
  plan_hash: string;
  seed: number;
  runs_per_cell: number;
  batch_size: number;
  shard: Shard | null;
  runs_csv: boolean;
  /** `--param NAME=VALUE` overrides, by dotted name. */
  params: Record<string, number>;
}

export interface Checkpoint {
  format: string;
  identity: RunIdentity;
  /** The command line of the run, for messages. */
  command: string;
  started_at: string;
  batches_done: number;
  runs_done: number;
  /** Bytes of checkpoint-runs.csv (header included) that belong to the batches done. */
  runs_csv_bytes: number;
  /** The cells with merged batches, in cell order. */
  cells: CellRecord[];
}

/** The identity of a run of `plan`. */
export function identityOf(
  plan: Plan,
  input: InputRecord,
  shard: Shard | undefined,
  runsCsv: boolean,
  params: Readonly<Record<string, number>> = {},
): RunIdentity {
  return {
    entangle: plan.version,
    input,
    plan_hash: plan.hash,
    seed: plan.seed,
    runs_per_cell: plan.runs,
    batch_size: plan.batchSize,
    shard: shard ?? null,
    runs_csv: runsCsv,
    params: { ...params },
  };
}

const shardText = (s: Shard | null) => (s ? `${s.index}/${s.count}` : 'none');

/** What differs between the interrupted run and this one, in words, or undefined. */
export function identityDifference(saved: RunIdentity, now: RunIdentity): string | undefined {
  const differs = (what: string, a: unknown, b: unknown) =>
    `the ${what} differs (the interrupted run: ${a}; now: ${b})`;
  if (saved.entangle !== now.entangle) return differs('entangle version', saved.entangle, now.entangle);
  if (saved.input.sha256 !== now.input.sha256)
    return `the experiment file differs from the interrupted run's (${saved.input.file}, changed since or another file)`;
  const scenarios = (r: RunIdentity) => r.input.scenarios.map((s) => s.sha256).join();
  if (scenarios(saved) !== scenarios(now)) return "a scenario file differs from the interrupted run's";
  if (saved.seed !== now.seed) return differs('seed', saved.seed, now.seed);
  if (saved.runs_per_cell !== now.runs_per_cell)
    return differs('runs per cell', saved.runs_per_cell, now.runs_per_cell);
  if (saved.batch_size !== now.batch_size) return differs('batch size', saved.batch_size, now.batch_size);
  if (shardText(saved.shard) !== shardText(now.shard))
    return differs('shard', shardText(saved.shard), shardText(now.shard));
  if (saved.runs_csv !== now.runs_csv)
    return differs(
      '--runs-csv',
      saved.runs_csv ? 'given' : 'not given',
      now.runs_csv ? 'given' : 'not given',
    );
  const paramsText = (p: Record<string, number>) =>
    Object.entries(p)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'none';
  if (paramsText(saved.params) !== paramsText(now.params))
    return differs('--param', paramsText(saved.params), paramsText(now.params));
  if (saved.plan_hash !== now.plan_hash)
    return 'the plan differs (a data file or a default changed since the interrupted run)';
  return undefined;
}

const count = z.number().int().min(0);
const checkpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT, { error: `expected the format "${CHECKPOINT_FORMAT}"` }),
  identity: z.object({
    entangle: z.string(),
    input: inputRecordSchema,
    plan_hash: z.string(),
    seed: count,
    runs_per_cell: z.number().int().min(1),
    batch_size: z.number().int().min(1),
    shard: z.object({ index: count, count: z.number().int().min(1) }).nullable(),
    runs_csv: z.boolean(),
    params: z.record(z.string(), z.number()),
  }),
  command: z.string(),
  started_at: z.string(),
  batches_done: count,
  runs_done: count,
  runs_csv_bytes: count,
  cells: z.array(cellRecordSchema),
});

/** Reads the checkpoint of an interrupted run in `dir`; a folder without one is the user's error. */
export function readCheckpoint(dir: string): Checkpoint {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) {
    const complete = existsSync(join(dir, MANIFEST_FILE));
    throw new InputError(
      complete
        ? `${dir}: the run there finished (${MANIFEST_FILE}, no ${CHECKPOINT_FILE}); nothing to resume`
        : `${dir}: no ${CHECKPOINT_FILE}; expected the output folder of an interrupted entangle run`,
    );
  }
  return parseWith(
    checkpointSchema,
    readJsonFile(path, 'the checkpoint of an interrupted run'),
    path,
  ) as Checkpoint;
}

/** The run state a checkpoint holds, checked against the plan (a damaged checkpoint is refused). */
export function stateOfCheckpoint(checkpoint: Checkpoint, plan: Plan, dir: string): RunState {
  const shard = checkpoint.identity.shard ?? undefined;
  const state = freshRunState(plan, shard);
  const order = new BatchOrder(plan, shard);
  const info = planInfo(plan);
  const damaged = (what: string) =>
    new InputError(
      `${join(dir, CHECKPOINT_FILE)}: ${what}; the file is damaged, cannot resume (--force starts over)`,
    );
  let batches = 0;
  let last = -1;
  for (const [k, record] of checkpoint.cells.entries()) {
    const cell = info.cells[record.index];
    if (!cell || record.index <= last) throw damaged(`cells[${k}].index: ${record.index} is not a next cell`);
    const wrong = checkCellRecord(record, cell, plan.batchSize, `cells[${k}]`);
    if (wrong) throw damaged(wrong);
    if (record.from !== state.batchRanges[record.index]!.from)
      throw damaged(`cells[${k}].from: expected batch ${state.batchRanges[record.index]!.from}`);
    state.aggregates[record.index] = aggregateOfRecord(record, cell.stateIds.length);
    state.batchRanges[record.index] = { from: record.from, to: record.to };
    batches += record.to - record.from;
    state.runsDone += record.runs;
    last = record.index;
  }
  // The batches done are the first ones of the batch order: every cell but the last complete.
  if (batches !== checkpoint.batches_done || state.runsDone !== checkpoint.runs_done)
    throw damaged(
      `batches_done/runs_done: ${checkpoint.batches_done}/${checkpoint.runs_done} do not match the cells`,
    );
  for (let c = 0; c < last; c++)
    if (state.batchRanges[c]!.to !== order.endBatch(c))
      throw damaged(`cell ${c} is not finished, but a later cell has batches`);
  if (order.runsBefore(batches) !== state.runsDone)
    throw damaged('the cells are not the first batches of the run');
  state.batchesDone = batches;
  return state;
}
