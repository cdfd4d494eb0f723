/**
 * Nothing lost (issue 11): a run killed at any moment (SIGKILL, no chance to clean up) continues
 * with `--resume` to files byte-identical to an uninterrupted run, runs.csv included; a resume
 * can itself be killed and resumed; a resume that does not match the interrupted run is refused
 * in one line saying what differs; a folder holding results is refused (--resume or --force)
 * and --force replaces them whole. Real processes of the built CLI.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entangle,
  filesIn,
  killAll,
  manifest,
  manifestWithoutRun,
  oneLine,
  ROOT,
  type Running,
  resultBytes,
  start,
  tempFiles,
  waitFor,
  within,
} from './process.js';

// Two cells of 64 batches of 250 runs; one worker each, so two runs share the two cores. Long
// enough that the run itself, not the start-up, takes most of the time (with 4,000 runs the
// faster simulator ended the run before most kills, and too few hit its middle).
const RUNS = 16000;
const EXPERIMENT = `
name: resume check
seed: 99
runs: ${RUNS}
batchSize: 250
scenarios: [${JSON.stringify(join(ROOT, 'configs/tight.yaml'))}]
sweep:
  offenseDominance: [0.2, 0.8]
`;
const PLANNED = 2 * RUNS;
// A checkpoint after every task, and tasks of a few ms (a few batches each, where a run would
// hold ~75 ms), so that a kill at any moment finds a checkpoint close behind it.
const EVERY_TASK = { ENTANGLE_CHECKPOINT_MS: '0', ENTANGLE_TASK_MS: '3' };

let dir: string;
let experiment: string;
let reference: string;
let referenceMs: number;
let runningMs: number;

const runArgs = (out: string, ...extra: string[]) => [
  'run',
  experiment,
  '--runs-csv',
  '--workers',
  '1',
  '--quiet',
  '--out',
  out,
  ...extra,
];
const resumeArgs = (out: string) => ['run', experiment, '--resume', out, '--workers', '1', '--quiet'];

function checkpointRuns(out: string): number | undefined {
  try {
    return JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')).runs_done as number;
  } catch {
    return undefined;
  }
}

/** The folder holds exactly the reference results: same bytes, same manifest but for `run`. */
function expectReference(out: string): void {
  expect(resultBytes(out)).toEqual(resultBytes(reference));
  expect(manifestWithoutRun(out)).toEqual(manifestWithoutRun(reference));
  expect(tempFiles(out)).toEqual([]);
  expect(filesIn(out).filter((f) => f.startsWith('checkpoint') || f.startsWith('.entangle'))).toEqual([]);
}

async function ok(args: string[], env: Record<string, string> = {}) {
  const r = await entangle(args, env);
  if (r.code !== 0) throw new Error(`entangle ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-resume-'));
  experiment = join(dir, 'experiment.yaml');
  writeFileSync(experiment, EXPERIMENT);
  reference = join(dir, 'reference');
  // Timed as the kills are: from the start, and from its checkpoint's first appearance (the
  // run under way) to its end.
  const t0 = Date.now();
  const r = start(runArgs(reference), EVERY_TASK);
  await waitFor('the run to begin', () => existsSync(join(reference, 'checkpoint.json')), r).catch(() => {});
  const begun = Date.now();
  const { code } = await r.exited;
  expect(code, r.stderr()).toBe(0);
  referenceMs = Date.now() - t0;
  runningMs = Date.now() - begun;
  expect(Object.keys(resultBytes(reference))).toHaveLength(4);
});

afterAll(() => {
  killAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL at random moments, then --resume', () => {
  it('gives the reference bytes every time (20 kills, fixed seed)', async () => {
    // A fixed-seed LCG picks each kill's moment.
    let state = 20_251;
    const uniform = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    // One kill in four anywhere from the start-up on; the others once the run has begun (its
    // checkpoint exists), within the time the reference run took from there to its end.
    const kills = Array.from({ length: 20 }, (_, i) => ({
      i,
      early: i % 4 === 0,
      delay: i % 4 === 0 ? uniform() * referenceMs : uniform() * runningMs,
    }));
    const resumedFromMiddle: number[] = [];
    const one = async ({ i, early, delay }: { i: number; early: boolean; delay: number }) => {
      const out = join(dir, `kill-${i}`);
      const r = start(runArgs(out), EVERY_TASK);
      if (!early)
        await waitFor('the run to begin', () => existsSync(join(out, 'checkpoint.json')), r).catch(() => {});
      await new Promise((res) => setTimeout(res, delay));
      r.child.kill('SIGKILL');
      await within(r.exited, 30_000, `kill ${i}`);
      const saved = checkpointRuns(out);
      if (saved !== undefined && saved > 0 && saved < PLANNED) resumedFromMiddle.push(saved);
      // Killed before its checkpoint existed: a user starts again (--force, the folder may hold a lock).
      const next =
        saved === undefined
          ? existsSync(join(out, 'manifest.json'))
            ? undefined
            : runArgs(out, '--force')
          : resumeArgs(out);
      if (next) await ok(next);
      expectReference(out);
      rmSync(out, { recursive: true, force: true });
    };
    // Two at a time: two cores, one worker each.
    for (let k = 0; k < kills.length; k += 2) await Promise.all(kills.slice(k, k + 2).map(one));
    // The kills must have hit runs in the middle often enough for the test to mean something.
    expect(resumedFromMiddle.length, `resumed from the middle: ${resumedFromMiddle}`).toBeGreaterThanOrEqual(
      5,
    );
  });

  it('a resume killed in its turn resumes again to the same bytes', async () => {
    const out = join(dir, 'twice');
    // Each process is held at a batch by the fault hook (64 batches of 250 runs per cell), so
    // that it is surely killed in the middle: once its checkpoint has moved and it has had a
    // second to reach the batch held (its checkpoint then stops short of that batch's task).
    const held = (cell: number) => ({
      ...EVERY_TASK,
      ENTANGLE_TEST_FAULT: `sleep@${cell}:8`,
      ENTANGLE_TEST_FAULT_MS: '30000',
    });
    const killHeld = async (r: Running, past: number) => {
      await waitFor('the checkpoint to move', () => (checkpointRuns(out) ?? 0) > past, r);
      await new Promise((res) => setTimeout(res, 1000));
      r.child.kill('SIGKILL');
      await r.exited;
      return checkpointRuns(out)!;
    };
    const atFirst = await killHeld(start(runArgs(out), held(0)), 0);
    const atSecond = await killHeld(start(resumeArgs(out), held(1)), atFirst);
    // At most the batches before the one held: 8 of cell 0, then all of cell 0 and 8 of cell 1.
    expect(atFirst).toBeLessThanOrEqual(2000);
    expect(atSecond).toBeGreaterThan(atFirst);
    expect(atSecond).toBeLessThanOrEqual(RUNS + 2000);
    await ok(resumeArgs(out));
    expectReference(out);
  });
});

describe('a shard', () => {
  it('resumes to the partial.json and runs.csv of an uninterrupted shard (their checksums included)', async () => {
    const shardArgs = (out: string) => [...runArgs(out), '--shard', '1/2'];
    const whole = join(dir, 'shard-whole');
    await ok(shardArgs(whole));
    const out = join(dir, 'shard-resumed');
    // Shard 1 of 2 holds batches 32–63 of each cell: it fails in cell 1, its cell 0 done.
    const r = await entangle(shardArgs(out), { ENTANGLE_TEST_FAULT: 'throw@1:40' });
    expect(r.code, r.stderr).toBe(1);
    expect(checkpointRuns(out)).toBeGreaterThanOrEqual(RUNS / 2);
    await ok(resumeArgs(out));
    for (const f of ['partial.json', 'runs.csv', 'summary.csv'])
      expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(whole, f), 'utf8'));
  });
});

describe('what --resume refuses', () => {
  let interrupted: string;
  beforeAll(async () => {
    // A batch of cell 1 fails: cell 0 is finished and checkpointed, exit 1.
    interrupted = join(dir, 'interrupted');
    const r = await entangle(runArgs(interrupted), { ENTANGLE_TEST_FAULT: 'throw@1:0' });
    expect(r.code, r.stderr).toBe(1);
    expect(oneLine(r.stderr).line).toMatch(/cell 1 .*batch 0.*kept in .*checkpoint\.json.*--resume/);
    expect(checkpointRuns(interrupted)).toBe(RUNS);
  });

  const refused = async (args: string[], mention: RegExp) => {
    const before = readFileSync(join(interrupted, 'checkpoint.json'), 'utf8');
    const r = await entangle(args);
    expect(r.code, r.stderr).toBe(2);
    const { line, lines, stack } = oneLine(r.stderr);
    expect(lines, r.stderr).toBe(1);
    expect(stack).toBe(false);
    expect(line).toMatch(mention);
    expect(readFileSync(join(interrupted, 'checkpoint.json'), 'utf8')).toBe(before);
  };

  it.each([
    ['another seed', ['--seed', '7'], /seed differs.*99.*7/],
    ['other runs', ['--runs', '5000'], /runs per cell differs/],
    ['another batch size', ['--batch-size', '500'], /batch size differs/],
    ['another shard', ['--shard', '0/2'], /shard differs/],
  ])('%s', async (_what, extra, mention) => {
    await refused([...resumeArgs(interrupted), ...extra], mention);
  });

  it('an edited experiment file', async () => {
    const edited = join(dir, 'edited.yaml');
    writeFileSync(edited, EXPERIMENT.replace('[0.2, 0.8]', '[0.2, 0.9]'));
    await refused(['run', edited, '--resume', interrupted], /experiment file differs/);
  });

  it('another entangle version', async () => {
    const copy = join(dir, 'other-version');
    rmSync(copy, { recursive: true, force: true });
    expect((await entangle(runArgs(copy), { ENTANGLE_TEST_FAULT: 'throw@1:0' })).code).toBe(1);
    const file = join(copy, 'checkpoint.json');
    const cp = JSON.parse(readFileSync(file, 'utf8'));
    cp.identity.entangle = '0.0.1';
    writeFileSync(file, JSON.stringify(cp));
    const r = await entangle(resumeArgs(copy));
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr).line).toMatch(/entangle version differs.*0\.0\.1/);
  });

  it('a folder that holds no interrupted run, or a finished one', async () => {
    const r1 = await entangle(resumeArgs(join(dir, 'nowhere')));
    expect(r1.code).toBe(2);
    expect(oneLine(r1.stderr).line).toMatch(/no checkpoint\.json/);
    const r2 = await entangle(resumeArgs(reference));
    expect(r2.code).toBe(2);
    expect(oneLine(r2.stderr).line).toMatch(/finished.*nothing to resume/);
  });

  it('then resumes the interrupted run to the reference bytes', async () => {
    await ok(resumeArgs(interrupted));
    expectReference(interrupted);
  });
});

describe('a folder that already holds results', () => {
  it('is refused in one line with the hint, and left as it was', async () => {
    const before = resultBytes(reference);
    const r = await entangle(runArgs(reference));
    expect(r.code).toBe(2);
    const { line, lines } = oneLine(r.stderr);
    expect(lines).toBe(1);
    expect(line).toMatch(/holds the results of an earlier run.*--resume.*--force/);
    expect(resultBytes(reference)).toEqual(before);
  });

  it('is replaced whole with --force, a leftover temporary file cleaned up', async () => {
    const out = join(dir, 'forced');
    await ok(runArgs(out));
    writeFileSync(join(out, 'summary.csv.tmp-99999999'), 'left by a killed process');
    // Without --runs-csv and with another seed: nothing of the older run may stay.
    await ok(['run', experiment, '--workers', '1', '--quiet', '--out', out, '--force', '--seed', '5']);
    expect(filesIn(out).sort()).toEqual([
      'joiners.csv',
      'manifest.json',
      'params.csv',
      'sizes.csv',
      'summary.csv',
    ]);
    expect(manifest(out).seed).toBe(5);
    expect(manifest(out).files).not.toContain('runs.csv');
  });

  it('an experiment copied elsewhere, same contents, resumes (the contents count, not the path)', async () => {
    const out = join(dir, 'copied');
    const r = await entangle(runArgs(out), { ENTANGLE_TEST_FAULT: 'throw@1:0' });
    expect(r.code).toBe(1);
    const copy = join(dir, 'copy.yaml');
    copyFileSync(experiment, copy);
    await ok(['run', copy, '--resume', out, '--workers', '1', '--quiet']);
    expect(resultBytes(out)).toEqual(resultBytes(reference));
  });
});
