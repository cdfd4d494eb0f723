import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { CellAggregate } from '../experiment/aggregate.js';
import type { PlanInfo } from '../experiment/plan.js';
import { writeFileAtomic } from './csv.js';
import type { InputRecord } from './manifest.js';

export const PARTIAL_FILE = 'partial.json';
const FORMAT = 'entangle-partial/2';

/** A shard's results, losslessly: every count, every per-batch float sum (JSON keeps doubles exact). */
export interface PartialFile {
  format: string;
  plan: PlanInfo;
  input: InputRecord;
  shard: { index: number; count: number };
  complete: boolean;
  runs_done: number;
  cells: {
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
  }[];
}

/** Writes a shard's partial-aggregate file beside its CSVs. */
export function writePartial(
  dir: string,
  plan: PlanInfo,
  input: InputRecord,
  shard: { index: number; count: number },
  aggregates: CellAggregate[],
  ranges: { from: number; to: number }[],
  complete: boolean,
  runsDone: number,
): void {
  const file: PartialFile = {
    format: FORMAT,
    plan,
    input,
    shard,
    complete,
    runs_done: runsDone,
    cells: aggregates.map((a, i) => ({
      index: i,
      from: ranges[i]!.from,
      to: ranges[i]!.to,
      runs: a.runs,
      trues: [...a.trues],
      histograms: a.histograms.map((h) => [...h]),
      share_sums: a.shareSums.map((x) => [...x]),
      enters: [...a.enters],
      side1: [...a.side1],
      side2: [...a.side2],
      entry_step_sum: [...a.entryStepSum],
    })),
  };
  writeFileAtomic(join(dir, PARTIAL_FILE), JSON.stringify(file));
}

/** Reads a shard folder's partial-aggregate file; a missing or foreign file is the user's error. */
export function readPartial(dir: string): PartialFile {
  const path = join(dir, PARTIAL_FILE);
  let data: PartialFile;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as PartialFile;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${path}: no partial-aggregate file; expected the output folder of an \`entangle run --shard\``
        : `${path}: cannot read it as a partial-aggregate file (${(err as Error).message})`,
    );
  }
  if (data?.format !== FORMAT)
    throw new InputError(`${path}: format: expected "${FORMAT}", found ${JSON.stringify(data?.format)}`);
  return data;
}

/** Rebuilds a cell's aggregate from a partial file's record (batches numbered from..to-1). */
export function aggregateOfPartial(record: PartialFile['cells'][number], states: number): CellAggregate {
  const agg = new CellAggregate(states);
  agg.runs = record.runs;
  agg.trues.set(record.trues);
  record.histograms.forEach((h, f) => {
    agg.histograms[f]!.push(...h);
  });
  record.share_sums.forEach((x, f) => {
    agg.shareSums[f]!.push(...x);
  });
  for (let b = record.from; b < record.to; b++) agg.batches.push(b);
  agg.enters.set(record.enters);
  agg.side1.set(record.side1);
  agg.side2.set(record.side2);
  agg.entryStepSum.set(record.entry_step_sum);
  return agg;
}
