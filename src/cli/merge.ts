import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import type { CellAggregate } from '../experiment/aggregate.js';
import { shardRange } from '../experiment/plan.js';
import { MANIFEST_FILE, openOutputFolder } from '../output/folder.js';
import { buildManifest } from '../output/manifest.js';
import { mergeRunsCsv } from '../output/merge-runs.js';
import { aggregateOfRecord, type PartialFile, readPartial } from '../output/partial.js';
import { publish } from '../output/publish.js';
import { resultFiles } from '../output/results.js';
import { COMMAND_FACES } from './commands.js';
import { Interrupts } from './interrupt.js';
import { commandLine, examples, forceOption, quietOption } from './options.js';
import { sensitivityAfterRun } from './sensitivity.js';
import { summaryTable } from './summary-table.js';
import { writeViews, xlsxOption } from './views.js';

interface MergeArgs {
  dirs: string[];
  out: string;
  partial: boolean;
  xlsx: boolean;
  quiet: boolean;
  force: boolean;
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
      .option('quiet', quietOption)
      .option('force', {
        ...forceOption,
        describe: 'replace results in the output folder that are not an earlier merge',
      })
      .example(
        examples(['$0 merge results/shards/* --out results/merged', 'merge every shard of a Slurm array']),
      ) as unknown as Argv<MergeArgs>,
  handler: async (args: ArgumentsCamelCase<MergeArgs>) => {
    await mergeShards(args);
  },
};

/** A folder holding the results of an earlier merge (replaced by a new merge without --force). */
function holdsMerge(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as {
      run?: { shards_merged?: unknown };
    };
    return Array.isArray(m.run?.shards_merged);
  } catch {
    return false;
  }
}

async function mergeShards(args: MergeArgs): Promise<void> {
  const startedAt = new Date();
  const out = resolve(args.out);
  const twin = args.dirs.find((d) => resolve(d) === out);
  if (twin !== undefined)
    throw new InputError(`--out ${args.out}: is one of the shard folders; expected another folder`);
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
    if (p.shard.index >= count)
      throw new InputError(`${s.dir}: shard ${p.shard.index} of ${count}: expected an index below ${count}`);
    for (const [i, cell] of plan.cells.entries()) {
      const range = shardRange(cell.batches, p.shard.index, count);
      const record = p.cells[i]!;
      if (record.from !== range.from || record.to > range.to || (p.complete && record.to !== range.to))
        throw new InputError(
          `${s.dir}: cells[${i}]: batches ${record.from}..${record.to} are not shard ${p.shard.index}'s (${range.from}..${range.to}); the file was changed or damaged`,
        );
    }
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
  // runs.csv: from every shard or from none.
  const withRuns = ordered.filter((s) => s.data.checksums.runs_csv !== null);
  if (withRuns.length > 0 && withRuns.length < ordered.length) {
    const without = ordered.find((s) => s.data.checksums.runs_csv === null)!;
    throw new InputError(
      `${without.dir}: shard ${without.data.shard.index} was run without --runs-csv, but ${withRuns[0]!.dir} has runs.csv; expected every shard with runs.csv (rerun it with --runs-csv) or none`,
    );
  }
  for (const s of withRuns)
    if (!existsSync(join(s.dir, 'runs.csv')))
      throw new InputError(
        `${join(s.dir, 'runs.csv')}: missing; partial.json says shard ${s.data.shard.index} wrote ${s.data.checksums.runs_csv!.rows} rows (rerun the shard)`,
      );
  const aggregates: CellAggregate[] = plan.cells.map((cell) => {
    let agg: CellAggregate | undefined;
    for (const s of ordered) {
      const part = aggregateOfRecord(s.data.cells[cell.index]!, cell.stateIds.length);
      if (agg) agg.absorb(part);
      else agg = part;
    }
    return agg!;
  });

  const folder = openOutputFolder(args.out, args.force || holdsMerge(args.out) ? 'force' : 'new');
  const interrupts = new Interrupts(
    (line) => {
      if (!args.quiet) process.stderr.write(`${line}\n`);
    },
    () => 'nothing was merged',
  );
  interrupts.phase = 'writing';
  const runsDone = ordered.reduce((sum, s) => sum + s.data.runs_done, 0);
  const runsPlanned = plan.cells.reduce((sum, c) => sum + c.runs, 0);
  let files: string[];
  // When the merge began writing: the same in the manifest built again after the views.
  const finishedAt = new Date();
  try {
    files = await publish(
      args.out,
      [
        ...resultFiles(plan, aggregates),
        ...(withRuns.length > 0
          ? [{ name: 'runs.csv', write: (tmp: string) => mergeRunsCsv(ordered, tmp) }]
          : []),
      ],
      (names) =>
        buildManifest(plan, {
          input: first.data.input,
          shard: null,
          runs_planned: runsPlanned,
          runs_done: runsDone,
          complete: missing.length === 0 && interrupted.length === 0,
          files: names,
          workers: null,
          shards_merged: ordered.map((s) => s.data.shard.index),
          partial_merge: missing.length > 0 || interrupted.length > 0,
          startedAt,
          finishedAt,
          command: commandLine(),
        }),
      [],
      async () => [
        // A Sobol or Morris design: its indices beside summary.csv.
        ...(missing.length === 0 && interrupted.length === 0
          ? sensitivityAfterRun(args.out, plan, args.quiet)
          : []),
        // The workbook of the merged files, when asked for.
        ...(await writeViews(args.out, { xlsx: args.xlsx, quiet: args.quiet })),
      ],
    );
  } finally {
    interrupts.uninstall();
    folder.release();
  }
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
