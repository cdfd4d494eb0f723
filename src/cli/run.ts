import { basename, extname, relative, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { COMMAND_FACES } from './commands.js';
import {
  defaultOutDir,
  examples,
  forceOption,
  paramOption,
  paramOverrides,
  parseShard,
  quietOption,
  runSettings,
  runsOption,
  seedOption,
  shellQuote,
  wholeNumber,
  workersOption,
} from './options.js';
import { reportOption, writeViews, xlsxOption } from './views.js';

interface RunArgs {
  file: string;
  runs?: number;
  seed?: number;
  workers?: number;
  out?: string;
  runsCsv?: boolean;
  quiet: boolean;
  shard?: string;
  batchSize?: number;
  param?: string[];
  report: boolean;
  xlsx: boolean;
  resume?: string;
  force: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  ...COMMAND_FACES.run,
  builder: (y: Argv) =>
    y
      .positional('file', {
        describe: 'scenario or experiment file (YAML or JSON)',
        type: 'string',
        demandOption: true,
      })
      .option('runs', runsOption)
      .option('seed', seedOption)
      .option('workers', workersOption)
      .option('out', { describe: 'output folder [default: results/<name>-<timestamp>/]', type: 'string' })
      .option('runs-csv', { describe: 'also write runs.csv, one row per run', type: 'boolean' })
      .option('quiet', quietOption)
      .option('shard', {
        describe: 'run only shard i of n (0-based "i/n"), or "auto" inside a Slurm job array',
        type: 'string',
      })
      .option('param', paramOption("every cell (over the scenario's own params; not a swept one)"))
      .option('report', reportOption)
      .option('xlsx', xlsxOption)
      .option('batch-size', {
        describe: 'runs per batch (part of the experiment: changes the bytes of results)',
        coerce: wholeNumber('batch-size', 1),
      })
      .option('resume', {
        describe:
          'continue the interrupted run in this folder (same file; seed, runs, batch size, --param and --runs-csv as it had)',
        type: 'string',
      })
      .option('force', forceOption)
      .example(
        examples(
          ['$0 run configs/europe-1914.yaml', 'the July crisis, 100,000 runs on every core'],
          [
            '$0 run configs/tight-vs-loose.yaml --runs 20000 --out results/tvl',
            'an experiment of several cells',
          ],
          ['$0 run configs/tight-vs-loose.yaml --resume results/tvl', 'continue it after an interruption'],
        ),
      ) as unknown as Argv<RunArgs>,
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    await runHandler(args);
  },
};

async function runHandler(args: RunArgs): Promise<void> {
  const startedAt = new Date();
  if (args.resume !== undefined && args.force)
    throw new InputError(
      '--resume and --force: expected one of them (--force replaces the results that --resume continues)',
    );
  if (args.resume !== undefined && args.out !== undefined && resolve(args.out) !== resolve(args.resume))
    throw new InputError(
      `--out ${args.out} and --resume ${args.resume}: expected one folder (--resume DIR writes into DIR)`,
    );
  // Loaded when a run starts, not with the command: `entangle run --help` needs none of it.
  const [{ defaultWorkers, releaseEarlyPool, startEarlyPool, threadsFor }, { DEFAULT_BATCH_SIZE }] =
    await Promise.all([import('../engine/pool.js'), import('../experiment/plan.js')]);
  const workers = args.workers ?? defaultWorkers();
  // The workers start loading the simulator while this thread reads and checks the file (see
  // engine/pool.ts); as many as the runs given can keep busy (a plan that needs another
  // number, say of a file that sets its own batch size, starts its own).
  if (args.resume === undefined && args.shard === undefined)
    startEarlyPool(
      args.runs === undefined
        ? workers
        : threadsFor(workers, Math.ceil(args.runs / (args.batchSize ?? DEFAULT_BATCH_SIZE))),
    );
  try {
    await runWith(args, startedAt, workers);
  } finally {
    await releaseEarlyPool();
  }
}

async function runWith(args: RunArgs, startedAt: Date, workers: number): Promise<void> {
  const [
    { identityDifference, identityOf, readCheckpoint },
    { inputRecordOf },
    { executePlan },
    { loadExperiment, planOf },
    { summaryTable },
  ] = await Promise.all([
    import('../output/checkpoint.js'),
    import('../output/manifest.js'),
    import('./execute.js'),
    import('./setup.js'),
    import('./summary-table.js'),
  ]);
  const checkpoint = args.resume !== undefined ? readCheckpoint(args.resume) : undefined;
  const saved = checkpoint?.identity;
  const spec = loadExperiment(args.file);
  // A resumed run takes what the command line leaves out from the run it continues.
  const shard = parseShard(args.shard) ?? saved?.shard ?? undefined;
  const settings = saved
    ? { runs: args.runs ?? saved.runs_per_cell, seed: args.seed ?? saved.seed }
    : runSettings(args, spec);
  const runsCsv = args.runsCsv ?? saved?.runs_csv ?? false;
  const params = args.param !== undefined || !saved ? paramOverrides(args.param, spec) : saved.params;
  const plan = planOf(
    spec,
    { ...settings, batchSize: args.batchSize ?? saved?.batch_size, params },
    { shard, runsCsv, workers },
  );
  if (checkpoint) {
    const difference = identityDifference(
      checkpoint.identity,
      identityOf(plan, inputRecordOf(spec), shard, runsCsv, params),
    );
    if (difference)
      throw new InputError(
        `${args.resume}: cannot resume: ${difference}; expected the run that was interrupted (${checkpoint.command})`,
      );
  }
  const outDir =
    args.resume ??
    args.out ??
    defaultOutDir(
      basename(args.file, extname(args.file)),
      startedAt,
      shard ? `shard-${shard.index}-of-${shard.count}` : undefined,
    );
  const resumeCommand = `entangle run ${shellQuote(args.file)} --resume ${shellQuote(outDir)}`;
  const result = await executePlan(plan, spec, {
    workers,
    outDir,
    quiet: args.quiet,
    runsCsv,
    ...(shard ? { shard } : {}),
    startedAt,
    mode: checkpoint ? 'resume' : args.force ? 'force' : 'new',
    ...(checkpoint ? { resume: checkpoint } : {}),
    params,
    resumeCommand,
    // report.html and results.xlsx, when asked for: made from the published files, in the manifest.
    views: () => writeViews(outDir, args),
  });
  if (!args.quiet) {
    process.stdout.write(`${summaryTable(result.plan, result.aggregates)}\n`);
    const where = relative(process.cwd(), outDir) || '.';
    process.stdout.write(
      result.complete
        ? `\nResults in ${where}/ (${result.files.join(', ')})\n`
        : `\nInterrupted: ${result.runsDone} of ${result.runsPlanned} runs done; results so far in ${where}/\n` +
            `(incomplete: manifest.json says "complete": false). To continue:\n${resumeCommand}\n`,
    );
  }
  if (!result.complete) process.exitCode = 130;
}
