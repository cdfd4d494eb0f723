import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FIELDS } from '../engine/batch.js';
import { type EngineResult, runPlan } from '../engine/coordinator.js';
import { BOOLEAN_FIELDS } from '../experiment/aggregate.js';
import { batchesOf, type Plan, planInfo } from '../experiment/plan.js';
import { CsvStreamWriter } from '../output/csv.js';
import { buildManifest, inputRecordOf, writeManifest } from '../output/manifest.js';
import { writePartial } from '../output/partial.js';
import { writeResultCsvs } from '../output/results.js';
import type { ExperimentSpec } from '../scenario/experiment.js';
import { createProgress } from './progress.js';
import { sensitivityAfterRun } from './sensitivity.js';

const BOOLEAN_RUN_FIELDS = new Set<string>(BOOLEAN_FIELDS);

export interface ExecuteOptions {
  workers: number;
  outDir: string;
  quiet: boolean;
  runsCsv: boolean;
  shard?: { index: number; count: number };
  startedAt: Date;
}

/**
 * Runs a plan the way the CLI does: progress on stderr, Ctrl-C/SIGTERM handling (the first
 * stops submitting and keeps every finished batch, the second quits at once leaving no
 * files under final names), then every output file written atomically into `outDir`.
 */
export async function executePlan(
  plan: Plan,
  spec: ExperimentSpec,
  options: ExecuteOptions,
): Promise<EngineResult & { files: string[] }> {
  const { outDir, shard } = options;
  const input = inputRecordOf(spec);
  mkdirSync(outDir, { recursive: true });
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  const cells = plan.cells.length;
  say(
    `entangle: ${spec.name}: ${cells} cell${cells > 1 ? 's' : ''} × ${plan.runs} runs, seed ${plan.seed}, ${options.workers} worker${options.workers > 1 ? 's' : ''}` +
      (shard ? `, shard ${shard.index}/${shard.count}` : ''),
  );

  const runsWriter = options.runsCsv
    ? new CsvStreamWriter(join(outDir, 'runs.csv'), ['cell', 'run', ...RUN_FIELDS])
    : undefined;
  const planned = plan.cells.map(() => 0);
  for (const b of batchesOf(plan, shard)) planned[b.cell]! += b.count;
  const progress = createProgress(
    { quiet: options.quiet, tty: process.stderr.isTTY === true },
    { planned, scenarios: plan.cells.map((c) => c.scenario) },
  );
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    // The progress line goes first, so that nothing is printed into it or drawn over what follows.
    progress.stop(true);
    if (interrupts === 1) {
      // What is done is written when they have: say so in the summary, not here, to fit a line.
      say(`entangle: ${signal}: stopping after the batches in flight (again to quit now)`);
      controller.abort();
    } else {
      runsWriter?.abortSync();
      process.stderr.write(`entangle: ${signal} again: stopped at once, no results written\n`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let result: EngineResult;
  try {
    result = await runPlan(plan, {
      workers: options.workers,
      ...(shard ? { shard } : {}),
      signal: controller.signal,
      onProgress: (done, all, batch) => progress.update(done, all, batch),
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
    progress.stop();
    runsWriter?.abortSync();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.stop();

  const info = planInfo(plan);
  const files = writeResultCsvs(outDir, info, result.aggregates);
  if (runsWriter) {
    await runsWriter.finish();
    files.push('runs.csv');
  }
  if (shard) {
    writePartial(
      outDir,
      info,
      input,
      shard,
      result.aggregates,
      result.batchRanges,
      result.complete,
      result.runsDone,
    );
    files.push('partial.json');
  }
  // A Sobol or Morris design: its indices beside summary.csv, before the manifest lists them.
  if (result.complete && !shard) files.push(...sensitivityAfterRun(outDir, info, options.quiet));
  files.push('manifest.json');
  writeManifest(
    outDir,
    buildManifest(info, {
      input,
      shard: shard ?? null,
      shards_merged: null,
      partial_merge: false,
      runs_planned: result.runsPlanned,
      runs_done: result.runsDone,
      complete: result.complete,
      files,
      workers: options.workers,
      startedAt: options.startedAt,
      finishedAt: new Date(),
      command: `entangle ${process.argv.slice(2).join(' ')}`,
    }),
  );
  return { ...result, files };
}
