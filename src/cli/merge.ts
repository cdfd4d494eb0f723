import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import type { CellAggregate } from '../experiment/aggregate.js';
import { buildManifest, writeManifest } from '../output/manifest.js';
import { mergeRunsCsv } from '../output/merge-runs.js';
import { aggregateOfPartial, type PartialFile, readPartial } from '../output/partial.js';
import { writeResultCsvs } from '../output/results.js';
import { COMMAND_FACES } from './commands.js';
import { examples } from './options.js';
import { sensitivityAfterRun } from './sensitivity.js';
import { summaryTable } from './summary-table.js';
import { writeViews, xlsxOption } from './views.js';

interface MergeArgs {
  dirs: string[];
  out: string;
  partial: boolean;
  xlsx: boolean;
  quiet: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  ...COMMAND_FACES.merge,
  builder: (y: Argv) =>
    y
      .positional('dirs', {
        describe: 'shard output folders (any order)',
        type: 'string',
        array: true,
        demandOption: true,
      })
      .option('out', { describe: 'folder for the merged results', type: 'string', demandOption: true })
      .option('partial', {
        describe: 'allow missing or interrupted shards (the manifest says so)',
        type: 'boolean',
        default: false,
      })
      .option('xlsx', xlsxOption)
      .option('quiet', { alias: 'q', describe: 'print nothing but errors', type: 'boolean', default: false })
      .example(
        examples(['$0 merge results/shards/* --out results/merged', 'merge every shard of a Slurm array']),
      ) as unknown as Argv<MergeArgs>,
  handler: async (args: ArgumentsCamelCase<MergeArgs>) => {
    await mergeShards(args);
  },
};

async function mergeShards(args: MergeArgs): Promise<void> {
  const startedAt = new Date();
  const shards = args.dirs.map((dir) => ({ dir, data: readPartial(dir) }));
  const first = shards[0]!;
  const plan = first.data.plan;
  const count = first.data.shard.count;
  const describe = (p: PartialFile) =>
    `experiment "${p.plan.name}", seed ${p.plan.seed}, entangle ${p.plan.version}, ${p.shard.count} shards`;
  const byIndex = new Map<number, { dir: string; data: PartialFile }>();
  for (const s of shards) {
    const p = s.data;
    if (p.plan.hash !== plan.hash || p.shard.count !== count) {
      const what =
        p.plan.version !== plan.version
          ? 'entangle version'
          : p.plan.seed !== plan.seed
            ? 'seed'
            : p.shard.count !== count
              ? 'shard count'
              : 'experiment';
      throw new InputError(
        `${s.dir}: a different ${what} from ${first.dir} (${describe(p)} against ${describe(first.data)}); expected shards of one run`,
      );
    }
    const twin = byIndex.get(p.shard.index);
    if (twin)
      throw new InputError(`${s.dir}: shard ${p.shard.index}/${count} is given twice (also ${twin.dir})`);
    byIndex.set(p.shard.index, s);
  }
  const missing = [...Array(count).keys()].filter((i) => !byIndex.has(i));
  const interrupted = [...byIndex.values()].filter((s) => !s.data.complete);
  if (!args.partial) {
    if (missing.length > 0)
      throw new InputError(
        `shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing; give every shard folder, or --partial to merge a subset`,
      );
    if (interrupted.length > 0)
      throw new InputError(
        `${interrupted[0]!.dir}: shard ${interrupted[0]!.data.shard.index} was interrupted before it finished; rerun it, or --partial to merge what is there`,
      );
  }
  const ordered = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
  const aggregates: CellAggregate[] = plan.cells.map((cell) => {
    let agg: CellAggregate | undefined;
    for (const s of ordered) {
      const part = aggregateOfPartial(s.data.cells[cell.index]!, cell.stateIds.length);
      if (agg) agg.absorb(part);
      else agg = part;
    }
    return agg!;
  });

  mkdirSync(args.out, { recursive: true });
  const files = writeResultCsvs(args.out, plan, aggregates);
  if (ordered.every((s) => existsSync(join(s.dir, 'runs.csv')))) {
    await mergeRunsCsv(
      ordered.map((s) => s.dir),
      join(args.out, 'runs.csv'),
    );
    files.push('runs.csv');
  }
  // A Sobol or Morris design: its indices beside summary.csv, before the manifest lists them.
  if (missing.length === 0 && interrupted.length === 0)
    files.push(...sensitivityAfterRun(args.out, plan, args.quiet));
  files.push('manifest.json');
  const runsDone = ordered.reduce((sum, s) => sum + s.data.runs_done, 0);
  const runsPlanned = plan.cells.reduce((sum, c) => sum + c.runs, 0);
  writeManifest(
    args.out,
    buildManifest(plan, {
      input: first.data.input,
      shard: null,
      runs_planned: runsPlanned,
      runs_done: runsDone,
      complete: missing.length === 0 && interrupted.length === 0,
      files,
      workers: null,
      shards_merged: ordered.map((s) => s.data.shard.index),
      partial_merge: missing.length > 0 || interrupted.length > 0,
      startedAt,
      finishedAt: new Date(),
      command: `entangle ${process.argv.slice(2).join(' ')}`,
    }),
  );
  if (!args.quiet) {
    process.stdout.write(
      `${summaryTable(plan, aggregates)}\n\nMerged ${ordered.length} of ${count} shards into ${relative(process.cwd(), args.out) || '.'}/ (${files.join(', ')})\n`,
    );
    if (missing.length > 0)
      process.stdout.write(
        `Partial merge: shards ${missing.join(', ')} missing (manifest.json says "complete": false)\n`,
      );
  }
  // The workbook of the merged files, when asked for.
  await writeViews(args.out, { xlsx: args.xlsx, quiet: args.quiet });
}
