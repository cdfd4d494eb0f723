import { deserialize } from 'node:v8';
import type { Batch, Plan } from '../experiment/plan.js';
import { appendRunRows, RowBytes, runsRowPrefix } from '../output/runs-csv.js';
import { BatchRunner } from './batch.js';

/**
 * The plan a task belongs to: its number in this process and its V8 serialization in shared
 * memory (passed by reference, not copied per task; see pool.ts's refOf).
 */
export interface PlanRef {
  id: number;
  bytes: SharedArrayBuffer;
}

/** A task: consecutive batches of the plan's batch order (several, so a task is ~50–100 ms of work). */
export interface Task {
  plan: PlanRef;
  batches: Batch[];
  /** Also return the runs.csv rows of the batches. */
  runsCsv: boolean;
  /**
   * Where to write the rows: memory shared with the main thread, reused task after task, so
   * no buffer per task is left for the main thread's garbage collector (whose memory would
   * grow by tens of MB before it runs). Rows that do not fit come back in the reply.
   */
  slot?: SharedArrayBuffer;
}

/**
 * What a task sends back: one Float64Array, copied to the main thread rather than moved
 * (piscina's move() transfers the buffer, which detaches it here: once any buffer of a thread
 * is detached, V8 stops assuming that none is and checks on every typed-array access, which
 * cost the simulator 10–15 % of its speed, measured side by side; the copy is a few kB per
 * task of ~75 ms). It is laid out as REPLY_HEADER values
 * [worker ms, batches, runs.csv bytes, 1 if the rows are in the task's slot], then each
 * batch's stats length, then the stats of every batch, then (from byte 8 × that length, when
 * not in the slot) the UTF-8 runs.csv rows; or a failure as data (custom error properties do
 * not cross threads), naming the batch within the task.
 */
export type TaskReply = Float64Array | { failed: string; at: number; before: Float64Array };

/** Values before the per-batch stats lengths in a reply. */
export const REPLY_HEADER = 4;

// The plan of the tasks so far, decoded from the first of them (the pool may start before it).
let current: { id: number; plan: Plan; runner: BatchRunner } | undefined;
const prefixes = new Map<number, Uint8Array>();
// runs.csv rows of the task under way: in its slot, or in this buffer reused from task to task.
const own = new RowBytes();
let rows = own;
let slot: Uint8Array | undefined;
// Fault injection for the engine's own tests: ENTANGLE_TEST_FAULT=throw@CELL:BATCH, exit@CELL:BATCH
// or sleep@CELL:BATCH (the batch takes ENTANGLE_TEST_FAULT_MS longer, default 8000).
const fault = /^(throw|exit|sleep)@(\d+):(\d+)$/.exec(process.env.ENTANGLE_TEST_FAULT ?? '');

function prefixOf(plan: Plan, cell: number): Uint8Array {
  let p = prefixes.get(cell);
  if (p === undefined) {
    p = Buffer.from(runsRowPrefix(cell, plan.cells[cell]!.scenario));
    prefixes.set(cell, p);
  }
  return p;
}

/** Piscina entry: runs a task's batches in order and moves their results back in one buffer. */
export default function runTask(task: Task): TaskReply {
  const started = performance.now();
  if (current?.id !== task.plan.id) {
    const plan = deserialize(new Uint8Array(task.plan.bytes)) as Plan;
    current = { id: task.plan.id, plan, runner: new BatchRunner(plan) };
    prefixes.clear();
  }
  const { plan, runner } = current;
  const stats: Float64Array[] = [];
  slot = task.slot ? new Uint8Array(task.slot) : undefined;
  rows = slot ? new RowBytes(slot) : own;
  rows.length = 0;
  for (let k = 0; k < task.batches.length; k++) {
    const batch = task.batches[k]!;
    try {
      if (fault && Number(fault[2]) === batch.cell && Number(fault[3]) === batch.batch) {
        if (fault[1] === 'exit') process.exit(70);
        if (fault[1] === 'sleep')
          Atomics.wait(
            new Int32Array(new SharedArrayBuffer(4)),
            0,
            0,
            Number(process.env.ENTANGLE_TEST_FAULT_MS ?? 8000),
          );
        else throw new Error('injected fault');
      }
      const result = runner.run(batch, task.runsCsv);
      stats.push(result.stats);
      if (result.runs) appendRunRows(rows, prefixOf(plan, batch.cell), batch.first, result.runs);
    } catch (err) {
      // The batches before the failed one still count (the checkpoint keeps them).
      return { failed: (err as Error)?.stack ?? String(err), at: k, before: pack(stats, started) };
    }
  }
  return pack(stats, started);
}

/** The reply of the batches run, with their rows (see TaskReply). */
function pack(stats: Float64Array[], started: number): Float64Array {
  let values = REPLY_HEADER + stats.length;
  for (const s of stats) values += s.length;
  const bytes = rows.length;
  const inSlot = slot !== undefined && rows.buffer === slot;
  const buffer = new ArrayBuffer(8 * values + (inSlot ? 0 : bytes));
  const reply = new Float64Array(buffer, 0, values);
  let o = REPLY_HEADER;
  for (const s of stats) reply[o++] = s.length;
  for (const s of stats) {
    reply.set(s, o);
    o += s.length;
  }
  if (bytes > 0 && !inSlot) new Uint8Array(buffer, 8 * values, bytes).set(rows.buffer.subarray(0, bytes));
  reply[0] = performance.now() - started;
  reply[1] = stats.length;
  reply[2] = bytes;
  reply[3] = inSlot ? 1 : 0;
  return reply;
}
