import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultWorkers, runPlan } from '../engine/coordinator.js';
import { RUN_FIELDS } from '../engine/batch.js';
import { buildPlan, planInfo } from '../experiment/plan.js';
import { CsvStreamWriter } from '../output/csv.js';
import { buildManifest, inputRecordOf, writeManifest } from '../output/manifest.js';
import { writePartial } from '../output/partial.js';
import { writeResultCsvs } from '../output/results.js';
import { loadInput } from '../scenario/experiment.js';
import { VERSION } from '../version.js';
import { parseShard, wholeNumber } from './options.js';
import { createProgress } from './progress.js';
import { summaryTable } from './summary-table.js';

/** Runs per cell and seed when neither the command line nor the experiment file says. */
export const DEFAULT_RUNS = 100_000;
export const DEFAULT_SEED = 1914;

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
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <file>',
  describe: 'Play a crisis out many times (a scenario or an experiment file) and write CSV results',
  builder: (y: Argv) =>
    y
      .positional('file', { describe: 'scenario or experiment file (YAML or JSON)', type: 'string', demandOption: true })
      .option('runs', { describe: `runs per cell [default: the experiment's runs, else ${DEFAULT_RUNS}]`, coerce: wholeNumber('runs', 1) })
      .option('seed', { describe: `master seed [default: the experiment's seed, else ${DEFAULT_SEED}]`, coerce: wholeNumber('seed', 0) })
      .option('workers', { describe: 'worker threads [default: SLURM_CPUS_PER_TASK, else every core]', coerce: wholeNumber('workers', 1, 1024) })
      .option('out', { describe: 'output folder [default: results/<name>-<timestamp>/]', type: 'string' })
      .option('runs-csv', { describe: 'also write runs.csv, one row per run', type: 'boolean', default: false })
      .option('quiet', { alias: 'q', describe: 'print nothing but errors', type: 'boolean', default: false })
      .option('shard', { describe: 'run only shard i of n (0-based "i/n"), or "auto" inside a Slurm job array', type: 'string' })
      .option('batch-size', { describe: 'runs per batch (part of the experiment: changes the bytes of results)', coerce: wholeNumber('batch-size', 1) })
      .example('$0 run configs/europe-1914.yaml', 'the July crisis, 100,000 runs on every core')
      .example('$0 run configs/tight-vs-loose.yaml --runs 20000 --out results/tvl', 'an experiment of several cells') as unknown as Argv<RunArgs>,
  handler: async (args: ArgumentsCamelCase<RunArgs>) => {
    await runHandler(args);
  },
};

async function runHandler(args: RunArgs): Promise<void> {
  const startedAt = new Date();
  const spec = loadInput(args.file);
  const shard = parseShard(args.shard);
  const seed = args.seed ?? spec.seed ?? DEFAULT_SEED;
  const plan = buildPlan(spec, { runs: args.runs ?? spec.runs ?? DEFAULT_RUNS, seed, ...(args.batchSize ? { batchSize: args.batchSize } : {}), version: VERSION });
  const workers = args.workers ?? defaultWorkers();
  const outDir = args.out ?? defaultOutDir(spec.name, startedAt, shard);
  mkdirSync(outDir, { recursive: true });
  const input = inputRecordOf(spec);
  const say = (line: string) => {
    if (!args.quiet) process.stderr.write(`${line}\n`);
  };
  say(
    `entangle: ${spec.name}: ${plan.cells.length} cell${plan.cells.length > 1 ? 's' : ''} × ${plan.runs} runs, seed ${seed}, ${workers} worker${workers > 1 ? 's' : ''}` +
      (shard ? `, shard ${shard.index}/${shard.count}` : ''),
  );

  const runsWriter = args.runsCsv ? new CsvStreamWriter(join(outDir, 'runs.csv'), ['cell', 'run', ...RUN_FIELDS]) : undefined;
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      say(`\nentangle: ${signal}: finishing the batches in flight and writing what is done (again to quit at once)`);
      controller.abort();
    } else {
      runsWriter?.abortSync();
      process.stderr.write(`\nentangle: ${signal} again: stopped at once; no results written\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let progress: ReturnType<typeof createProgress> | undefined;
  let result: Awaited<ReturnType<typeof runPlan>>;
  try {
    result = await runPlan(plan, {
      workers,
      ...(shard ? { shard } : {}),
      signal: controller.signal,
      onProgress: (done, all) => {
        progress ??= createProgress({ quiet: args.quiet, tty: process.stderr.isTTY === true }, all);
        progress.update(done, all);
      },
      ...(runsWriter
        ? {
            onRuns: async (cell, first, runs) => {
              const width = RUN_FIELDS.length;
              const rows = [];
              for (let i = 0; i * width < runs.length; i++) {
                const row: Record<string, number | boolean> = { cell: cell.index, run: first + i };
                RUN_FIELDS.forEach((f, k) => {
                  const v = runs[i * width + k]!;
                  row[f] = BOOLEAN_RUN_FIELDS.has(f) ? v === 1 : v;
                });
                rows.push(row);
              }
              await runsWriter.write(rows);
            },
          }
        : {}),
    });
  } catch (err) {
    progress?.stop();
    runsWriter?.abortSync();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress?.stop();

  const files = writeResultCsvs(outDir, planInfo(plan), result.aggregates);
  if (runsWriter) {
    await runsWriter.finish();
    files.push('runs.csv');
  }
  if (shard) {
    writePartial(outDir, planInfo(plan), input, shard, result.aggregates, result.batchRanges, result.complete, result.runsDone);
    files.push('partial.json');
  }
  files.push('manifest.json');
  writeManifest(
    outDir,
    buildManifest(planInfo(plan), {
      input,
      shard: shard ?? null,
      shards_merged: null,
      partial_merge: false,
      runs_planned: result.runsPlanned,
      runs_done: result.runsDone,
      complete: result.complete,
      files,
      workers,
      startedAt,
      finishedAt: new Date(),
      command: `entangle ${process.argv.slice(2).join(' ')}`,
    }),
  );

  if (!args.quiet) {
    process.stdout.write(`${summaryTable(planInfo(plan), result.aggregates)}\n`);
    const where = relative(process.cwd(), outDir) || '.';
    process.stdout.write(
      result.complete
        ? `\nResults in ${where}/ (${files.join(', ')})\n`
        : `\nInterrupted: ${result.runsDone} of ${result.runsPlanned} runs done; results so far in ${where}/ (manifest.json says "complete": false)\n`,
    );
  }
  if (!result.complete) process.exitCode = 130;
}

const BOOLEAN_RUN_FIELDS = new Set<string>(['great_power_war', 'world_war', 'contained', 'mediated', 'initiator_prevails']);

/** results/<name>-<yyyymmdd-hhmmss>[-shard-i-of-n]/ with the name made safe for a folder. */
function defaultOutDir(name: string, when: Date, shard?: { index: number; count: number }): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'run';
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('results', `${slug}-${stamp}${shard ? `-shard-${shard.index}-of-${shard.count}` : ''}`);
}
