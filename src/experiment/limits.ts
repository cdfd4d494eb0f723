/**
 * How big a run may be, checked before anything is computed, so that a typo (`--runs 1e15`,
 * `lhs: 1e9`) is refused in one line instead of exhausting memory after a minute. Each message
 * names the limit and what to change.
 */
import { totalmem } from 'node:os';
import { InputError } from '../errors.js';
import { RUN_FIELDS } from '../model/outcome.js';
import type { ExperimentSpec } from '../scenario/experiment.js';
import { designCells, designRecord } from './design.js';
import { expandRange } from './grid.js';
import type { Plan } from './plan.js';

/** Cells of one experiment (scenarios × parameter points). */
export const MAX_CELLS = 100_000;
/** Batches one process runs: each keeps a few numbers in memory and in the checkpoint. */
export const MAX_BATCHES = 1_000_000;
/** Memory a batch's runs.csv rows take on the way: their values, their text and its bytes. */
const RUNS_CSV_BYTES_PER_RUN = 8 * RUN_FIELDS.length + 3 * 150;
/** Longest text a worker may build for one batch's rows (V8 strings stop near 2^29 characters). */
const MAX_BATCH_TEXT = 2 ** 28;

const fmt = (x: number) => (x < 1e21 ? Math.round(x).toLocaleString('en-US') : x.toExponential(2));

/** Refuses an experiment with more cells than MAX_CELLS, before its plan is built. */
export function checkDesignSize(spec: ExperimentSpec): void {
  const scenarios = spec.scenarios.length;
  if (spec.lhs !== undefined) {
    if (spec.lhs * scenarios > MAX_CELLS)
      throw new InputError(
        `${spec.file}: design.lhs: ${fmt(spec.lhs)} points × ${scenarios} scenario${scenarios > 1 ? 's' : ''} make more cells than the limit of ${fmt(MAX_CELLS)}; expected a smaller lhs`,
      );
    return;
  }
  let points = 1;
  if (spec.design) points = designCells(designRecord(spec.design, spec.sweep, spec.file));
  else
    for (const [key, entry] of Object.entries(spec.sweep))
      points *= Array.isArray(entry) ? entry.length : expandRange(entry, spec.file, ['sweep', key]).length;
  if (points * scenarios > MAX_CELLS)
    throw new InputError(
      `${spec.file}: sweep: ${fmt(points)} parameter points × ${scenarios} scenario${scenarios > 1 ? 's' : ''} make more cells than the limit of ${fmt(MAX_CELLS)}; ` +
        (spec.design
          ? 'expected a smaller design'
          : 'expected fewer swept values (split the sweep into several experiments, or sample it with design: { lhs: N })'),
    );
}

/**
 * Refuses a plan too big for one process: more than MAX_BATCHES batches (in this shard), or
 * runs.csv batches whose rows would not fit in memory with `workers` workers.
 */
export function checkPlanSize(
  plan: Plan,
  file: string,
  options: { shard?: { index: number; count: number } | undefined; runsCsv: boolean; workers: number },
): void {
  const shards = options.shard?.count ?? 1;
  let batches = 0;
  for (const cell of plan.cells) batches += Math.ceil(cell.batches / shards);
  if (batches > MAX_BATCHES)
    throw new InputError(
      `${file}: ${fmt(plan.runs)} runs × ${plan.cells.length} cell${plan.cells.length > 1 ? 's' : ''} in batches of ${fmt(plan.batchSize)} make ${fmt(batches)} batches${shards > 1 ? ' per shard' : ''}, more than the limit of ${fmt(MAX_BATCHES)}; ` +
        'expected fewer runs (--runs, or runs in the experiment), larger batches (--batch-size, or batchSize), or more shards (--shard i/n)',
    );
  if (!options.runsCsv) return;
  const perBatch = Math.min(plan.batchSize, plan.runs);
  const need = perBatch * RUNS_CSV_BYTES_PER_RUN * 2 * options.workers;
  const limit = totalmem() / 2;
  if (perBatch * 150 > MAX_BATCH_TEXT || need > limit)
    throw new InputError(
      `${file}: --runs-csv: batches of ${fmt(perBatch)} runs need about ${(need / 2 ** 30).toFixed(1)} GB for their rows in flight on ${options.workers} worker${options.workers > 1 ? 's' : ''}, ` +
        `more than ${perBatch * 150 > MAX_BATCH_TEXT ? 'one batch can hold' : `half this machine's memory (${(limit / 2 ** 30).toFixed(1)} GB)`}; ` +
        'expected smaller batches (--batch-size, or batchSize in the experiment) or fewer --workers',
    );
}
