/**
 * What every command that runs an experiment does before computing, in one place: read and
 * check the file (sweep values by the rules of params, the design's size), build the plan from
 * the settings, and check the plan's size against what one process can run.
 */
import { checkDesignSize, checkPlanSize } from '../experiment/limits.js';
import { buildPlan, type Plan } from '../experiment/plan.js';
import { type ExperimentSpec, loadInput } from '../scenario/experiment.js';
import { checkSweepValues } from '../scenario/sweep-values.js';
import { VERSION } from '../version.js';

/** Loads a scenario or experiment file and checks it whole, before a plan is built. */
export function loadExperiment(file: string): ExperimentSpec {
  const spec = loadInput(file);
  checkSweepValues(spec);
  checkDesignSize(spec);
  return spec;
}

/** The plan of an experiment under a command's settings, refused when too big to run. */
export function planOf(
  spec: ExperimentSpec,
  settings: {
    runs: number;
    seed: number;
    batchSize?: number | undefined;
    params?: Readonly<Record<string, number>>;
  },
  run: { shard?: { index: number; count: number } | undefined; runsCsv: boolean; workers: number },
): Plan {
  const plan = buildPlan(spec, {
    runs: settings.runs,
    seed: settings.seed,
    ...(settings.batchSize !== undefined ? { batchSize: settings.batchSize } : {}),
    ...(settings.params !== undefined ? { params: settings.params } : {}),
    version: VERSION,
  });
  checkPlanSize(plan, spec.file, run);
  return plan;
}
