/**
 * The engine's part of `npm run bench` (issue 14, items 2 and 3; issue 11's checkpoint cost):
 * every figure a ratio of two measurements taken side by side in this one run, interleaved in
 * rounds (the best of each kept) so that a neighbour's load hits both sides alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import { executePlan } from '../../dist/cli/execute.js';
import { BatchRunner } from '../../dist/engine/batch.js';
import { type EngineMetrics, runPlan } from '../../dist/engine/coordinator.js';
import { BatchOrder, freshRunState } from '../../dist/engine/run-state.js';
import { buildPlan, type Plan } from '../../dist/experiment/plan.js';
import { OUTCOME_FIELDS, RUN_FIELDS } from '../../dist/model/outcome.js';
import type { Scenario } from '../../dist/model/types.js';
import { formatCell } from '../../dist/output/csv.js';
import { formatRunRows, runsRowPrefix } from '../../dist/output/runs-csv.js';
import { type ExperimentSpec, experimentOfScenario } from '../../dist/scenario/experiment.js';

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
/** A difference as "x % more" or "x % less" (a bare negative "more" reads as a typo). */
const moreOrLess = (x: number, more: string, less: string) => `${pct(Math.abs(x))} ${x >= 0 ? more : less}`;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Runs per second of the second half of a run: start-up and JIT warm-up weigh in neither side. */
const secondHalf = (runs: number, runsAtHalf: number, tHalf: number, tEnd: number) =>
  (runs - runsAtHalf) / Math.max(1e-9, (tEnd - tHalf) / 1000);

/** The process's CPU time so far, every thread (main, workers, compiler, collector), in µs. */
const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/**
 * One side's second half: its rate, and the CPU it cost per run (µs, the whole process: a
 * neighbour's load slows the rate but barely the CPU per run, so this is the steadier figure
 * of the engine's own overhead).
 */
interface Half {
  rate: number;
  cpuPerRun: number;
}

/**
 * The same batches as the engine runs, in a plain loop on one thread (plain-loop.ts, a fresh
 * thread like a pool's worker): the rate of its second half.
 */
async function plainLoop(plan: Plan): Promise<Half> {
  const worker = new Worker(new URL('./plain-loop.js', import.meta.url), { workerData: plan });
  let half = { runs: 0, t: 0, cpu: 0 };
  const end = await new Promise<{ runs: number; t: number; cpu: number }>((resolve, reject) => {
    worker.on('message', (m: { half?: number; done?: number }) => {
      if (m.half !== undefined) half = { runs: m.half, t: performance.now(), cpu: cpuNow() };
      else resolve({ runs: m.done!, t: performance.now(), cpu: cpuNow() });
    });
    worker.once('error', reject);
  });
  await worker.terminate();
  return {
    rate: secondHalf(end.runs, half.runs, half.t, end.t),
    cpuPerRun: (end.cpu - half.cpu) / (end.runs - half.runs),
  };
}

/** The engine on `workers` workers: the rate of the second half of the run, and its metrics. */
async function engine(plan: Plan, workers: number): Promise<Half & { metrics: EngineMetrics }> {
  let half = { runs: 0, t: 0, cpu: 0 };
  const total = plan.runs * plan.cells.length;
  const result = await runPlan(plan, freshRunState(plan), {
    workers,
    onProgress: (done) => {
      if (half.runs === 0 && 2 * done >= total) half = { runs: done, t: performance.now(), cpu: cpuNow() };
    },
  });
  return {
    rate: secondHalf(total, half.runs, half.t, performance.now()),
    cpuPerRun: (cpuNow() - half.cpu) / (total - half.runs),
    metrics: result.metrics,
  };
}

/**
 * Item 2: one worker against the plain loop, two against one, and the main thread's cost per
 * batch. Each rate is that of the second half of a long run, so that thread start-up and JIT
 * warm-up, paid once per run, weigh in neither side.
 */
export async function engineBench(europe: Scenario, runs: number, cores: number): Promise<void> {
  const plan = buildPlan(experimentOfScenario(europe, 'configs/europe-1914.yaml'), {
    runs,
    seed: 1914,
    version: 'bench',
  });
  const best = { plain: 0, one: 0, all: 0 };
  const cpu = {
    plain: Number.POSITIVE_INFINITY,
    one: Number.POSITIVE_INFINITY,
    all: Number.POSITIVE_INFINITY,
  };
  let oneMetrics: EngineMetrics | undefined;
  let allMetrics: EngineMetrics | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const plain = await plainLoop(plan);
    best.plain = Math.max(best.plain, plain.rate);
    cpu.plain = Math.min(cpu.plain, plain.cpuPerRun);
    const one = await engine(plan, 1);
    if (one.rate > best.one) [best.one, oneMetrics] = [one.rate, one.metrics];
    cpu.one = Math.min(cpu.one, one.cpuPerRun);
    const all = await engine(plan, cores);
    if (all.rate > best.all) [best.all, allMetrics] = [all.rate, all.metrics];
    cpu.all = Math.min(cpu.all, all.cpuPerRun);
  }
  const perBatch = (m: EngineMetrics) =>
    `main thread ${(m.mainMs / m.batches).toFixed(4)} ms per batch against a worker's ${(m.workerMs / m.batches).toFixed(3)} ms: ` +
    `${pct(m.mainMs / m.workerMs)}; ${fmt(m.batches / m.tasks)} batches per task`;
  console.log(
    `\nEngine on 1914, ${fmt(runs)} runs: the rate of their second half, best of ${ROUNDS} rounds (runs/s):`,
  );
  console.log(`  the same batches in a plain loop, one thread  ${fmt(best.plain).padStart(12)}`);
  console.log(
    `  engine, 1 worker                              ${fmt(best.one).padStart(12)}   (${moreOrLess(best.one / best.plain - 1, 'faster', 'slower')} than the plain loop; target: ≤ 5 % slower)`,
  );
  console.log(
    `  engine, ${cores} workers                             ${fmt(best.all).padStart(12)}   (${(best.all / best.one).toFixed(2)}× one worker, efficiency ${(best.all / best.one / cores).toFixed(2)}; target ≥ 0.95)`,
  );
  console.log(
    `  CPU per run, every thread of the process: plain loop ${cpu.plain.toFixed(3)} µs, 1 worker ${cpu.one.toFixed(3)} µs ` +
      `(${moreOrLess(cpu.one / cpu.plain - 1, 'more', 'less')}), ${cores} workers ${cpu.all.toFixed(3)} µs (${moreOrLess(cpu.all / cpu.one - 1, 'more', 'less')} than 1 worker)`,
  );
  console.log(`  1 worker: ${perBatch(oneMetrics!)} (target < 2 %)`);
  console.log(`  ${cores} workers: ${perBatch(allMetrics!)}`);
}

/** Today's way of writing runs.csv rows, for comparison: an object per run, csv-stringify per batch. */
function viaCsvStringify(cell: number, scenario: string, first: number, runs: Float64Array): string {
  const width = RUN_FIELDS.length;
  const rows: string[][] = [];
  for (let i = 0; i * width < runs.length; i++) {
    const row: Record<string, number | string | boolean> = { cell, scenario, run: first + i };
    OUTCOME_FIELDS.forEach((f, k) => {
      const v = runs[i * width + k]!;
      row[f.name] = f.kind === 'boolean' ? v === 1 : v;
    });
    rows.push(Object.values(row).map((v) => formatCell(v)));
  }
  return stringify(rows, { record_delimiter: 'unix' });
}

/** Item 3: runs.csv rows per second on one core, formatted from the Float64Array and by csv-stringify. */
export function runsCsvBench(europe: Scenario): void {
  const plan = buildPlan(experimentOfScenario(europe, 'configs/europe-1914.yaml'), {
    runs: 200_000,
    seed: 1914,
    version: 'bench',
  });
  const runner = new BatchRunner(plan);
  const order = new BatchOrder(plan);
  const batches = Array.from({ length: order.length }, (_, seq) => {
    const b = order.at(seq);
    return { first: b.first, runs: runner.run(b, true).runs! };
  });
  const prefix = runsRowPrefix(0, plan.cells[0]!.scenario);
  const rate = (format: (first: number, runs: Float64Array) => string, rows: number) => {
    let done = 0;
    let bytes = 0;
    const t0 = performance.now();
    for (const b of batches) {
      if (done >= rows) break;
      bytes += format(b.first, b.runs).length;
      done += b.runs.length / RUN_FIELDS.length;
    }
    return { rate: done / ((performance.now() - t0) / 1000), bytes };
  };
  const direct = (first: number, runs: Float64Array) => formatRunRows(prefix, first, runs);
  const viaStringify = (first: number, runs: Float64Array) =>
    viaCsvStringify(0, plan.cells[0]!.scenario, first, runs);
  const same = batches.every((b) => direct(b.first, b.runs) === viaStringify(b.first, b.runs));
  let fast = 0;
  let slow = 0;
  for (let round = 0; round < ROUNDS; round++) {
    fast = Math.max(fast, rate(direct, 200_000).rate);
    slow = Math.max(slow, rate(viaStringify, 50_000).rate);
  }
  console.log('\nruns.csv rows, one core (rows/s):');
  console.log(
    `  formatted from the Float64Array (the worker's way)   ${fmt(fast).padStart(12)}   (target ≥ 400,000)`,
  );
  console.log(
    `  an object per run through csv-stringify (before)     ${fmt(slow).padStart(12)}   (${(fast / slow).toFixed(1)}× slower)`,
  );
  console.log(`  bytes identical on ${fmt(200_000)} rows of 1914: ${same ? 'yes' : 'NO'}`);
}

/** Peak resident memory (KB) and seconds of `entangle ARGS…` as its own process. */
function measureCli(args: string[], env: Record<string, string> = {}): { kb: number; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'entangle-bench-'));
  const rssFile = join(dir, 'rss');
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      new URL('./rss.js', import.meta.url).href,
      'dist/cli.js',
      ...args,
      '--quiet',
      '--out',
      join(dir, 'out'),
    ],
    { env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile }, encoding: 'utf8' },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`entangle ${args.join(' ')}: ${r.stderr}`);
  const kb = Number(readFileSync(rssFile, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  return { kb, seconds };
}

/** Item 2's memory: 1M runs of 1914 with --runs-csv and one worker, the whole process. */
export function memoryBench(): void {
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  const base = measureCli(['run', 'configs/europe-1914.yaml', '--runs', '1000', '--workers', '1']);
  const csv = measureCli([
    'run',
    'configs/europe-1914.yaml',
    '--runs',
    '1000000',
    '--runs-csv',
    '--workers',
    '1',
  ]);
  const csv2 = measureCli([
    'run',
    'configs/europe-1914.yaml',
    '--runs',
    '1000000',
    '--runs-csv',
    '--workers',
    '2',
  ]);
  console.log('\nMemory, whole process (peak RSS):');
  console.log(`  1,000 runs, 1 worker (start-up and one worker)              ${mb(base.kb).padStart(5)} MB`);
  console.log(
    `  1,000,000 runs of 1914 with --runs-csv, 1 worker             ${mb(csv.kb).padStart(5)} MB (target < 160 MB; ${fmt(1e6 / csv.seconds)} runs/s through the CLI)`,
  );
  console.log(
    `  the same, 2 workers                                          ${mb(csv2.kb).padStart(5)} MB (${fmt(1e6 / csv2.seconds)} runs/s)`,
  );
}

/** Issue 11: what keeping a checkpoint costs, on an experiment of 201 cells (a larger checkpoint than most). */
export async function checkpointBench(europe: Scenario, cores: number): Promise<void> {
  const spec: ExperimentSpec = {
    ...experimentOfScenario(europe, 'configs/europe-1914.yaml'),
    sweep: { offenseDominance: { from: 0, to: 1, step: 0.005 } },
  };
  const plan = buildPlan(spec, { runs: 10_000, seed: 1914, version: 'bench' });
  const total = plan.runs * plan.cells.length;
  const dir = mkdtempSync(join(tmpdir(), 'entangle-bench-checkpoint-'));
  const once = async (checkpoint: boolean) => {
    const t0 = performance.now();
    const r = await executePlan(plan, spec, {
      workers: cores,
      outDir: join(dir, 'out'),
      quiet: true,
      runsCsv: false,
      startedAt: new Date(),
      mode: 'force',
      ...(checkpoint ? { resumeCommand: 'bench' } : {}),
    });
    return {
      rate: total / ((performance.now() - t0) / 1000),
      seconds: (performance.now() - t0) / 1000,
      cost: r.checkpoint,
    };
  };
  let without = 0;
  let withCp = 0;
  let cost: { writes: number; buildMs: number; totalMs: number } | null = null;
  let seconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    without = Math.max(without, (await once(false)).rate);
    const r = await once(true);
    if (r.rate > withCp) [withCp, cost, seconds] = [r.rate, r.cost, r.seconds];
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `\nCheckpoint, 1914 × ${plan.cells.length} cells × ${fmt(plan.runs)} runs, ${cores} workers (runs/s, publication included):`,
  );
  console.log(`  without a checkpoint                     ${fmt(without).padStart(12)}`);
  console.log(
    `  with one (every 5 s)                     ${fmt(withCp).padStart(12)}   (${moreOrLess(withCp / without - 1, 'faster', 'slower')}; target: < 2 % slower)`,
  );
  console.log(
    `  ${cost!.writes} checkpoints: ${cost!.buildMs.toFixed(0)} ms on the main thread, ${cost!.totalMs.toFixed(0)} ms until renamed, ` +
      `of ${seconds.toFixed(1)} s (${pct(cost!.buildMs / 1000 / seconds)} main-thread time)`,
  );
}
