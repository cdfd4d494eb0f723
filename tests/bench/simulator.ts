/**
 * `npm run bench`, the simulator part (issue 14): how fast one core plays the model, as ratios
 * measured side by side in this one run.
 * - against the simulator before it was made faster (its sources are taken from the git
 *   commit BASELINE and compiled beside this file): the same runs, alternated, CPU time, each
 *   case in a process of its own (as a worker meets one experiment: V8 optimises the
 *   simulator for the systems it has seen, and a case run after another pays for the other's
 *   feedback, by up to a third here);
 * - through the CLI, one worker, against the whole entangle of BASELINE (checked out in a git
 *   worktree, its dependencies installed by its own lockfile, built): marginal rates;
 * - on the pure contagion case against a breadth-first search of the same percolation in C
 *   (contagion.c, built with the system's cc where there is one) and in plain JavaScript,
 *   and through the CLI with one worker (the marginal rate of a long run);
 * - how the cost of a run grows with the number of states, and a 500-member alliance.
 * Not a test: nothing here asserts a time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { compile } from '../../dist/model/compile.js';
import { resolveParams } from '../../dist/model/params.js';
import { RunRng } from '../../dist/model/rng.js';
import { emptyOutcome, Simulator } from '../../dist/model/simulate.js';
import type { ModelParams, Scenario } from '../../dist/model/types.js';
import { systemFor } from '../../dist/scenario/generators.js';
import { loadScenario } from '../../dist/scenario/load.js';
import { childCpuSeconds } from './child-cpu.js';
import { pureContagion } from './pure-contagion.js';

/** The commit whose simulator is "today's" for issue 14's ratios (recorded outputs, before speed-ups). */
const BASELINE = process.env.BENCH_BASELINE ?? '4786b5d';
const ROUNDS = 11;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const work = mkdtempSync(join(tmpdir(), 'entangle-bench-'));

interface SimulatorModule {
  compile: typeof compile;
  RunRng: typeof RunRng;
  Simulator: typeof Simulator;
  emptyOutcome: typeof emptyOutcome;
}

const BASELINE_DIR = resolve('dist/bench-baseline');

/** The baseline compiled by `buildBaseline`, or undefined where there was no git. */
async function baselineModule(): Promise<SimulatorModule | undefined> {
  const at = (f: string) => import(join(BASELINE_DIR, 'out/model', f));
  try {
    return {
      compile: (await at('compile.js')).compile,
      RunRng: (await at('rng.js')).RunRng,
      Simulator: (await at('simulate.js')).Simulator,
      emptyOutcome: (await at('simulate.js')).emptyOutcome,
    };
  } catch {
    return undefined;
  }
}

/** The baseline's src/model, from git, compiled with this project's TypeScript; false without git. */
function buildBaseline(): boolean {
  const dir = BASELINE_DIR;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src/model'), { recursive: true });
  try {
    const files = execFileSync('git', ['ls-tree', '--name-only', `${BASELINE}:src/model`], {
      encoding: 'utf8',
    });
    for (const f of files.split('\n').filter((x) => x.endsWith('.ts')))
      writeFileSync(join(dir, 'src/model', f), execFileSync('git', ['show', `${BASELINE}:src/model/${f}`]));
  } catch {
    return false;
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { rootDir: 'src', outDir: 'out' },
      include: ['src'],
    }),
  );
  execFileSync(resolve('node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')]);
  return true;
}

/** CPU seconds of `runs` runs; the minimum over rounds is the least disturbed by other work. */
function cpuSeconds(m: SimulatorModule, sc: Scenario, p: ModelParams, runs: number): () => number {
  const sim = new m.Simulator(m.compile(sc), p);
  const rng = new m.RunRng();
  const out = m.emptyOutcome();
  return () => {
    const t0 = process.cpuUsage();
    for (let r = 0; r < runs; r++) {
      rng.reseed(1914, 0, r);
      sim.run(rng, out);
    }
    const u = process.cpuUsage(t0);
    return (u.user + u.system) / 1e6;
  };
}

/** runs/s of each module on one case, rounds alternated. */
function ratesOf(mods: SimulatorModule[], sc: Scenario, p: ModelParams, runs: number): number[] {
  const timers = mods.map((m) => cpuSeconds(m, sc, p, runs));
  const best = mods.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < ROUNDS; round++)
    timers.forEach((t, i) => {
      best[i] = Math.min(best[i]!, t());
    });
  return best.map((s) => runs / s);
}

/** The same percolation by breadth-first search in plain JavaScript (the second yardstick). */
function jsContagionRate(n: number, edges: [number, number][], p: number, runs: number): number {
  const deg = new Int32Array(n + 1);
  for (const [a, b] of edges) {
    deg[a + 1]!++;
    deg[b + 1]!++;
  }
  for (let i = 0; i < n; i++) deg[i + 1]! += deg[i]!;
  const adj = new Int32Array(2 * edges.length);
  const fill = deg.slice(0, n);
  for (const [a, b] of edges) {
    adj[fill[a]!++] = b;
    adj[fill[b]!++] = a;
  }
  const queue = new Int32Array(n);
  const seen = new Int32Array(n);
  const rng = new RunRng();
  const t0 = process.cpuUsage();
  for (let r = 1; r <= runs; r++) {
    rng.reseed(1914, 0, r);
    let head = 0;
    let tail = 0;
    queue[tail++] = 1;
    seen[1] = r;
    while (head < tail) {
      const v = queue[head++]!;
      for (let x = deg[v]!; x < deg[v + 1]!; x++) {
        const w = adj[x]!;
        if (seen[w] === r) continue;
        if (rng.uniform() < p) {
          seen[w] = r;
          queue[tail++] = w;
        }
      }
    }
  }
  const u = process.cpuUsage(t0);
  return runs / ((u.user + u.system) / 1e6);
}

/** A rate measured both ways: per second of CPU time and per second of wall-clock time. */
interface Rate {
  cpu: number;
  wall: number;
}

/** runs/s of the C search (the best of each clock), or undefined where no C compiler is installed. */
function cContagionRate(n: number, edges: [number, number][], p: number, runs: number): Rate | undefined {
  const exe = join(work, 'contagion');
  const cc = spawnSync('cc', ['-O2', '-o', exe, 'tests/bench/contagion.c']);
  if (cc.status !== 0) return undefined;
  const graph = join(work, 'graph.txt');
  writeFileSync(graph, `${n}\n${edges.map(([a, b]) => `${a} ${b}`).join('\n')}\n`);
  const best = { cpu: 0, wall: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const [cpu, wall] = execFileSync(exe, [graph, String(p), String(runs)], { encoding: 'utf8' }).split(' ');
    best.cpu = Math.max(best.cpu, Number(cpu));
    best.wall = Math.max(best.wall, Number(wall));
  }
  return best;
}

/** The pure contagion case as a scenario file (its parameters in it), for the CLI. */
function pureFile(scenario: Scenario, params: ModelParams): string {
  const file = join(work, 'pure.yaml');
  const overrides: Record<string, number> = {};
  for (const k of [
    'offenseDominance',
    'borderHazard',
    'balanceHazard',
    'invasionHazard',
    'settlement',
    'mediation',
  ] as const)
    overrides[k] = params[k];
  writeFileSync(file, stringify({ ...scenario, params: overrides }));
  return file;
}

/** Output folders of the CLI runs, numbered (a folder holding results is refused). */
let outFolders = 0;

/** The best times so far of each `cli run file --runs n` (wall clock, and CPU where known), by cli, file and n. */
const bestTimes = new Map<string, { wall: number; cpu: number }>();

/**
 * `cli run file` with one worker: its marginal rate (runs₂ − runs₁) / (time₂ − time₁), start-up
 * cancelled out, each time the best of `rounds` more runs and of every earlier call's for the
 * same run. The best of each time, not the best of several marginal rates: the largest of
 * several differences of noisy times is biased upward (one day's bench gave 0.21 of C for
 * what runs alone put at 0.13–0.16). Both clocks: the wall clock (what a user waits), and the
 * CPU time of the whole process, every thread (the main thread's, the collector's too), which
 * is what the C yardstick's clock() measures: a neighbour's load holds the CLI's worker off
 * the core on a shared machine without costing it CPU time (cpu is NaN where /proc is missing).
 */
function cliMarginalRate(cli: string, file: string, runs1: number, runs2: number, rounds = 3): Rate {
  const time = (runs: number) => {
    const key = `${cli}\0${file}\0${runs}`;
    const best = bestTimes.get(key) ?? { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY };
    for (let round = 0; round < rounds; round++) {
      const cpu0 = childCpuSeconds();
      const t0 = performance.now();
      execFileSync('node', [
        cli,
        'run',
        file,
        '--runs',
        String(runs),
        '--workers',
        '1',
        '--quiet',
        '--out',
        join(work, `out-${outFolders++}`),
      ]);
      best.wall = Math.min(best.wall, (performance.now() - t0) / 1000);
      const cpu1 = childCpuSeconds();
      best.cpu = Math.min(best.cpu, cpu0 === undefined || cpu1 === undefined ? Number.NaN : cpu1 - cpu0);
    }
    bestTimes.set(key, best);
    return best;
  };
  const [t1, t2] = [time(runs1), time(runs2)];
  return { wall: (runs2 - runs1) / (t2.wall - t1.wall), cpu: (runs2 - runs1) / (t2.cpu - t1.cpu) };
}

/**
 * The whole entangle of BASELINE (its engine, its V8 settings, its dependencies by its own
 * lockfile) in a git worktree: the path of its cli.js, or undefined where git or npm fail.
 */
function baselineCli(): string | undefined {
  const dir = join(work, 'baseline-cli');
  try {
    execFileSync('git', ['worktree', 'add', '--detach', dir, BASELINE], { stdio: 'ignore' });
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: 'ignore' });
    execFileSync(resolve('node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { stdio: 'ignore' });
    return join(dir, 'dist/cli.js');
  } catch {
    return undefined;
  }
}

function removeBaselineCli(): void {
  spawnSync('git', ['worktree', 'remove', '--force', join(work, 'baseline-cli')], { stdio: 'ignore' });
}

/** The side-by-side cases: name, scenario, parameters, runs per round. */
function simulatorCases(): [string, Scenario, ModelParams, number][] {
  const pure = pureContagion();
  const europe = loadScenario('configs/europe-1914.yaml');
  const tight = loadScenario('configs/tight.yaml');
  return [
    ['pure contagion, 40 states, c = 4, p = 0.3', pure.scenario, pure.params, 100_000],
    ['1914 (configs/europe-1914.yaml, defaults)', europe, resolveParams(europe.params ?? {}), 50_000],
    ['tight.yaml (defaults)', tight, resolveParams(tight.params ?? {}), 50_000],
    ['500-member alliance', bigAlliance(), resolveParams({}), 200],
  ];
}

/** One defense alliance of 501 members on a line of borders (what was quadratic). */
function bigAlliance(): Scenario {
  const n = 502;
  const members = Array.from({ length: n }, (_, i) => ({
    id: `S${i}`,
    name: `S${i}`,
    capability: 1,
    greatPower: i < 5,
  }));
  return {
    name: '500-member alliance',
    states: members,
    borders: members.slice(1).map((s, i) => [members[i]!.id, s.id] as [string, string]),
    alliances: [{ name: 'big', type: 'defense', members: [...members.slice(2).map((s) => s.id), 'S1'] }],
    crisis: { initiator: 'S0', target: 'S1' },
  };
}

/** Child mode (`--case N`): prints [now, baseline?] runs/s of case N as JSON. */
/**
 * Child mode (`--case N [--side both|current|baseline]`): prints the runs/s of case N as JSON,
 * [now, baseline?] for `both` (rounds interleaved in this process, V8's default settings);
 * [now] for `current` (under the CLI's V8 settings, src/v8-flags.ts, which are the process's
 * and so cannot be given to one side of an interleaved pair), [baseline] for `baseline`.
 */
async function caseChild(index: number, side: string): Promise<void> {
  if (side === 'current') await import('../../dist/v8-flags.js');
  const current: SimulatorModule = { compile, RunRng, Simulator, emptyOutcome };
  const baseline = await baselineModule();
  const [, sc, p, runs] = simulatorCases()[index]!;
  const mods = side === 'current' ? [current] : side === 'baseline' ? [baseline!] : [current, baseline];
  console.log(
    JSON.stringify(
      ratesOf(
        mods.filter((m) => m !== undefined),
        sc,
        p,
        runs,
      ),
    ),
  );
  rmSync(work, { recursive: true, force: true });
}

/** Runs case N in a fresh process (see caseChild). */
function caseRates(index: number, side = 'both'): number[] {
  const script = new URL(import.meta.url).pathname;
  return JSON.parse(
    execFileSync('node', [script, '--case', String(index), '--side', side], { encoding: 'utf8' }),
  );
}

/**
 * Case N as `entangle run` plays it (the CLI's V8 settings) against the baseline as it ran
 * (V8's defaults): processes of each side alternated three times, the best of each kept.
 */
function tunedRatio(index: number): number {
  let now = 0;
  let before = 0;
  for (let round = 0; round < 3; round++) {
    now = Math.max(now, caseRates(index, 'current')[0]!);
    before = Math.max(before, caseRates(index, 'baseline')[0]!);
  }
  return now / before;
}

async function main(): Promise<void> {
  console.log(`entangle bench: the simulator, one core — Node ${process.version}\n`);
  const hasBaseline = buildBaseline();
  const cases = simulatorCases();
  const pure = pureContagion();
  console.log(
    `Simulator.run, plain loop, CPU time, each case in a fresh process (runs/s; baseline: the simulator at ${BASELINE};\n` +
      "the last column: this simulator under the CLI's V8 settings against the baseline under V8's defaults):",
  );
  const rates = cases.map((_, i) => caseRates(i));
  cases.slice(0, 3).forEach(([name], i) => {
    const [now, before] = rates[i]!;
    console.log(
      `  ${name.padEnd(46)} ${fmt(now!).padStart(10)}` +
        (hasBaseline && before
          ? `   baseline ${fmt(before).padStart(10)}   ${(now! / before).toFixed(2)}×   as the CLI runs it ${tunedRatio(i).toFixed(2)}×`
          : '   (no git: no baseline)'),
    );
  });

  const c = cContagionRate(40, pure.edges, 0.3, 2_000_000);
  const js = jsContagionRate(40, pure.edges, 0.3, 2_000_000);
  // From the best times of every pure contagion run through the CLI in this bench (here, then
  // in the pairing below), as for every other figure, since a neighbour's load only slows.
  const pureYaml = pureFile(pure.scenario, pure.params);
  let cli = cliMarginalRate('dist/cli.js', pureYaml, 200_000, 1_200_000);
  const before = baselineCli();
  if (before) {
    console.log(
      `\nThrough the CLI, 1 worker, marginal rate, against entangle at ${BASELINE} (its own build and dependencies; sides alternated, the best of each):`,
    );
    const files: [string, string][] = [
      ['pure contagion', pureYaml],
      ['1914 (configs/europe-1914.yaml)', 'configs/europe-1914.yaml'],
      ['tight.yaml', 'configs/tight.yaml'],
    ];
    try {
      for (const [name, file] of files) {
        let now: Rate = { cpu: 0, wall: 0 };
        let then: Rate = { cpu: 0, wall: 0 };
        for (let round = 0; round < 3; round++) {
          now = cliMarginalRate('dist/cli.js', file, 200_000, 1_200_000, 2);
          then = cliMarginalRate(before, file, 200_000, 1_200_000, 2);
        }
        if (name === 'pure contagion') cli = now;
        console.log(
          `  ${name.padEnd(34)} ${fmt(now.wall).padStart(10)}   baseline ${fmt(then.wall).padStart(10)}   ${(now.wall / then.wall).toFixed(2)}×   CPU time ${(now.cpu / then.cpu).toFixed(2)}×`,
        );
      }
    } finally {
      removeBaselineCli();
    }
  } else console.log(`\n(entangle at ${BASELINE} could not be built: no CLI comparison)`);

  // Each clock against the same clock: the CPU-time ratio is the per-core one, the wall-clock
  // ratio what it comes to on the machine as it was (a shared machine's load costs the CLI's
  // worker, its process running seconds where C's runs one, more wall-clock time).
  const ofC = (x: number, y: number | undefined) => (y ? `   ${(x / y).toFixed(3)} of C` : '');
  console.log('\nPure contagion per core (runs/s; CPU time, and wall clock for the C search and the CLI):');
  console.log(
    `  C breadth-first search (contagion.c)          ${c ? `${fmt(c.cpu).padStart(12)}   wall clock ${fmt(c.wall)}` : '  (no cc)'}`,
  );
  console.log(`  the same search in plain JavaScript           ${fmt(js).padStart(12)}${ofC(js, c?.cpu)}`);
  console.log(
    `  entangle run, 1 worker, marginal rate          ${fmt(cli.cpu).padStart(12)}${ofC(cli.cpu, c?.cpu)}   wall clock ${fmt(cli.wall)}${ofC(cli.wall, c?.wall)}`,
  );

  console.log(
    '\nCost per run against the number of states (blocs, tightness 0.5, defaults; one fixed system each):',
  );
  for (const states of [20, 50, 100, 200, 500]) {
    const sc = systemFor(
      { generator: 'blocs', states, greatPowers: Math.max(2, Math.round(states / 8)), tightness: 0.5 },
      1914,
      0,
      0,
    );
    const system = compile(sc);
    const sim = new Simulator(system, resolveParams({}));
    const rng = new RunRng();
    const out = emptyOutcome();
    const runs = Math.max(2000, Math.round(400_000 / states));
    let participants = 0;
    const t0 = process.cpuUsage();
    for (let r = 0; r < runs; r++) {
      rng.reseed(1914, 0, r);
      sim.run(rng, out);
      participants += out.participants;
    }
    const u = process.cpuUsage(t0);
    const us = (u.user + u.system) / runs;
    console.log(
      `  ${String(states).padStart(4)} states, ${String(system.commitmentCount).padStart(6)} commitments: ${us.toFixed(2).padStart(8)} µs per run, ${(participants / runs).toFixed(1).padStart(6)} at war on average, ${(us / (participants / runs)).toFixed(2).padStart(6)} µs per state at war, ${((1000 * us) / system.commitmentCount).toFixed(1).padStart(5)} ns per commitment`,
    );
  }

  const [bigNow, bigBefore] = rates[3]!;
  console.log(
    `\nOne defense alliance of 501 members (250,500 commitments), 2,000 runs would take: ${(2000 / bigNow!).toFixed(1)} s` +
      (bigBefore
        ? ` (baseline ${(2000 / bigBefore).toFixed(1)} s, ${(bigNow! / bigBefore).toFixed(2)}×)`
        : ''),
  );
  rmSync(work, { recursive: true, force: true });
}

const at = process.argv.indexOf('--case');
if (at >= 0) {
  // caseRates always passes --side; by hand, without it, both sides interleaved.
  const side = process.argv.indexOf('--side');
  await caseChild(Number(process.argv[at + 1]), side >= 0 ? process.argv[side + 1]! : 'both');
} else await main();
