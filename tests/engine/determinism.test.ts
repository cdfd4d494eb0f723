/**
 * End-to-end determinism (DESIGN.md, "Determinism"): the same experiment file and seed give
 * byte-identical CSV files whatever the number of workers; another seed gives other bytes.
 * Runs the built CLI (`npm run build` first) as a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const run = promisify(execFile);

const OUTPUTS = ['summary.csv', 'joiners.csv', 'sizes.csv', 'runs.csv'];
const RUNS = 3000;
const CELLS = 4; // 2 scenarios × 2 swept values

const SCENARIO = `
name: Determinism scenario
states:
  - { id: AAA, capability: 0.30, greatPower: true }
  - { id: BBB, capability: 0.25, greatPower: true }
  - { id: CCC, capability: 0.05 }
  - { id: DDD, capability: 0.10 }
  - { id: EEE, capability: 0.20, greatPower: true }
  - { id: FFF, capability: 0.10 }
borders: [[AAA, CCC], [BBB, DDD], [CCC, DDD], [EEE, FFF], [FFF, CCC]]
alliances:
  - { name: Northern Pact, type: defense, members: [AAA, CCC], nonprovocation: true }
  - { name: Southern League, type: offense, members: [BBB, DDD], reliability: 0.9 }
  - { name: Corwen guarantee, type: defense, members: [BBB, CCC], guarantors: [BBB] }
  - { name: Eastern entente, type: entente, members: [EEE, FFF, AAA] }
  - { name: Quiet pact, type: neutrality, members: [EEE, BBB] }
crisis: { initiator: DDD, target: CCC }
`;

// The second scenario draws a new blocs system for every run, so the per-run system stream is
// covered too; batchSize 200 makes 15 batches per cell, spread over the workers.
const EXPERIMENT = `
name: determinism
seed: 4242
runs: ${RUNS}
batchSize: 200
scenarios:
  - scenario.yaml
  - { generator: blocs, states: 10, tightness: 0.5, perRun: true, reliability: false }
sweep:
  reliability.defense: [0.5, 0.9]
`;

let dir: string;
let experiment: string;

async function runCli(out: string, ...extra: string[]): Promise<void> {
  await run(process.execPath, [CLI, 'run', experiment, '--out', out, '--runs-csv', '--quiet', ...extra], {
    cwd: ROOT,
  });
}

function bytes(out: string): Record<string, string> {
  return Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

function manifest(out: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
}

const out = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-determinism-'));
  writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
  experiment = join(dir, 'experiment.yaml');
  writeFileSync(experiment, EXPERIMENT);
  // Two at a time: there are only two cores.
  await Promise.all([runCli(out('w1'), '--workers', '1'), runCli(out('w2'), '--workers', '2')]);
  await Promise.all([
    runCli(out('w3'), '--workers', '3'),
    runCli(out('w2again'), '--workers', '2', '--seed', '4242'),
  ]);
  await runCli(out('seed2'), '--workers', '2', '--seed', '4243');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the same experiment and seed', () => {
  it('writes every output file', () => {
    for (const d of ['w1', 'w2', 'w3', 'w2again', 'seed2']) {
      const files = readdirSync(out(d));
      for (const f of [...OUTPUTS, 'manifest.json']) expect(files, `${d}/${f}`).toContain(f);
      expect(
        files.filter((f) => f.includes('.tmp-')),
        d,
      ).toEqual([]);
    }
  });

  it('gives byte-identical CSV files with 1, 2 and 3 workers', () => {
    const one = bytes(out('w1'));
    // Not trivially equal: every cell ran all its runs (header + CELLS·RUNS rows in runs.csv).
    expect(one['runs.csv']!.trimEnd().split('\n')).toHaveLength(1 + CELLS * RUNS);
    expect(bytes(out('w2'))).toEqual(one);
    expect(bytes(out('w3'))).toEqual(one);
  });

  // The second run names the experiment's own seed on the command line: same seed, same bytes.
  it('gives byte-identical CSV files when run twice', () => {
    expect(bytes(out('w2again'))).toEqual(bytes(out('w2')));
  });

  it('records seed, runs, completeness and one plan hash in manifest.json', () => {
    const m1 = manifest(out('w1'));
    for (const d of ['w1', 'w2', 'w3', 'w2again']) {
      const m = manifest(out(d));
      expect(m.seed, d).toBe(4242);
      expect(m.runs_per_cell, d).toBe(RUNS);
      expect(m.cells, d).toBe(CELLS);
      expect(m.runs_planned, d).toBe(CELLS * RUNS);
      expect(m.runs_done, d).toBe(CELLS * RUNS);
      expect(m.complete, d).toBe(true);
      expect(m.batch_size, d).toBe(200);
      expect(typeof m.plan_hash).toBe('string');
      expect(m.plan_hash, d).toBe(m1.plan_hash);
    }
    expect((manifest(out('w3')).run as { workers: number }).workers).toBe(3);
  });
});

describe('another seed', () => {
  it('gives different bytes, and records its seed', () => {
    const a = bytes(out('w1'));
    const b = bytes(out('seed2'));
    // summary.csv has a seed column, so compare files that do not name the seed as well.
    for (const f of OUTPUTS) expect(b[f], f).not.toEqual(a[f]);
    expect(b['runs.csv']!.trimEnd().split('\n')).toHaveLength(1 + CELLS * RUNS);
    const m = manifest(out('seed2'));
    expect(m.seed).toBe(4243);
    expect(m.complete).toBe(true);
    expect(m.plan_hash).not.toBe(manifest(out('w1')).plan_hash);
  });
});
