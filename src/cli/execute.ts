import { existsSync } from 'node:fs';
import { type EngineMetrics, RunFailure, runPlan } from '../engine/coordinator.js';
import { BatchOrder, freshRunState, type RunState, type Shard } from '../engine/run-state.js';
import { OutputError } from '../errors.js';
import type { CellAggregate } from '../experiment/aggregate.js';
import { type Plan, type PlanInfo, planInfo } from '../experiment/plan.js';
import { type Checkpoint, identityOf, stateOfCheckpoint } from '../output/checkpoint.js';
import { RunsFile } from '../output/checkpoint-runs.js';
import { Checkpointer } from '../output/checkpoint-writer.js';
import {
  CHECKPOINT_FILE,
  type FolderMode,
  openOutputFolder,
  RUNS_WORK_FILE,
  removeResults,
} from '../output/folder.js';
import { buildManifest, inputRecordOf } from '../output/manifest.js';
import { PARTIAL_FILE, partialText, runsOfBatches } from '../output/partial.js';
import { type OutputFile, publish, textFile } from '../output/publish.js';
import { resultFiles } from '../output/results.js';
import type { ExperimentSpec } from '../scenario/experiment.js';
import { Interrupts } from './interrupt.js';
import { commandLine } from './options.js';
import { createProgress, type Progress } from './progress.js';

export interface ExecuteOptions {
  workers: number;
  outDir: string;
  quiet: boolean;
  runsCsv: boolean;
  shard?: Shard;
  startedAt: Date;
  /** What to do with results already in outDir: refuse them, replace them (--force), or continue (--resume). */
  mode: FolderMode;
  /** The `--param` overrides the plan was built with, by dotted name (recorded for --resume). */
  params?: Readonly<Record<string, number>>;
  /** With mode `resume`: the checkpoint found there (read and checked against this run by the caller). */
  resume?: Checkpoint;
  /**
   * The command that continues this run (e.g. `entangle run FILE --resume DIR`): the run keeps
   * a checkpoint for it. Without one (compare) no checkpoint is kept.
   */
  resumeCommand?: string;
  /** The command's own files (default: summary.csv, joiners.csv, sizes.csv; backtest has its own). */
  outputs?: (outcome: ExecuteOutcome) => OutputFile[];
  /**
   * Files other features add to the same publication (written under temporary names with the
   * CSVs, listed in the manifest, renamed together). Called once the runs are done.
   */
  extraFiles?: (outcome: ExecuteOutcome) => OutputFile[];
  /**
   * Views made from the published files (report.html, results.xlsx), written once they are in
   * place and listed in the manifest after them; returns their names. A complete, unsharded
   * run of a Sobol or Morris design always gets its sensitivity.csv this way.
   */
  views?: (outcome: ExecuteOutcome) => Promise<string[]>;
  /** The line printed when the run starts (default: the experiment, cells, runs, seed, workers). */
  headline?: string;
}

/** What a finished (or stopped) run hands to the files written from it. */
export interface ExecuteOutcome {
  plan: PlanInfo;
  aggregates: CellAggregate[];
  runsDone: number;
  runsPlanned: number;
  complete: boolean;
}

export interface ExecuteResult extends ExecuteOutcome {
  /** The files published, manifest.json last. */
  files: string[];
  metrics: EngineMetrics;
  /** What the checkpoints cost (none when the run keeps none). */
  checkpoint: { writes: number; buildMs: number; totalMs: number } | null;
}

/**
 * Runs a plan the way the CLI does. Before anything is computed the output folder is created,
 * probed, locked and checked (FolderMode). The run keeps a checkpoint as it goes; Ctrl-C or
 * SIGTERM stops it cleanly (Interrupts); a failed batch or write stops it too, keeping the
 * checkpoint for --resume. At the end every output is published together, manifest.json last,
 * and the checkpoint goes once the results are complete.
 */
export async function executePlan(
  plan: Plan,
  spec: ExperimentSpec,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const { outDir, shard } = options;
  const input = inputRecordOf(spec);
  const info = planInfo(plan);
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  const folder = openOutputFolder(outDir, options.mode, { resumable: options.resumeCommand !== undefined });
  let runs: RunsFile | undefined;
  let checkpointer: Checkpointer | undefined;
  let interrupts: Interrupts | undefined;
  let progress: Progress | undefined;
  let state: RunState | undefined;
  const order = new BatchOrder(plan, shard);
  const runsPlanned = order.runsBefore(order.length);
  const kept = () =>
    checkpointer && checkpointer.savedRuns >= 0 && existsSync(checkpointer.path)
      ? `${checkpointer.savedRuns} of ${runsPlanned} runs are kept in ${checkpointer.path}; ${options.resumeCommand} continues`
      : '';
  try {
    state = options.resume ? stateOfCheckpoint(options.resume, plan, outDir) : freshRunState(plan, shard);
    const cells = plan.cells.length;
    say(
      options.headline ??
        `entangle: ${spec.name}: ${cells} cell${cells > 1 ? 's' : ''} × ${plan.runs} runs, seed ${plan.seed}, ${options.workers} worker${options.workers > 1 ? 's' : ''}` +
          (shard ? `, shard ${shard.index}/${shard.count}` : '') +
          (options.resume ? `; resuming with ${state.runsDone} runs done` : ''),
    );
    if (options.resume) {
      // The interrupted run's published files go (manifest first); its rows and checkpoint stay.
      removeResults(outDir, [CHECKPOINT_FILE, RUNS_WORK_FILE, ...(options.runsCsv ? ['runs.csv'] : [])]);
      if (options.runsCsv) runs = RunsFile.reopen(outDir, options.resume.runs_csv_bytes, shard !== undefined);
    } else if (options.runsCsv) runs = RunsFile.create(outDir, shard !== undefined);

    const stop = new AbortController();
    if (options.resumeCommand !== undefined)
      checkpointer = new Checkpointer(
        outDir,
        {
          identity: identityOf(plan, input, shard, options.runsCsv, options.params),
          command: commandLine(),
          started_at: options.startedAt.toISOString(),
        },
        runs,
        () => stop.abort(),
      );
    // Runs to do in this session, per cell (a resumed run has some done): the ETA prices cells apart.
    const startDone = state.runsDone;
    const bar = createProgress(
      { quiet: options.quiet, tty: process.stderr.isTTY === true },
      {
        planned: plan.cells.map(
          (c) =>
            runsOfBatches(c, plan.batchSize, order.firstBatch(c.index), order.endBatch(c.index)) -
            state!.aggregates[c.index]!.runs,
        ),
        scenarios: plan.cells.map((c) => c.scenario),
      },
    );
    progress = bar;
    const current = state;
    const saver = checkpointer;
    interrupts = new Interrupts(
      say,
      () => {
        saver?.saveNow(current);
        runs?.close();
        return kept();
      },
      // The progress line goes first, so that nothing is printed into it or drawn over what follows.
      () => bar.stop(true),
    );
    await saver?.flush(state); // the folder says from the start that a run is under way

    const result = await runPlan(plan, state, {
      workers: options.workers,
      ...(shard ? { shard } : {}),
      runsCsv: options.runsCsv,
      signal: AbortSignal.any([interrupts.controller.signal, stop.signal]),
      ...(runs ? { onRuns: (rows: Uint8Array) => runs!.append(rows) } : {}),
      ...(saver ? { onMerged: (s: RunState) => saver.due(s) } : {}),
      onProgress: (done, all, batch) => bar.update(done - startDone, all - startDone, batch),
    });
    bar.stop();
    interrupts.phase = 'writing';
    await saver?.flush(state);

    const outcome: ExecuteOutcome = {
      plan: info,
      aggregates: state.aggregates,
      runsDone: state.runsDone,
      runsPlanned,
      complete: result.complete,
    };
    const files: OutputFile[] = options.outputs?.(outcome) ?? resultFiles(info, state.aggregates);
    if (runs) {
      runs.close();
      files.push({ name: 'runs.csv', from: runs.path });
    }
    if (shard) {
      const done = state;
      const runsCsv = runs ? { rows: done.runsDone, bytes: runs.bytes, sha256: runs.digest() } : null;
      files.push(
        textFile(PARTIAL_FILE, () => partialText(info, input, shard, done, result.complete, runsCsv)),
      );
    }
    files.push(...(options.extraFiles?.(outcome) ?? []));
    // When the runs were done: the same in the manifest built again after the views.
    const finishedAt = new Date();
    const names = await publish(
      outDir,
      files,
      (published) =>
        buildManifest(info, {
          input,
          shard: shard ?? null,
          shards_merged: null,
          partial_merge: false,
          runs_planned: runsPlanned,
          runs_done: outcome.runsDone,
          complete: outcome.complete,
          files: outcome.complete || !saver ? published : [...published, CHECKPOINT_FILE],
          workers: options.workers,
          startedAt: options.startedAt,
          finishedAt,
          command: commandLine(),
        }),
      [CHECKPOINT_FILE],
      async () => [
        // A Sobol or Morris design: its indices beside summary.csv (the analysis and its CSV
        // reader are loaded only then: a plain run need not pay for them at start-up).
        ...(outcome.complete && !shard && info.design
          ? (await import('./sensitivity.js')).sensitivityAfterRun(outDir, info, options.quiet)
          : []),
        ...((await options.views?.(outcome)) ?? []),
      ],
    );
    if (outcome.complete) saver?.remove();
    return { ...outcome, files: names, metrics: result.metrics, checkpoint: saver?.cost ?? null };
  } catch (err) {
    progress?.stop();
    if (checkpointer && state) await checkpointer.flush(state).catch(() => {});
    if (err instanceof RunFailure || err instanceof OutputError) {
      const hint = kept();
      if (hint) err.message += `; ${hint}`;
    }
    throw err;
  } finally {
    interrupts?.uninstall();
    runs?.close();
    folder.release();
  }
}
