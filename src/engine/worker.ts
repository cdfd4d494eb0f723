import { move, workerData } from 'piscina';
import type { Batch, Plan } from '../experiment/plan.js';
import { BatchRunner } from './batch.js';

/**
 * What a task sends back: one moved Float64Array [stats length, stats…, runs…], or a failure
 * as data (custom error properties do not cross threads).
 */
export type TaskReply = Float64Array | { failed: string };

export interface Task extends Batch {
  wantRuns: boolean;
}

const plan = workerData as Plan;
const runner = new BatchRunner(plan);
// Fault injection for the engine's own tests: ENTANGLE_TEST_FAULT=throw@CELL:BATCH or exit@CELL:BATCH.
const fault = /^(throw|exit)@(\d+):(\d+)$/.exec(process.env.ENTANGLE_TEST_FAULT ?? '');

/** Piscina entry: runs one batch and moves its typed arrays back to the coordinator. */
export default function runTask(task: Task): TaskReply {
  try {
    if (fault && Number(fault[2]) === task.cell && Number(fault[3]) === task.batch) {
      if (fault[1] === 'exit') process.exit(70);
      throw new Error('injected fault');
    }
    const { stats, runs } = runner.run(task, task.wantRuns);
    const reply = new Float64Array(1 + stats.length + (runs?.length ?? 0));
    reply[0] = stats.length;
    reply.set(stats, 1);
    if (runs) reply.set(runs, 1 + stats.length);
    return move(reply) as unknown as TaskReply;
  } catch (err) {
    return { failed: (err as Error)?.stack ?? String(err) };
  }
}
