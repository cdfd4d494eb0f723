import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { BOOLEAN_FIELDS, CellAggregate, COUNT_FIELDS, SHARE_FIELDS } from '../experiment/aggregate.js';
import type { PlanInfo } from '../experiment/plan.js';
import { parseWith, readJsonFile } from '../scenario/read.js';
import type { InputRecord } from './manifest.js';

export const PARTIAL_FILE = 'partial.json';
const FORMAT = 'entangle-partial/3';

/** One cell's merged batches [from, to), losslessly: every count, every per-batch float sum. */
export interface CellRecord {
  index: number;
  from: number;
  to: number;
  runs: number;
  trues: number[];
  histograms: number[][];
  /** Per real-valued outcome (SHARE_FIELDS order), its sum per merged batch. */
  share_sums: number[][];
  enters: number[];
  side1: number[];
  side2: number[];
  entry_step_sum: number[];
}

/** What lets `merge` check a shard's files: a hash of its statistics and its runs.csv's size and hash. */
export interface ShardChecksums {
  stats_sha256: string;
  runs_csv: { rows: number; bytes: number; sha256: string } | null;
}

/** A shard's results (JSON keeps doubles exact). */
export interface PartialFile {
  format: string;
  plan: PlanInfo;
  input: InputRecord;
  shard: { index: number; count: number };
  complete: boolean;
  runs_done: number;
  cells: CellRecord[];
  checksums: ShardChecksums;
}

/** The record of a cell's aggregate over batches [from, to). */
export function cellRecord(
  agg: CellAggregate,
  index: number,
  range: { from: number; to: number },
): CellRecord {
  return {
    index,
    from: range.from,
    to: range.to,
    runs: agg.runs,
    trues: [...agg.trues],
    histograms: agg.histograms.map((h) => [...h]),
    share_sums: agg.shareSums.map((x) => [...x]),
    enters: [...agg.enters],
    side1: [...agg.side1],
    side2: [...agg.side2],
    entry_step_sum: [...agg.entryStepSum],
  };
}

/** SHA-256 of the statistics of every cell, as written. */
export function statsHash(cells: readonly CellRecord[]): string {
  return createHash('sha256').update(JSON.stringify(cells)).digest('hex');
}

/** The partial-aggregate file of a shard (its checksums included), as text. */
export function partialText(
  plan: PlanInfo,
  input: InputRecord,
  shard: { index: number; count: number },
  state: { aggregates: CellAggregate[]; batchRanges: { from: number; to: number }[]; runsDone: number },
  complete: boolean,
  runsCsv: ShardChecksums['runs_csv'],
): string {
  const cells = state.aggregates.map((a, i) => cellRecord(a, i, state.batchRanges[i]!));
  const file: PartialFile = {
    format: FORMAT,
    plan,
    input,
    shard,
    complete,
    runs_done: state.runsDone,
    cells,
    checksums: { stats_sha256: statsHash(cells), runs_csv: runsCsv },
  };
  return JSON.stringify(file);
}

const count = z.number().int().min(0);
const counts = z.array(count);
const finite = z.number().refine(Number.isFinite, 'expected a finite number');

/** The shape of a cell record (its consistency is checked by checkCellRecord). */
export const cellRecordSchema = z.object({
  index: count,
  from: count,
  to: count,
  runs: count,
  trues: counts,
  histograms: z.array(counts),
  share_sums: z.array(z.array(finite)),
  enters: counts,
  side1: counts,
  side2: counts,
  entry_step_sum: z.array(finite),
});

const planCellSchema = z.object({
  index: count,
  scenario: z.string(),
  point: z.record(z.string(), finite),
  stateIds: z.array(z.string()),
  runs: z.number().int().min(1),
  batches: z.number().int().min(1),
});

/** The shape of a plan's description, as partial files carry it. */
export const planInfoSchema = z.object({
  name: z.string(),
  seed: count,
  runs: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  sweepKeys: z.array(z.string()),
  hash: z.string(),
  version: z.string(),
  cells: z.array(planCellSchema).min(1),
});

/** The shape of an input record. */
export const inputRecordSchema = z.object({
  file: z.string(),
  sha256: z.string(),
  scenarios: z.array(z.object({ file: z.string(), sha256: z.string() })),
});

const shardSchema = z.object({ index: count, count: z.number().int().min(1) });

const partialSchema = z.object({
  format: z.literal(FORMAT, {
    error: `expected the format "${FORMAT}" (a shard of this version of entangle)`,
  }),
  plan: planInfoSchema,
  input: inputRecordSchema,
  shard: shardSchema,
  complete: z.boolean(),
  runs_done: count,
  cells: z.array(cellRecordSchema),
  checksums: z.object({
    stats_sha256: z.string(),
    runs_csv: z.object({ rows: count, bytes: count, sha256: z.string() }).nullable(),
  }),
});

/** Runs of batches [from, to) of a cell. */
export function runsOfBatches(cell: { runs: number }, batchSize: number, from: number, to: number): number {
  if (to <= from) return 0;
  return Math.min(cell.runs, to * batchSize) - from * batchSize;
}

/**
 * Checks that a cell record adds up: its batches' runs, every histogram totalling the runs,
 * 0/1 counts and per-state counts within the runs, one float sum per batch. Returns what is
 * wrong (the place and the problem), or undefined.
 */
export function checkCellRecord(
  record: CellRecord,
  cell: PlanInfo['cells'][number],
  batchSize: number,
  at: string,
): string | undefined {
  const n = cell.stateIds.length;
  if (record.index !== cell.index) return `${at}.index: expected ${cell.index}, found ${record.index}`;
  if (record.from > record.to || record.to > cell.batches)
    return `${at}: batches ${record.from}..${record.to} are not within the cell's ${cell.batches}`;
  const runs = runsOfBatches(cell, batchSize, record.from, record.to);
  if (record.runs !== runs)
    return `${at}.runs: ${record.runs} runs, but batches ${record.from}..${record.to - 1} hold ${runs}`;
  if (record.trues.length !== BOOLEAN_FIELDS.length)
    return `${at}.trues: expected ${BOOLEAN_FIELDS.length} counts, found ${record.trues.length}`;
  const over = record.trues.findIndex((t) => t > runs);
  if (over >= 0) return `${at}.trues[${over}]: ${record.trues[over]} runs of ${runs}`;
  if (record.histograms.length !== COUNT_FIELDS.length)
    return `${at}.histograms: expected ${COUNT_FIELDS.length} histograms, found ${record.histograms.length}`;
  for (const [f, h] of record.histograms.entries()) {
    const total = h.reduce((a, b) => a + b, 0);
    if (total !== runs)
      return `${at}.histograms[${f}] (${COUNT_FIELDS[f]}): counts add up to ${total}, not ${runs} runs`;
  }
  if (record.share_sums.length !== SHARE_FIELDS.length)
    return `${at}.share_sums: expected ${SHARE_FIELDS.length} lists, found ${record.share_sums.length}`;
  for (const [f, sums] of record.share_sums.entries())
    if (sums.length !== record.to - record.from)
      return `${at}.share_sums[${f}]: ${sums.length} batch sums for ${record.to - record.from} batches`;
  for (const key of ['enters', 'side1', 'side2', 'entry_step_sum'] as const)
    if (record[key].length !== n) return `${at}.${key}: expected ${n} states, found ${record[key].length}`;
  for (let i = 0; i < n; i++) {
    if (record.enters[i]! > runs) return `${at}.enters[${i}]: ${record.enters[i]} entries in ${runs} runs`;
    if (record.side1[i]! + record.side2[i]! !== record.enters[i])
      return `${at}.side1[${i}] + side2[${i}]: ${record.side1[i]! + record.side2[i]!}, not the ${record.enters[i]} entries`;
    if (record.entry_step_sum[i]! < 0) return `${at}.entry_step_sum[${i}]: negative`;
  }
  return undefined;
}

/**
 * Reads a shard folder's partial-aggregate file and checks it: its shape, its statistics
 * against their hash, and every cell adding up. A missing, foreign, damaged or edited file is
 * the user's error, naming the file and what is wrong.
 */
export function readPartial(dir: string): PartialFile {
  const path = join(dir, PARTIAL_FILE);
  const data = readJsonFile(path, 'the partial-aggregate file of an `entangle run --shard` (a shard folder)');
  parseWith(partialSchema, data, path);
  // The data as written (the schema checks the shape; the plan carries more than it names).
  const file = data as PartialFile;
  if (file.cells.length !== file.plan.cells.length)
    throw new InputError(
      `${path}: cells: ${file.cells.length} cells, but the plan has ${file.plan.cells.length}`,
    );
  if (statsHash(file.cells) !== file.checksums.stats_sha256)
    throw new InputError(
      `${path}: the statistics do not match their checksum (checksums.stats_sha256): the file was changed or damaged; rerun the shard`,
    );
  for (const [i, record] of file.cells.entries()) {
    const wrong = checkCellRecord(record, file.plan.cells[i]!, file.plan.batchSize, `cells[${i}]`);
    if (wrong) throw new InputError(`${path}: ${wrong}; the file was changed or damaged; rerun the shard`);
  }
  const runs = file.cells.reduce((a, c) => a + c.runs, 0);
  if (runs !== file.runs_done)
    throw new InputError(`${path}: runs_done: ${file.runs_done}, but the cells hold ${runs} runs`);
  return file;
}

/** Rebuilds a cell's aggregate from its record (batches numbered from..to-1). */
export function aggregateOfRecord(record: CellRecord, states: number): CellAggregate {
  const agg = new CellAggregate(states);
  agg.runs = record.runs;
  agg.trues.set(record.trues);
  // Loops, not push(...list): a list of a million batch sums would overflow the call stack.
  record.histograms.forEach((h, f) => {
    for (const v of h) agg.histograms[f]!.push(v);
  });
  record.share_sums.forEach((x, f) => {
    for (const v of x) agg.shareSums[f]!.push(v);
  });
  for (let b = record.from; b < record.to; b++) agg.batches.push(b);
  agg.enters.set(record.enters);
  agg.side1.set(record.side1);
  agg.side2.set(record.side2);
  agg.entryStepSum.set(record.entry_step_sum);
  return agg;
}
