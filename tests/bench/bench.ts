/**
 * `npm run bench`: throughput and memory of entangle, measured on the built code in dist/
 * (this file is compiled to dist/bench/ and run by plain node: under a TypeScript loader the
 * same code runs markedly slower).
 * Not a test: these machines are shared and noisy, so nothing here asserts a time. Figures are
 * ratios taken in one run (1 worker against all, engine against a plain loop) plus raw rates.
 * Environment: BENCH_ENGINE_RUNS (default 3000000; long enough that the workers' JIT warm-up, about a second, weighs little), BENCH_MEMORY_RUNS (default 10000000).
 */
// First, as in the CLI: V8's settings for the simulator (the workers share them).
import '../../dist/v8-flags.js';
import { availableParallelism, loadavg } from 'node:os';
import { Bench } from 'tinybench';
import { runPlan } from '../../dist/engine/coordinator.js';
import { freshRunState } from '../../dist/engine/run-state.js';
import { buildPlan } from '../../dist/experiment/plan.js';
import { compile } from '../../dist/model/compile.js';
import { resolveParams } from '../../dist/model/params.js';
import { RunRng } from '../../dist/model/rng.js';
import { emptyOutcome, Simulator } from '../../dist/model/simulate.js';
import type { Scenario } from '../../dist/model/types.js';
import { type ExperimentSpec, experimentOfScenario } from '../../dist/scenario/experiment.js';
import { compiledSystemFor } from '../../dist/scenario/generators.js';
import { loadScenario } from '../../dist/scenario/load.js';
import { checkpointBench, engineBench, memoryBench, runsCsvBench } from './engine-bench.js';
import { pureContagion } from './pure-contagion.js';
import { startupBench } from './startup.js';

const ENGINE_RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 3_000_000);
const MEMORY_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 10_000_000);
const CORES = availableParallelism();
const BATCH = 2000;

function simulatorFor(scenario: Scenario, params = resolveParams(scenario.params ?? {})) {
  return new Simulator(compile(scenario), params);
}

async function engineRate(spec: ExperimentSpec, runs: number, workers: number): Promise<number> {
  const plan = buildPlan(spec, { runs, seed: 1914, version: 'bench' });
  const t0 = performance.now();
  await runPlan(plan, freshRunState(plan), { workers });
  return (runs * plan.cells.length) / ((performance.now() - t0) / 1000);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

async function main(): Promise<void> {
  console.log(
    `entangle bench — Node ${process.version}, ${CORES} cores, load average ${loadavg()[0]!.toFixed(1)} (figures mean little above ${CORES / 2})\n`,
  );
  // Start-up first, while no worker of the sections below is still winding down.
  startupBench();

  const europe = loadScenario('configs/europe-1914.yaml');
  // 1. The engine, measured first, while Simulator.run has seen only this system (V8 optimises
  // it for the shapes it has met): engine-bench.ts.
  await engineBench(europe, ENGINE_RUNS, CORES);
  runsCsvBench(europe);

  // 2. The model alone, one thread.
  const pure = pureContagion();
  const tight = loadScenario('configs/tight.yaml');
  const sims = {
    '1914 (configs/europe-1914.yaml, defaults)': simulatorFor(europe),
    'pure contagion, 40-state random graph, c = 4, p = 0.3': simulatorFor(pure.scenario, pure.params),
    'tight.yaml (12 states, defaults)': simulatorFor(tight),
  };
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  for (const [name, sim] of Object.entries(sims)) {
    const rng = new RunRng();
    const out = emptyOutcome();
    let run = 0;
    bench.add(name, () => {
      for (let i = 0; i < BATCH; i++) {
        rng.reseed(1914, 0, run++);
        sim.run(rng, out);
      }
    });
  }
  const blocsSpec = { generator: 'blocs' as const, states: 30, greatPowers: 6, tightness: 0.5 };
  for (const perRun of [false, true]) {
    const rng = new RunRng();
    const systemRng = new RunRng();
    const out = emptyOutcome();
    const sim = new Simulator(compiledSystemFor(blocsSpec, 1914, 0, 0, systemRng), resolveParams({}));
    const spec = { ...blocsSpec, perRun };
    let run = 0;
    bench.add(
      `blocs, 30 states, tightness 0.5, ${perRun ? 'a new system every run (generate + load + run)' : 'one fixed system'}`,
      () => {
        for (let i = 0; i < BATCH; i++) {
          if (perRun) sim.load(compiledSystemFor(spec, 1914, 0, run, systemRng, true));
          rng.reseed(1914, 0, run++);
          sim.run(rng, out);
        }
      },
    );
  }
  await bench.run();
  console.log('Model, single thread (runs/s):');
  for (const task of bench.tasks) {
    const perIteration = BATCH;
    const r = task.result as { latency?: { mean: number } } | undefined;
    console.log(
      `  ${task.name.padEnd(72)} ${fmt((perIteration * 1000) / (r?.latency?.mean ?? Number.NaN)).padStart(12)}`,
    );
  }

  // 3. perRun systems against one fixed system of the same generator, all cores.
  const blocsFixed: ExperimentSpec = {
    name: 'blocs fixed',
    file: 'bench',
    scenarios: [{ kind: 'generator', spec: blocsSpec }],
    sweep: {},
  };
  const blocsPerRun: ExperimentSpec = {
    name: 'blocs perRun',
    file: 'bench',
    scenarios: [{ kind: 'generator', spec: { ...blocsSpec, perRun: true } }],
    sweep: {},
  };
  const fixedRate = await engineRate(blocsFixed, ENGINE_RUNS / 10, CORES);
  const perRunRate = await engineRate(blocsPerRun, ENGINE_RUNS / 10, CORES);
  console.log(`\nblocs, 30 states, ${CORES} workers (runs/s):`);
  console.log(`  one fixed system                         ${fmt(fixedRate).padStart(12)}`);
  console.log(
    `  a new system every run (perRun)          ${fmt(perRunRate).padStart(12)}   (${((perRunRate / fixedRate) * 100).toFixed(0)} % of fixed)`,
  );

  // 4. Memory stays flat: peak resident set over a long run of the 12-state tight system.
  const tightSpec = experimentOfScenario(tight, 'configs/tight.yaml');
  const plan = buildPlan(tightSpec, { runs: MEMORY_RUNS, seed: 1914, version: 'bench' });
  const before = process.resourceUsage().maxRSS;
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss), 250);
  const t0 = performance.now();
  await runPlan(plan, freshRunState(plan), { workers: CORES });
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS;
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  const q = (f: number) =>
    samples.length ? (samples[Math.floor(f * (samples.length - 1))]! / 2 ** 20).toFixed(0) : '?';
  console.log(
    `\nMemory, ${fmt(MEMORY_RUNS)} runs of tight.yaml on ${CORES} workers (${fmt(MEMORY_RUNS / seconds)} runs/s):`,
  );
  console.log(
    `  peak RSS ${mb(peak)} MB (${mb(before)} MB before the run); RSS at 10/50/90 % of the run: ${q(0.1)}/${q(0.5)}/${q(0.9)} MB`,
  );
  memoryBench();
  await checkpointBench(europe, CORES);
}

await main();
