// `entangle slurm`: the scripts it writes (always tested, with a stand-in sbatch), and the whole
// path on a real single-node Slurm: write the scripts, submit the shard array and the dependent
// merge, wait, and compare the merged results byte for byte with one unsharded run.
//
// The cluster part needs Slurm's commands (Debian: apt-get install slurmctld slurmd slurm-client
// munge). When Slurm is installed but not running, it is started with
// tests/cluster/slurm-single-node.sh (as root) and stopped again afterwards, by PID; a Slurm that
// was already up (.ci/run starts one) is left running. Without Slurm the part is skipped, saying why.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifest, SMALL_TIGHT, withoutRun } from './helpers.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./slurm-single-node.sh', import.meta.url));
const CSVS = ['summary.csv', 'joiners.csv', 'sizes.csv', 'runs.csv'];
const WAIT_MS = 120_000;

/** This process's environment without Slurm job variables (the tests may themselves run in a job). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SLURM_')) env[k] = v;
  return { ...env, ...extra };
}

function sh(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
) {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    env: options.env ?? cleanEnv(),
    cwd: options.cwd,
    timeout: options.timeout ?? 60_000,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function entangle(args: string[], cwd?: string) {
  return sh(process.execPath, [CLI, ...args], cwd ? { cwd } : {});
}

function ok(args: string[], cwd?: string) {
  const r = entangle(args, cwd);
  if (r.status !== 0) throw new Error(`entangle ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

// A small tight system swept over two values of offense dominance: 2 cells of 3000 runs in
// batches of 250 (12 batches per cell, 3 per shard of 4).
const SCENARIO = SMALL_TIGHT;
const EXPERIMENT = `name: Slurm check
seed: 7
runs: 3000
batchSize: 250
scenarios: [tight.yaml]
sweep:
  offenseDominance: [0.3, 0.7]
`;

function writeExperiment(dir: string): string {
  writeFileSync(join(dir, 'tight.yaml'), SCENARIO);
  writeFileSync(join(dir, 'exp.yaml'), EXPERIMENT);
  return join(dir, 'exp.yaml');
}

describe('entangle slurm: the scripts', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'entangle-slurm-scripts-'));
    writeExperiment(tmp);
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('writes an array script, a merge script and submit.sh with absolute paths', () => {
    const r = ok(
      ['slurm', 'exp.yaml', '--shards', '16', '--cpus-per-task', '4', '--seed', '9', '--runs', '5000'],
      tmp,
    );
    const dir = join(tmp, 'results', 'slurm-check-slurm'); // the default folder
    expect(r.stdout).toContain('bash results/slurm-check-slurm/submit.sh');
    const array = readFileSync(join(dir, 'array.sbatch'), 'utf8');
    expect(array).toMatch(/^#!\/bin\/bash\n/);
    expect(array).toContain('#SBATCH --array=0-15\n');
    expect(array).toContain('#SBATCH --cpus-per-task=4\n');
    expect(array).toContain('#SBATCH --job-name=entangle-slurm-check\n');
    expect(array).toContain(`#SBATCH --output=${join(dir, 'logs')}/shard-%a.out\n`);
    expect(array).not.toMatch(/--partition|--time|--account|--mem/);
    expect(array).toContain(`out=${join(dir, 'shards')}/"$SLURM_ARRAY_TASK_ID"\n`);
    // A shard stopped before continues from its checkpoint; otherwise it runs (again) whole.
    expect(array).toContain(
      `if [ -f "$out/checkpoint.json" ]; then\n  ${process.execPath} ${CLI} run ${join(tmp, 'exp.yaml')} --resume "$out" --quiet\n`,
    );
    expect(array).toContain(
      `  ${process.execPath} ${CLI} run ${join(tmp, 'exp.yaml')} --shard "$SLURM_ARRAY_TASK_ID/16" --out "$out" --force --quiet --runs 5000 --seed 9\n`,
    );
    expect(array).not.toContain('--runs-csv');
    const merge = readFileSync(join(dir, 'merge.sbatch'), 'utf8');
    expect(merge).toContain(
      `${process.execPath} ${CLI} merge ${join(dir, 'shards')}/* --out ${join(dir, 'merged')}\n`,
    );
    expect(merge).not.toContain('--array');
    expect(existsSync(join(dir, 'logs'))).toBe(true);
    for (const f of ['array.sbatch', 'merge.sbatch', 'submit.sh'])
      expect(sh('bash', ['-n', join(dir, f)]).status, f).toBe(0);
  });

  it('adds partition, time, account and memory lines only when given, and uses --entangle', () => {
    const out = join(tmp, 'opts');
    ok([
      'slurm',
      join(tmp, 'exp.yaml'),
      '--shards',
      '2',
      '--cpus-per-task',
      '8',
      '--partition',
      'short',
      '--time',
      '1-02:00:00',
      '--account',
      'proj42',
      '--mem',
      '16G',
      '--runs-csv',
      '--entangle',
      'npx entangle',
      '--out',
      out,
    ]);
    const array = readFileSync(join(out, 'array.sbatch'), 'utf8');
    for (const line of [
      '--partition=short',
      '--time=1-02:00:00',
      '--account=proj42',
      '--mem=16G',
      '--array=0-1',
      '--cpus-per-task=8',
    ])
      expect(array).toContain(`#SBATCH ${line}\n`);
    expect(array).toMatch(
      /\n {2}npx entangle run \S+exp\.yaml --shard "\$SLURM_ARRAY_TASK_ID\/2" .* --quiet --runs-csv\n/,
    );
    expect(readFileSync(join(out, 'merge.sbatch'), 'utf8')).toMatch(/\nnpx entangle merge /);
  });

  it('submit.sh submits the array, then the merge after it, and prints both job ids', () => {
    const out = join(tmp, 'submit');
    ok(['slurm', 'exp.yaml', '--shards', '3', '--cpus-per-task', '1', '--out', out], tmp);
    // a stand-in sbatch that records its arguments and answers like `sbatch --parsable`
    const bin = join(tmp, 'bin');
    mkdirSync(bin, { recursive: true });
    const log = join(tmp, 'sbatch.log');
    writeFileSync(
      join(bin, 'sbatch'),
      `#!/bin/bash\necho "$*" >> ${log}\nn=$(wc -l < ${log})\necho "$((4100 + n));cluster1"\n`,
    );
    chmodSync(join(bin, 'sbatch'), 0o755);
    const r = sh('bash', [join(out, 'submit.sh'), '--qos=test'], {
      env: cleanEnv({ PATH: `${bin}:${process.env.PATH}` }),
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/array job 4101\b/);
    expect(r.stdout).toMatch(/merge job 4102\b/);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toEqual([
      `--parsable --qos=test ${join(out, 'array.sbatch')}`,
      `--parsable --qos=test --dependency=afterok:4101 ${join(out, 'merge.sbatch')}`,
    ]);
  });

  it.each([
    [['--shards', 'abc', '--cpus-per-task', '1'], /^entangle: --shards: expected a whole number/],
    [['--shards', '0', '--cpus-per-task', '1'], /^entangle: --shards: /],
    [['--shards', '4', '--cpus-per-task', '1.5'], /^entangle: --cpus-per-task: /],
    [['--shards', '4'], /cpus-per-task/],
    [['--shards', '4', '--cpus-per-task', '1', '--time', 'soon'], /^entangle: --time: /],
    [['--shards', '4', '--cpus-per-task', '1', '--mem', '4 GB'], /^entangle: --mem: /],
  ])('rejects %j with exit code 2 and writes nothing', (args, message) => {
    const out = join(tmp, 'bad');
    const r = entangle(['slurm', join(tmp, 'exp.yaml'), ...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('checks that the experiment loads before writing anything', () => {
    writeFileSync(join(tmp, 'broken.yaml'), 'name: Broken\nscenarios: [nowhere.yaml]\n');
    const out = join(tmp, 'broken');
    const r = entangle([
      'slurm',
      join(tmp, 'broken.yaml'),
      '--shards',
      '4',
      '--cpus-per-task',
      '1',
      '--out',
      out,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nowhere.yaml');
    expect(existsSync(out)).toBe(false);
  });
});

// ------------------------------------------------------------------ on a real Slurm

const hasCommand = (name: string) => !sh(name, ['--version'], { timeout: 10_000 }).error;
const installed = ['sbatch', 'squeue', 'scontrol'].every(hasCommand);
if (!installed)
  console.log(
    'cluster test skipped: Slurm is not installed (apt-get install slurmctld slurmd slurm-client munge)',
  );

describe.skipIf(!installed)('entangle slurm on a single-node Slurm', () => {
  let tmp: string;
  let unavailable: string | undefined;
  let startedHere = false;
  const submitted: string[] = [];

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'entangle-slurm-'));
    if (sh('bash', [SCRIPT, 'status']).status === 0) return;
    if (process.getuid?.() !== 0) {
      unavailable = `Slurm is installed but not running, and starting it needs root (bash ${SCRIPT} start)`;
      return;
    }
    const r = sh('bash', [SCRIPT, 'start'], { timeout: 110_000 });
    startedHere = true;
    if (r.status !== 0 || sh('bash', [SCRIPT, 'status']).status !== 0) {
      unavailable = `Slurm could not be started: ${(r.stderr.trim().split('\n').pop() ?? '') || `exit ${r.status}`}`;
    }
  }, 120_000);

  afterAll(() => {
    // jobs still queued after a failure are ours: cancel them by id
    for (const id of submitted) if (squeueLines(id).length > 0) sh('scancel', [id]);
    if (startedHere) sh('bash', [SCRIPT, 'stop']);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('runs the shard array and the merge, giving the bytes of one unsharded run', async (ctx) => {
    if (unavailable) {
      console.log(`cluster test skipped: ${unavailable}`);
      ctx.skip();
      return;
    }
    const exp = writeExperiment(tmp);
    const out = join(tmp, 'slurm');
    ok(['slurm', 'exp.yaml', '--shards', '4', '--cpus-per-task', '1', '--runs-csv', '--out', out], tmp);

    const submit = sh('bash', [join(out, 'submit.sh')], { cwd: tmp, env: process.env });
    expect(submit.status, submit.stderr).toBe(0);
    const arrayId = /array job (\d+)/.exec(submit.stdout)?.[1];
    const mergeId = /merge job (\d+)/.exec(submit.stdout)?.[1];
    expect(arrayId, submit.stdout).toBeDefined();
    expect(mergeId, submit.stdout).toBeDefined();
    submitted.push(arrayId!, mergeId!);

    // wait until both jobs have left the queue
    const logs = () =>
      existsSync(join(out, 'logs'))
        ? readdirSync(join(out, 'logs'))
            .map((f) => `--- logs/${f}\n${readFileSync(join(out, 'logs', f), 'utf8')}`)
            .join('\n')
        : '(no logs)';
    await waitForQueue(`${arrayId},${mergeId}`, logs);

    // every array task and the merge COMPLETED (no accounting here: scontrol remembers finished
    // jobs for MinJobAge seconds; if it has forgotten them, the files below still tell)
    const states = (id: string) => {
      const r = sh('scontrol', ['show', 'job', id]);
      return r.status === 0 ? [...r.stdout.matchAll(/JobState=(\S+)/g)].map((m) => m[1]) : undefined;
    };
    const arrayStates = states(arrayId!);
    if (arrayStates)
      expect(arrayStates, logs()).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    const mergeStates = states(mergeId!);
    if (mergeStates) expect(mergeStates, logs()).toEqual(['COMPLETED']);

    // each task ran its own shard, with the cores Slurm gave it
    for (const i of [0, 1, 2, 3]) {
      const m = manifest(join(out, 'shards', String(i)));
      expect(m.shard).toEqual({ index: i, count: 4 });
      expect(m.complete).toBe(true);
      expect(m.run.workers).toBe(1);
    }

    const merged = join(out, 'merged');
    expect(existsSync(join(merged, 'manifest.json')), logs()).toBe(true);
    expect(manifest(merged).run.shards_merged).toEqual([0, 1, 2, 3]);

    // the experiment by the absolute path the scripts use, so manifest.json's input.file agrees
    const single = join(tmp, 'single');
    ok(['run', exp, '--runs-csv', '--out', single, '--workers', '2', '--quiet']);
    for (const f of CSVS)
      expect(readFileSync(join(merged, f), 'utf8'), f).toBe(readFileSync(join(single, f), 'utf8'));
    expect(withoutRun(manifest(merged))).toEqual(withoutRun(manifest(single)));

    // rerunning one shard the usual way (sbatch --array=2 array.sbatch) redoes exactly that shard
    const before = readFileSync(join(out, 'shards', '2', 'partial.json'), 'utf8');
    rmSync(join(out, 'shards', '2'), { recursive: true });
    const again = sh('sbatch', ['--parsable', '--array=2', join(out, 'array.sbatch')], {
      cwd: tmp,
      env: process.env,
    });
    expect(again.status, again.stderr).toBe(0);
    const againId = again.stdout.trim().split(';')[0]!;
    submitted.push(againId);
    await waitForQueue(againId, logs);
    expect(readFileSync(join(out, 'shards', '2', 'partial.json'), 'utf8'), logs()).toBe(before);
    expect(manifest(join(out, 'shards', '2')).shard).toEqual({ index: 2, count: 4 });
  }, 180_000);
});

/**
 * Waits until jobs have left the queue. A job whose dependency can never be met (a shard failed,
 * so the merge would wait forever) is a failure at once, as is still being queued after WAIT_MS.
 */
async function waitForQueue(ids: string, logs: () => string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const lines = squeueLines(ids);
    if (lines.length === 0) return;
    if (lines.some((l) => l.includes('DependencyNeverSatisfied')))
      throw new Error(`a shard failed, so the merge can never start:\n${lines.join('\n')}\n${logs()}`);
    if (Date.now() > deadline)
      throw new Error(`jobs still queued after ${WAIT_MS / 1000} s:\n${lines.join('\n')}\n${logs()}`);
    await sleep(500);
  }
}

/** The queue's lines for job ids (comma-separated); none once they have all finished. */
function squeueLines(ids: string): string[] {
  const r = sh('squeue', ['-h', '-j', ids, '-o', '%i %T %r'], { timeout: 20_000 });
  // squeue exits 1 ("Invalid job id") once the controller has forgotten the jobs
  if (r.status !== 0) return [];
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}
