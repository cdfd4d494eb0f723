import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { DesignRecord } from '../experiment/design.js';
import type { PlanInfo } from '../experiment/plan.js';
import { paramsRows, type Row } from '../experiment/summary.js';
import type { ExperimentSpec } from '../scenario/experiment.js';

/** Where users find the model the results come from: the document entangle ships with. */
export const MODEL_DOCUMENT = 'docs/MODEL.md';

/** The input files of a run and their SHA-256, recorded so a result can be traced to its inputs. */
export interface InputRecord {
  file: string;
  sha256: string;
  scenarios: { file: string; sha256: string }[];
}

/**
 * What manifest.json records. Everything outside `run` is determined by the inputs, seed and
 * runs done, so an unsharded run and a merge of its shards agree on it; `run` holds what
 * legitimately differs: when, where, with how many workers, from which shards.
 */
export interface Manifest {
  entangle: string;
  /** The model's specification, in entangle's own files (MODEL_DOCUMENT). */
  model: string;
  name: string;
  input: InputRecord;
  plan_hash: string;
  seed: number;
  runs_per_cell: number;
  batch_size: number;
  cells: number;
  sweep: string[];
  /** The Sobol or Morris design of the cells, for `entangle sensitivity` (absent otherwise). */
  design?: DesignRecord;
  /** Every parameter each cell ran with, as the rows of params.csv. */
  params: Row[];
  shard: { index: number; count: number } | null;
  runs_planned: number;
  runs_done: number;
  complete: boolean;
  files: string[];
  run: {
    command: string;
    workers: number | null;
    /** For a merge: the shard indices merged, and whether some were missing (--partial). */
    shards_merged: number[] | null;
    partial_merge: boolean;
    node: string;
    platform: string;
    hostname: string;
    started_at: string;
    finished_at: string;
    duration_seconds: number;
  };
}

/** Builds the manifest of a run or a merge. */
export function buildManifest(
  plan: PlanInfo,
  fields: Pick<Manifest, 'input' | 'shard' | 'runs_planned' | 'runs_done' | 'complete' | 'files'> & {
    workers: number | null;
    shards_merged: number[] | null;
    partial_merge: boolean;
    startedAt: Date;
    finishedAt: Date;
    command: string;
  },
): Manifest {
  return {
    entangle: plan.version,
    model: MODEL_DOCUMENT,
    name: plan.name,
    input: fields.input,
    plan_hash: plan.hash,
    seed: plan.seed,
    runs_per_cell: plan.runs,
    batch_size: plan.batchSize,
    cells: plan.cells.length,
    sweep: plan.sweepKeys,
    ...(plan.design ? { design: plan.design } : {}),
    params: paramsRows(plan),
    shard: fields.shard,
    runs_planned: fields.runs_planned,
    runs_done: fields.runs_done,
    complete: fields.complete,
    files: fields.files,
    run: {
      command: fields.command,
      workers: fields.workers,
      shards_merged: fields.shards_merged,
      partial_merge: fields.partial_merge,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      hostname: hostname(),
      started_at: fields.startedAt.toISOString(),
      finished_at: fields.finishedAt.toISOString(),
      duration_seconds: Math.round((fields.finishedAt.getTime() - fields.startedAt.getTime()) / 10) / 100,
    },
  };
}

/** The input record of an experiment: its file and every scenario file it read, with their SHA-256. */
export function inputRecordOf(spec: ExperimentSpec): InputRecord {
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  return {
    // Absolute, so a run and a merge of its shards record the same input however it was typed.
    file: resolve(spec.file),
    sha256: sha(spec.file),
    // Each file once (the wars of a second wars file all name that file).
    scenarios: [
      ...new Set(spec.scenarios.flatMap((s) => (s.kind === 'file' && s.file !== spec.file ? [s.file] : []))),
    ].map((file) => ({ file, sha256: sha(file) })),
  };
}
