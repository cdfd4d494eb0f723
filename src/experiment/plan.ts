import { createHash } from 'node:crypto';
import type { ModelParams, Scenario } from '../model/types.js';
import { parseBlocsSpec } from '../scenario/blocs-spec.js';
import type { ExperimentSpec } from '../scenario/experiment.js';
import { type BlocsSpec, blocsName, systemFor } from '../scenario/generators.js';
import { applySweepPoint, isScenarioSweepKey } from '../scenario/variants-sweep.js';
import { type DesignRecord, designPoints, designRecord } from './design.js';
import { expandGrid, latinHypercube } from './grid.js';
import { applyOverrides } from './overrides.js';

/** Runs per batch unless the experiment says otherwise: a few milliseconds of work per task. */
export const DEFAULT_BATCH_SIZE = 1000;

/** Where a cell's runs take their system from: one fixed system, or a new blocs system per run. */
export type CellSystem = { kind: 'fixed'; scenario: Scenario } | { kind: 'perRun'; spec: BlocsSpec };

/** One scenario × one parameter point. */
export interface PlanCell {
  index: number;
  /** The scenario's name, as written in summary.csv. */
  scenario: string;
  /** The swept values of this cell, by dotted name. */
  point: Record<string, number>;
  params: ModelParams;
  system: CellSystem;
  /** State ids in system order (for joiners.csv). */
  stateIds: string[];
  /** State names in system order, beside the ids in joiners.csv (a generated system's are made up). */
  stateNames: string[];
  runs: number;
  batches: number;
}

/** Everything a run of the experiment needs, plain data (it is sent to every worker). */
export interface Plan {
  name: string;
  seed: number;
  runs: number;
  batchSize: number;
  sweepKeys: string[];
  cells: PlanCell[];
  /** The Sobol or Morris design the cells follow (absent for grids and Latin hypercubes). */
  design?: DesignRecord;
  /** SHA-256 of what determines the results: shards of one plan carry the same hash. */
  hash: string;
  version: string;
}

/**
 * Cells in a stable order: scenario by scenario, and within one scenario the sweep's points in
 * row-major order (the first swept name outermost) or the Latin hypercube's points in order.
 */
export function buildPlan(
  spec: ExperimentSpec,
  options: {
    runs: number;
    seed: number;
    batchSize?: number;
    version: string;
    /** `--param NAME=VALUE` overrides by dotted name: over every scenario's params, under the sweep. */
    params?: Readonly<Record<string, number>>;
  },
): Plan {
  const batchSize = options.batchSize ?? spec.batchSize ?? DEFAULT_BATCH_SIZE;
  const sweepKeys = Object.keys(spec.sweep);
  const design = spec.design && designRecord(spec.design, spec.sweep, spec.file);
  const points: Record<string, number>[] = design
    ? designPoints(design, options.seed)
    : spec.lhs !== undefined
      ? latinHypercube(
          spec.sweep as Record<string, { from: number; to: number }>,
          spec.lhs,
          options.seed,
          spec.file,
        )
      : sweepKeys.length > 0
        ? expandGrid(spec.sweep, spec.file)
        : [{}];
  const cells: PlanCell[] = [];
  for (const [si, source] of spec.scenarios.entries()) {
    for (const point of points) {
      const index = cells.length;
      let system: CellSystem;
      let scenarioParams: Scenario['params'];
      if (source.kind === 'file') {
        system = { kind: 'fixed', scenario: applySweepPoint(source.scenario, point) };
        scenarioParams = source.scenario.params;
      } else {
        let generated: BlocsSpec = { ...source.spec };
        const swept = Object.entries(point).filter(([key]) => key in generatorFields);
        for (const [key, value] of swept) (generated as unknown as Record<string, number>)[key] = value;
        // Swept values (a Latin hypercube's states = 30.4, blocs > states / 2) must still make a valid spec.
        if (swept.length > 0) {
          const where = swept.map(([k, v]) => `${k} = ${v}`).join(', ');
          generated = parseBlocsSpec(generated, `${spec.file} (with sweep ${where})`, ['scenarios', si]);
        }
        system = generated.perRun
          ? { kind: 'perRun', spec: generated }
          : {
              kind: 'fixed',
              scenario: {
                ...systemFor(generated, options.seed, index, 0),
                name: generated.name ?? blocsName(generated),
              },
            };
      }
      const sweptParams = Object.fromEntries(
        Object.entries(point).filter(([key]) => !(key in generatorFields) && !isScenarioSweepKey(key)),
      );
      // Layers, the later winning: the experiment's params, the scenario's, --param, the sweep.
      const params = applyOverrides(undefined, spec.params, scenarioParams, options.params, sweptParams);
      const probe =
        system.kind === 'fixed' ? system.scenario : systemFor(system.spec, options.seed, index, 0);
      cells.push({
        index,
        scenario:
          source.kind === 'file'
            ? source.scenario.name
            : system.kind === 'fixed'
              ? system.scenario.name
              : (system.spec.name ?? blocsName(system.spec)),
        point,
        params,
        system,
        stateIds: probe.states.map((s) => s.id),
        stateNames: probe.states.map((s) => s.name),
        runs: options.runs,
        batches: Math.ceil(options.runs / batchSize),
      });
    }
  }
  const plan: Omit<Plan, 'hash'> = {
    name: spec.name,
    seed: options.seed,
    runs: options.runs,
    batchSize,
    sweepKeys,
    cells,
    ...(design ? { design } : {}),
    version: options.version,
  };
  return { ...plan, hash: createHash('sha256').update(JSON.stringify(plan)).digest('hex') };
}

const generatorFields: Record<string, true> = {
  tightness: true,
  states: true,
  blocs: true,
  greatPowers: true,
  systemSeed: true,
};

/** What the output files need to know of a plan (a merge reads it back from shard files). */
export interface PlanInfo {
  name: string;
  seed: number;
  runs: number;
  batchSize: number;
  sweepKeys: string[];
  hash: string;
  version: string;
  design?: DesignRecord;
  cells: Pick<
    PlanCell,
    'index' | 'scenario' | 'point' | 'params' | 'stateIds' | 'stateNames' | 'runs' | 'batches'
  >[];
}

/** The PlanInfo of a plan. */
export function planInfo(plan: Plan): PlanInfo {
  return {
    name: plan.name,
    seed: plan.seed,
    runs: plan.runs,
    batchSize: plan.batchSize,
    sweepKeys: plan.sweepKeys,
    hash: plan.hash,
    version: plan.version,
    ...(plan.design ? { design: plan.design } : {}),
    cells: plan.cells.map(({ index, scenario, point, params, stateIds, stateNames, runs, batches }) => ({
      index,
      scenario,
      point,
      params,
      stateIds,
      stateNames,
      runs,
      batches,
    })),
  };
}

/** A batch: runs [first, first + count) of one cell. */
export interface Batch {
  cell: number;
  batch: number;
  first: number;
  count: number;
}

/** The batches of shard `index` of `count` (0-based): a contiguous range of each cell's batches. */
export function shardRange(batches: number, index: number, count: number): { from: number; to: number } {
  return { from: Math.floor((index * batches) / count), to: Math.floor(((index + 1) * batches) / count) };
}

/** Every batch to run, cell by cell, in batch order; restricted to one shard when given. */
export function batchesOf(plan: Plan, shard?: { index: number; count: number }): Batch[] {
  const out: Batch[] = [];
  for (const cell of plan.cells) {
    const { from, to } = shard
      ? shardRange(cell.batches, shard.index, shard.count)
      : { from: 0, to: cell.batches };
    for (let b = from; b < to; b++) {
      const first = b * plan.batchSize;
      out.push({ cell: cell.index, batch: b, first, count: Math.min(plan.batchSize, cell.runs - first) });
    }
  }
  return out;
}
