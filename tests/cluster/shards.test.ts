// `run --shard` and `merge` end to end through the built CLI (npm test builds first): shards of
// one run merge into exactly the files an unsharded run writes, and every way of getting a merge
// wrong is a plain exit-2 error naming the culprit. No Slurm needed (`--shard auto` reads the
// variables a job array would set).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest, SMALL_TIGHT, withoutRun } from './helpers.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const CSVS = ['summary.csv', 'joiners.csv', 'sizes.csv', 'runs.csv'];

/** The environment of this process without any Slurm job variables (the tests may run inside a job). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SLURM_')) env[k] = v;
  return { ...env, ...extra };
}

function entangle(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: cleanEnv(env),
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], env: Record<string, string> = {}) {
  const r = entangle(args, env);
  if (r.status !== 0) throw new Error(`entangle ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

// Two small systems (a tight pair of blocs and a loose one); 2900 runs in batches of 300 are 10
// batches per cell, the last one short, so 3 shards get 3, 3 and 4 batches.
const TIGHT = SMALL_TIGHT;
const LOOSE = `name: Small loose
states:
  - { id: AAA, capability: 0.20, greatPower: true }
  - { id: BBB, capability: 0.10, greatPower: true }
  - { id: CCC, capability: 0.05 }
  - { id: DDD, capability: 0.18, greatPower: true }
  - { id: EEE, capability: 0.12, greatPower: true }
  - { id: FFF, capability: 0.02 }
borders: [[AAA, BBB], [BBB, CCC], [CCC, DDD], [DDD, EEE], [EEE, AAA], [BBB, FFF], [FFF, DDD]]
alliances:
  - { name: Pact, type: defense, members: [AAA, CCC], reliability: 0.5, nonprovocation: true }
  - { name: Accord, type: entente, members: [BBB, DDD, EEE] }
crisis: { initiator: BBB, target: CCC }
`;
const EXPERIMENT = `name: Shard check
seed: 7
runs: 2900
batchSize: 300
scenarios: [tight.yaml, loose.yaml]
`;

let tmp: string;
let exp: string;
let single: string;
const shard = (i: number) => join(tmp, `shard-${i}`);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'entangle-shards-'));
  writeFileSync(join(tmp, 'tight.yaml'), TIGHT);
  writeFileSync(join(tmp, 'loose.yaml'), LOOSE);
  exp = join(tmp, 'exp.yaml');
  writeFileSync(exp, EXPERIMENT);
  single = join(tmp, 'single');
  ok(['run', exp, '--runs-csv', '--out', single, '--workers', '2', '--quiet']);
  // a different worker count per shard: the results must not depend on it
  for (const [i, workers] of [
    [0, 1],
    [1, 2],
    [2, 3],
  ] as const) {
    ok([
      'run',
      exp,
      '--shard',
      `${i}/3`,
      '--runs-csv',
      '--out',
      shard(i),
      '--workers',
      String(workers),
      '--quiet',
    ]);
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('run --shard and merge', () => {
  it('merges 3 shards into byte-identical CSVs and the same manifest but for its run', () => {
    const merged = join(tmp, 'merged');
    ok(['merge', shard(2), shard(0), shard(1), '--out', merged, '--quiet']);
    for (const f of CSVS)
      expect(readFileSync(join(merged, f), 'utf8'), f).toBe(readFileSync(join(single, f), 'utf8'));
    const m = manifest(merged);
    expect(withoutRun(m)).toEqual(withoutRun(manifest(single)));
    expect(m.complete).toBe(true);
    expect(m.run.shards_merged).toEqual([0, 1, 2]);
    expect(m.run.partial_merge).toBe(false);
    expect(existsSync(join(merged, 'partial.json'))).toBe(false);
  });

  it('writes partial.json and a shard manifest per shard, each with its own range of runs', () => {
    let runs = 0;
    for (const i of [0, 1, 2]) {
      const m = manifest(shard(i));
      expect(m.shard).toEqual({ index: i, count: 3 });
      expect(m.complete).toBe(true);
      expect(existsSync(join(shard(i), 'partial.json'))).toBe(true);
      runs += m.runs_done;
    }
    expect(runs).toBe(manifest(single).runs_done);
    expect(manifest(shard(0)).runs_done).toBe(2 * 900); // 3 batches of 300, 2 cells
    expect(manifest(shard(2)).runs_done).toBe(2 * 1100); // 3 × 300 + the short last batch of 200
  });

  it('refuses a merge with a missing shard, naming it', () => {
    const r = entangle(['merge', shard(0), shard(2), '--out', join(tmp, 'missing'), '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^entangle: shard 1 of 3 missing/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(tmp, 'missing', 'summary.csv'))).toBe(false);
  });

  it('merges a subset with --partial and says so in the manifest', () => {
    const out = join(tmp, 'partial');
    ok(['merge', shard(0), shard(2), '--out', out, '--partial', '--quiet']);
    const m = manifest(out);
    expect(m.complete).toBe(false);
    expect(m.run.partial_merge).toBe(true);
    expect(m.run.shards_merged).toEqual([0, 2]);
    expect(m.runs_done).toBe(manifest(shard(0)).runs_done + manifest(shard(2)).runs_done);
    expect(m.runs_planned).toBe(manifest(single).runs_planned);
    for (const f of CSVS) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('refuses a shard given twice, naming it', () => {
    const twin = join(tmp, 'shard-1-copy');
    cpSync(shard(1), twin, { recursive: true });
    const r = entangle(['merge', shard(0), shard(1), twin, shard(2), '--out', join(tmp, 'twice'), '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('shard 1/3 is given twice');
    expect(r.stderr).toContain(twin);
  });

  it('refuses a shard of another seed, naming its folder', () => {
    const other = join(tmp, 'shard-1-seed-8');
    ok(['run', exp, '--shard', '1/3', '--seed', '8', '--out', other, '--workers', '1', '--quiet']);
    const r = entangle(['merge', shard(0), other, shard(2), '--out', join(tmp, 'seeds'), '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(other);
    expect(r.stderr).toContain('seed');
  });

  it.each([['3/3'], ['x'], ['1/0'], ['-1/3']])(
    'rejects --shard %s with exit code 2 before writing anything',
    (value) => {
      const out = join(tmp, `bad-${value.replace(/\W/g, '_')}`);
      const r = entangle(['run', exp, `--shard=${value}`, '--out', out, '--quiet']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^entangle: --shard: /);
      expect(existsSync(out)).toBe(false);
    },
  );

  it('rejects --shard auto outside a Slurm job array', () => {
    const out = join(tmp, 'auto-outside');
    const r = entangle(['run', exp, '--shard', 'auto', '--out', out, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SLURM_ARRAY_TASK_ID');
    expect(existsSync(out)).toBe(false);
  });

  it('takes --shard auto from the job array variables, and workers from SLURM_CPUS_PER_TASK', () => {
    const out = join(tmp, 'auto');
    ok(['run', exp, '--shard', 'auto', '--runs-csv', '--out', out, '--quiet'], {
      SLURM_ARRAY_TASK_ID: '1',
      SLURM_ARRAY_TASK_COUNT: '3',
      SLURM_CPUS_PER_TASK: '2',
    });
    for (const f of [...CSVS, 'partial.json'])
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(shard(1), f), 'utf8'));
    const m = manifest(out);
    expect(withoutRun(m)).toEqual(withoutRun(manifest(shard(1))));
    expect(m.run.workers).toBe(2);
  });

  it('counts --shard auto from SLURM_ARRAY_TASK_MIN when an array does not start at 0', () => {
    const out = join(tmp, 'auto-min');
    // --runs-csv as shard 1 had: partial.json records runs.csv's checksum.
    ok(['run', exp, '--shard', 'auto', '--runs-csv', '--out', out, '--quiet'], {
      SLURM_ARRAY_TASK_ID: '6',
      SLURM_ARRAY_TASK_MIN: '5',
      SLURM_ARRAY_TASK_COUNT: '3',
      SLURM_CPUS_PER_TASK: '1',
    });
    expect(manifest(out).shard).toEqual({ index: 1, count: 3 });
    expect(readFileSync(join(out, 'partial.json'), 'utf8')).toBe(
      readFileSync(join(shard(1), 'partial.json'), 'utf8'),
    );
  });
});
