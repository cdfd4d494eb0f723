import { basename, extname, join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { VERSION } from '../version.js';
import { COMMAND_FACES } from './commands.js';
import {
  DEFAULT_RUNS,
  DEFAULT_SEED,
  examples,
  paramOption,
  paramOverrides,
  parseShard,
  runsOption,
  seedOption,
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
  runsCsv: boolean;
  quiet: boolean;
  shard?: string;
  batchSize?: number;
  param?: string[];
  report: boolean;
  xlsx: boolean;
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
      .option('runs-csv', {
        describe: 'also write runs.csv, one row per run',
        type: 'boolean',
        default: false,
      })
      .option('quiet', { alias: 'q', describe: 'print nothing but errors', type: 'boolean', default: false })
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
      .example(
        examples(
          ['$0 run configs/europe-1914.yaml', 'the July crisis, 100,000 runs on every core'],
          [
            '$0 run configs/tight-vs-loose.yaml --runs 20000 --out results/tvl',
            'an experiment of several cells',
          ],
        ),
      ) as unknown as Argv<RunArgs>,
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    await runHandler(args);
  },
};

async function runHandler(args: RunArgs): Promise<void> {
  const startedAt = new Date();
  // Loaded when a run starts, not with the command: `entangle run --help` needs none of it.
  const [{ defaultWorkers }, { buildPlan, planInfo }, { loadInput }, { executePlan }, { summaryTable }] =
    await Promise.all([
      import('../engine/coordinator.js'),
      import('../experiment/plan.js'),
      import('../scenario/experiment.js'),
      import('./execute.js'),
      import('./summary-table.js'),
    ]);
  const spec = loadInput(args.file);
  const shard = parseShard(args.shard);
  const seed = args.seed ?? spec.seed ?? DEFAULT_SEED;
  const plan = buildPlan(spec, {
    runs: args.runs ?? spec.runs ?? DEFAULT_RUNS,
    seed,
    ...(args.batchSize ? { batchSize: args.batchSize } : {}),
    version: VERSION,
    params: paramOverrides(args.param, spec),
  });
  const outDir =
    args.out ??
    defaultOutDir(
      basename(args.file, extname(args.file)),
      startedAt,
      shard ? `shard-${shard.index}-of-${shard.count}` : undefined,
    );
  const result = await executePlan(plan, spec, {
    workers: args.workers ?? defaultWorkers(),
    outDir,
    quiet: args.quiet,
    runsCsv: args.runsCsv,
    ...(shard ? { shard } : {}),
    startedAt,
  });
  if (!args.quiet) {
    process.stdout.write(`${summaryTable(planInfo(plan), result.aggregates)}\n`);
    const where = relative(process.cwd(), outDir) || '.';
    process.stdout.write(
      result.complete
        ? `\nResults in ${where}/ (${result.files.join(', ')})\n`
        : `\nInterrupted: ${result.runsDone} of ${result.runsPlanned} runs done; results so far in ${where}/\n(incomplete: manifest.json says "complete": false)\n`,
    );
  }
  // Views of the files just written (report.html, results.xlsx), when asked for.
  await writeViews(outDir, args);
  if (!result.complete) process.exitCode = 130;
}

/** results/<name>-<yyyymmdd-hhmmss>[-suffix]/ (name: the input file's, made safe for a folder). */
export function defaultOutDir(name: string, when: Date, suffix?: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'run';
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('results', `${slug}-${stamp}${suffix ? `-${suffix}` : ''}`);
}
