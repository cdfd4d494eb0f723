/**
 * Start-up of the built CLI (issue 14, item 4), measured side by side with a bare `node -e 0`:
 * each round runs every command once, in turn, so a busy moment on this shared machine
 * weighs on all of them alike; the figures are medians over the rounds and their ratios to
 * node's own start. Part of `npm run bench`; alone: `node dist/bench/startup.js` after
 * building it. Environment: BENCH_STARTUP_ROUNDS (default 25).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 25);

/** Wall-clock milliseconds of one command, which must succeed. */
function time(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Prints the start-up figures: medians in ms and ratios to `node -e 0`. */
export function startupBench(): void {
  const out = mkdtempSync(join(tmpdir(), 'entangle-startup-'));
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['entangle --version', [CLI, '--version']],
    ['entangle --help', [CLI, '--help']],
    ['entangle run --help', [CLI, 'run', '--help']],
    [
      'entangle run configs/europe-1914.yaml --runs 1000',
      [
        CLI,
        'run',
        'configs/europe-1914.yaml',
        '--runs',
        '1000',
        '--quiet',
        '--force',
        '--out',
        join(out, 'r'),
      ],
    ],
  ];
  const times = cases.map(() => [] as number[]);
  try {
    // One untimed round first: the files are then in the page cache for every timed round.
    for (const [, args] of cases) time(args);
    for (let r = 0; r < ROUNDS; r++) for (const [i, [, args]] of cases.entries()) times[i]!.push(time(args));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const base = median(times[0]!);
  console.log(`\nStart-up, median of ${ROUNDS} rounds run side by side (ms; ratio to node -e 0):`);
  cases.forEach(([name], i) => {
    const m = median(times[i]!);
    console.log(`  ${name.padEnd(52)} ${m.toFixed(0).padStart(6)}   ${(m / base).toFixed(2)}×`);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) startupBench();
