/**
 * The bench's plain loop as a thread of its own (started fresh like a piscina worker, so both
 * sides pay the same thread start and JIT warm-up): the plan's batches through BatchRunner,
 * merged in order, in one loop. Posts the runs done when half the runs are done, and at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchRunner } from '../../dist/engine/batch.js';
import { BatchOrder } from '../../dist/engine/run-state.js';
import { CellAggregate, unpackBatch } from '../../dist/experiment/aggregate.js';
import type { Plan } from '../../dist/experiment/plan.js';

const plan = workerData as Plan;
const runner = new BatchRunner(plan);
const aggregates = plan.cells.map((c) => new CellAggregate(c.stateIds.length));
const order = new BatchOrder(plan);
const total = order.runsBefore(order.length);
let done = 0;
let half = false;
for (let seq = 0; seq < order.length; seq++) {
  const b = order.at(seq);
  const { stats } = runner.run(b, false);
  aggregates[b.cell]!.merge(unpackBatch(stats, plan.cells[b.cell]!.stateIds.length));
  done += b.count;
  if (!half && 2 * done >= total) {
    half = true;
    parentPort!.postMessage({ half: done });
  }
}
parentPort!.postMessage({ done });
