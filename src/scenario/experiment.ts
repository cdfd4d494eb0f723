import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { z } from 'zod';
import { formatPath, InputError } from '../errors.js';
import { PARAM_NAMES } from '../model/params.js';
import type { Scenario } from '../model/types.js';
import { parseBlocsSpec } from './blocs-spec.js';
import { designSchema, readDesign, type SamplingDesign } from './design.js';
import type { BlocsSpec } from './generators.js';
import { scenarioFromData } from './load.js';
import { parseWith, readStructuredFile } from './read.js';
import { paramsSchema } from './schema.js';
import { expandVariants, isFileEntry, parseFileEntry, type VariantInfo } from './variants.js';
import { checkScenarioSweepKey, isScenarioSweepKey } from './variants-sweep.js';

/** Where a cell's state system comes from: a scenario file (or a variant of one), or the blocs generator. */
export type ScenarioSource =
  | { kind: 'file'; file: string; scenario: Scenario; variant?: VariantInfo }
  | { kind: 'generator'; spec: BlocsSpec };

/** A swept value list or range, as written in the file. */
export type SweepEntry = number[] | { from: number; to: number; step?: number };

/** An experiment file, read and checked (MODEL.md, "Files"). */
export interface ExperimentSpec {
  name: string;
  file: string;
  seed?: number;
  runs?: number;
  batchSize?: number;
  scenarios: ScenarioSource[];
  /** Dotted parameter names (or generator fields) → values or ranges, in file order. */
  sweep: Record<string, SweepEntry>;
  /** Latin hypercube with this many points over the sweep's ranges, instead of the full grid. */
  lhs?: number;
  /** A Sobol or Morris design over the sweep's ranges, for sensitivity analysis (scenario/design.ts). */
  design?: SamplingDesign;
  /** Overrides for every cell, under each scenario's own params and the sweep. */
  params?: Scenario['params'];
}

/** Generator fields a sweep may vary (they apply to generator scenarios only). */
export const GENERATOR_SWEEP_KEYS: readonly string[] = [
  'tightness',
  'states',
  'blocs',
  'greatPowers',
  'systemSeed',
];

const count = (what: string) =>
  z
    .number({ error: `expected ${what}: a whole number ≥ 1` })
    .int(`expected ${what}: a whole number ≥ 1`)
    .min(1, `expected ${what} ≥ 1`);

const rangeSchema = z.strictObject({
  from: z.number({ error: 'expected from: a number' }),
  to: z.number({ error: 'expected to: a number' }),
  step: z.number({ error: 'expected step: a number > 0' }).optional(),
});

const experimentSchema = z.strictObject({
  name: z.string({ error: 'expected a name (text)' }).optional(),
  seed: z
    .number({ error: 'expected a seed: a whole number ≥ 0' })
    .int('expected a whole-number seed')
    .min(0, 'expected a seed ≥ 0')
    .max(Number.MAX_SAFE_INTEGER, 'expected a seed below 2^53')
    .optional(),
  runs: count('runs per cell').optional(),
  batchSize: count('batchSize').optional(),
  scenarios: z
    .array(z.unknown(), { error: 'expected a list of scenario files or generators' })
    .min(1, 'expected at least one scenario'),
  sweep: z
    .record(
      z.string(),
      z.union(
        [
          z
            .array(z.number({ error: 'expected a number' }), { error: 'expected a list of numbers' })
            .min(1, 'expected at least one value'),
          rangeSchema,
        ],
        {
          error: 'expected a list of numbers or a range { from, to, step }',
        },
      ),
      { error: 'expected a mapping of parameter names to values or ranges' },
    )
    .optional(),
  design: designSchema.optional(),
  params: paramsSchema.optional(),
});

/** True when parsed data looks like an experiment (it lists scenarios) rather than a scenario. */
export function isExperimentData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'scenarios' in data;
}

/** Reads and checks an experiment file, loading every scenario file it names (relative to it). */
export function experimentFromData(data: unknown, file: string): ExperimentSpec {
  const input = parseWith(experimentSchema, data, file);
  const fail = (path: PropertyKey[], message: string): never => {
    throw new InputError(`${file}: ${formatPath(path)}: ${message}`);
  };
  const fileSource = (entry: string, at: PropertyKey[]): { file: string; scenario: Scenario } => {
    const path = resolveScenarioPath(entry, file);
    if (!path)
      fail(
        at,
        `scenario file "${entry}" does not exist (looked beside the experiment file and in the current folder)`,
      );
    return { file: path!, scenario: scenarioFromData(readStructuredFile(path!), path!) };
  };
  const scenarios: ScenarioSource[] = input.scenarios.flatMap((entry, i): ScenarioSource[] => {
    if (typeof entry === 'string') return [{ kind: 'file', ...fileSource(entry, ['scenarios', i]) }];
    if (isFileEntry(entry)) {
      const parsed = parseFileEntry(entry, file, ['scenarios', i]);
      const base = fileSource(parsed.file, ['scenarios', i, 'file']);
      return expandVariants(base.scenario, parsed, file, ['scenarios', i]).map((v) => ({
        kind: 'file',
        file: base.file,
        ...v,
      }));
    }
    if (entry && typeof entry === 'object' && 'generator' in entry) {
      return [{ kind: 'generator', spec: parseBlocsSpec(entry, file, ['scenarios', i]) }];
    }
    return fail(
      ['scenarios', i],
      'expected a scenario file name, { file, variants } or a generator such as { generator: blocs, states: 30, tightness: 0.9 }',
    );
  });
  const design = readDesign(input.design, file);
  const sweep: Record<string, SweepEntry> = {};
  for (const [key, value] of Object.entries(input.sweep ?? {})) {
    if (isScenarioSweepKey(key)) {
      const bounds: [number, number] = Array.isArray(value)
        ? [Math.min(...value), Math.max(...value)]
        : [value.from, value.to];
      const edited = scenarios.map((s) => (s.kind === 'file' ? s.scenario : undefined));
      checkScenarioSweepKey(key, bounds, edited, file);
    } else if (GENERATOR_SWEEP_KEYS.includes(key)) {
      const fileIndex = scenarios.findIndex((s) => s.kind === 'file');
      if (fileIndex >= 0)
        fail(
          ['sweep', key],
          `"${key}" is a generator field, but scenarios[${fileIndex}] is a file; sweep it in experiments of generators only`,
        );
    } else if (!PARAM_NAMES.includes(key)) {
      fail(
        ['sweep', key],
        `unknown parameter "${key}"; expected one of ${[...PARAM_NAMES, ...GENERATOR_SWEEP_KEYS].join(', ')}, alliance[NAME].reliability or state[ID].capability`,
      );
    }
    if (!Array.isArray(value)) {
      if (design.label === undefined) {
        if (value.step === undefined)
          fail(['sweep', key, 'step'], 'expected a step for a range (or use design: { lhs: N })');
        if (value.step! <= 0) fail(['sweep', key, 'step'], 'expected a step > 0');
      }
      if (value.to < value.from)
        fail(['sweep', key], `empty range: to (${value.to}) is below from (${value.from})`);
    } else if (design.label !== undefined) {
      fail(['sweep', key], `${design.label} needs ranges { from, to }, not lists`);
    }
    sweep[key] = value;
  }
  if (design.label !== undefined && Object.keys(sweep).length === 0)
    fail(['design'], `${design.label} needs ranges under sweep`);
  return {
    name: input.name ?? basename(file, extname(file)),
    file,
    seed: input.seed,
    ...(input.runs !== undefined ? { runs: input.runs } : {}),
    ...(input.batchSize !== undefined ? { batchSize: input.batchSize } : {}),
    scenarios,
    sweep,
    ...(design.lhs !== undefined ? { lhs: design.lhs } : {}),
    ...(design.sampling !== undefined ? { design: design.sampling } : {}),
    ...(input.params !== undefined ? { params: input.params as Scenario['params'] } : {}),
  };
}

/**
 * A scenario file named in an experiment: beside the experiment file first, then the working
 * folder. A folder is not a scenario file (an empty name would resolve to one).
 */
function resolveScenarioPath(entry: string, experimentFile: string): string | undefined {
  for (const candidate of [resolve(dirname(experimentFile), entry), resolve(entry)]) {
    if (existsSync(candidate) && !statSync(candidate).isDirectory()) return candidate;
  }
  return undefined;
}

/** A single scenario file run on its own: an experiment of one scenario and no sweep. */
export function experimentOfScenario(scenario: Scenario, file: string): ExperimentSpec {
  return { name: scenario.name, file, scenarios: [{ kind: 'file', file, scenario }], sweep: {} };
}

/** Loads a scenario or an experiment file, telling them apart by the `scenarios` key. */
export function loadInput(file: string): ExperimentSpec {
  const data = readStructuredFile(file);
  if (isExperimentData(data)) return experimentFromData(data, file);
  return experimentOfScenario(scenarioFromData(data, file), file);
}
