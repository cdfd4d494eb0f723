/**
 * Interrupting a run, with real processes and real signals (DESIGN.md: an interrupted run never
 * leaves a half-written CSV that looks complete). The first SIGINT or SIGTERM stops submitting,
 * lets the batches in flight finish and writes everything finished with manifest
 * `"complete": false` and exit code 130; a second signal quits at once, leaving no file under a
 * final name and no temporary file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
// configs/tight.yaml runs at roughly 100,000 runs per core-second, so 2,000,000 runs take well
// over 5 s on two workers: every signal below arrives mid-run.
const PLANNED = 2_000_000;

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-signals-'));
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(out: string, ...extra: string[]): Running {
  const child = spawn(
    process.execPath,
    [CLI, 'run', 'configs/tight.yaml', '--runs', String(PLANNED), '--workers', '2', '--out', out, ...extra],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, stderr: () => stderr, exited };
}

async function waitFor(what: string, ok: () => boolean, r: Running, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (r.child.exitCode !== null)
      throw new Error(`the run exited (${r.child.exitCode}) before ${what}: ${r.stderr()}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Rejects if the process has not exited within `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no exit within ${ms} ms`)), ms),
    ),
  ]);
}

const tmpFiles = (out: string) => (existsSync(out) ? readdirSync(out).filter((f) => f.includes('.tmp')) : []);

function csvRows(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** The checks shared by every graceful interruption; returns runs_done. */
function expectGracefulPartialResults(out: string, planned = PLANNED): number {
  const files = readdirSync(out);
  for (const f of ['summary.csv', 'joiners.csv', 'sizes.csv', 'manifest.json']) expect(files, f).toContain(f);
  expect(tmpFiles(out)).toEqual([]);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest.complete).toBe(false);
  expect(manifest.runs_planned).toBe(planned);
  const done = manifest.runs_done as number;
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(planned);
  const summary = csvRows(join(out, 'summary.csv'));
  expect(summary).toHaveLength(1);
  expect(Number(summary[0]!.runs)).toBe(done);
  // sizes.csv describes exactly the runs done.
  expect(csvRows(join(out, 'sizes.csv')).reduce((a, r) => a + Number(r.runs), 0)).toBe(done);
  return done;
}

describe('one signal: finish the batches in flight, write what is done', () => {
  it('SIGINT: exit 130, partial results marked incomplete, runs.csv matching them', async () => {
    const out = join(dir, 'sigint');
    const r = start(out, '--runs-csv');
    // Wait until at least one batch is merged: the temporary runs.csv grows past its header.
    await waitFor(
      'the first batch',
      () => tmpFiles(out).some((f) => f.startsWith('runs.csv') && statSync(join(out, f)).size > 1000),
      r,
    );
    r.child.kill('SIGINT');
    const { code } = await within(r.exited, 60_000, 'after SIGINT');
    expect(code, r.stderr()).toBe(130);
    expect(r.stderr()).not.toMatch(/^\s+at /m);
    const done = expectGracefulPartialResults(out);
    const runs = csvRows(join(out, 'runs.csv'));
    expect(runs).toHaveLength(done);
    // The runs done are the first batches in order: runs 0 … done − 1.
    expect(runs.filter((row, i) => row.cell !== '0' || row.run !== String(i)).slice(0, 3)).toEqual([]);
  });

  it('SIGTERM behaves like the first SIGINT', async () => {
    const out = join(dir, 'sigterm');
    const r = start(out, '--runs-csv');
    await waitFor(
      'the first batch',
      () => tmpFiles(out).some((f) => f.startsWith('runs.csv') && statSync(join(out, f)).size > 1000),
      r,
    );
    r.child.kill('SIGTERM');
    const { code } = await within(r.exited, 60_000, 'after SIGTERM');
    expect(code, r.stderr()).toBe(130);
    expect(r.stderr()).not.toMatch(/^\s+at /m);
    const done = expectGracefulPartialResults(out);
    expect(csvRows(join(out, 'runs.csv'))).toHaveLength(done);
  });

  it('without --runs-csv too, after the first progress line', async () => {
    const out = join(dir, 'sigint-no-runs-csv');
    // One worker and ten times the runs (the later option wins): the first plain progress line
    // comes after ~5 s, and the run must still be far from done when the signal arrives.
    const r = start(out, '--workers', '1', '--runs', String(10 * PLANNED));
    const line = new RegExp(`(\\d+)/${10 * PLANNED} runs`);
    await waitFor('a progress line', () => line.test(r.stderr()), r);
    const shown = Number(line.exec(r.stderr())![1]);
    r.child.kill('SIGINT');
    const { code } = await within(r.exited, 60_000, 'after SIGINT');
    expect(code, r.stderr()).toBe(130);
    const done = expectGracefulPartialResults(out, 10 * PLANNED);
    expect(done).toBeGreaterThanOrEqual(shown);
    expect(readdirSync(out)).not.toContain('runs.csv');
  });
});

describe('a second signal: quit at once', () => {
  it('exits 130 promptly, leaving no results under final names and no temporary files', async () => {
    const out = join(dir, 'twice');
    // Batches of 100,000 runs: finishing the 8 in flight after the first signal takes seconds,
    // so the second signal surely arrives before a graceful stop could write anything.
    const r = start(out, '--runs-csv', '--batch-size', '100000');
    // The temporary runs.csv appears once the signal handlers are installed.
    await waitFor('the run to start', () => tmpFiles(out).length > 0, r);
    await new Promise((res) => setTimeout(res, 300));
    r.child.kill('SIGINT');
    // Far enough apart that the two are not merged into one pending signal.
    await new Promise((res) => setTimeout(res, 300));
    expect(r.child.exitCode, 'still running after the first signal').toBeNull();
    const sentAt = Date.now();
    r.child.kill('SIGINT');
    const { code, at } = await within(r.exited, 30_000, 'after the second SIGINT');
    expect(code, r.stderr()).toBe(130);
    expect(at - sentAt).toBeLessThan(5000);
    const files = existsSync(out) ? readdirSync(out) : [];
    for (const f of ['runs.csv', 'manifest.json', 'summary.csv', 'joiners.csv', 'sizes.csv'])
      expect(files, f).not.toContain(f);
    expect(tmpFiles(out)).toEqual([]);
  });
});
