/**
 * Interrupting a run, with real processes and real signals (DESIGN.md: an interrupted run never
 * leaves a half-written CSV that looks complete). The first SIGINT or SIGTERM while computing
 * stops submitting, lets the tasks in flight finish and writes everything finished with
 * manifest `"complete": false`, the checkpoint kept, exit code 130; the first while writing
 * lets the writing finish (exit 0: the results are complete); a second signal quits at once,
 * leaving no file under a final name and no temporary file, the checkpoint kept.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesIn, killAll, manifest, type Running, start, tempFiles, waitFor, within } from './process.js';

// configs/tight.yaml runs at well under 500,000 runs per core-second, so 2,000,000 runs take
// over 2 s on two workers: every signal below arrives mid-run.
const PLANNED = 2_000_000;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-signals-'));
});

afterAll(() => {
  killAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (out: string, ...extra: string[]): Running =>
  start(['run', 'configs/tight.yaml', '--runs', String(PLANNED), '--workers', '2', '--out', out, ...extra]);

/** The rows of runs.csv grow past the header while the run goes on. */
const rowsWritten = (out: string) => () =>
  filesIn(out).includes('checkpoint-runs.csv') && statSync(join(out, 'checkpoint-runs.csv')).size > 1000;

function csvRows(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** The checks shared by every graceful interruption; returns runs_done. */
function expectGracefulPartialResults(out: string, planned = PLANNED): number {
  const files = filesIn(out);
  for (const f of ['summary.csv', 'joiners.csv', 'sizes.csv', 'manifest.json', 'checkpoint.json'])
    expect(files, f).toContain(f);
  expect(tempFiles(out)).toEqual([]);
  const m = manifest(out);
  expect(m.complete).toBe(false);
  expect(m.files).toContain('checkpoint.json');
  expect(m.runs_planned).toBe(planned);
  const done = m.runs_done as number;
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(planned);
  const summary = csvRows(join(out, 'summary.csv'));
  expect(summary).toHaveLength(1);
  expect(Number(summary[0]!.runs)).toBe(done);
  // sizes.csv describes exactly the runs done, and so does the checkpoint kept for --resume.
  expect(csvRows(join(out, 'sizes.csv')).reduce((a, r) => a + Number(r.runs), 0)).toBe(done);
  expect(JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')).runs_done).toBe(done);
  return done;
}

describe('one signal while computing: finish the tasks in flight, write what is done', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: exit 130, partial results marked incomplete, runs.csv matching them',
    async (signal) => {
      const out = join(dir, signal);
      const r = run(out, '--runs-csv');
      await waitFor('the first rows', rowsWritten(out), r);
      r.child.kill(signal);
      const { code } = await within(r.exited, 60_000, `after ${signal}`);
      expect(code, r.stderr()).toBe(130);
      expect(r.stderr()).not.toMatch(/^\s+at /m);
      expect(r.stdout()).toMatch(/--resume/);
      const done = expectGracefulPartialResults(out);
      const runs = csvRows(join(out, 'runs.csv'));
      expect(runs).toHaveLength(done);
      // The runs done are the first batches in order: runs 0 … done − 1.
      expect(runs.filter((row, i) => row.cell !== '0' || row.run !== String(i)).slice(0, 3)).toEqual([]);
    },
  );

  it('without --runs-csv too, after the first progress line', async () => {
    const out = join(dir, 'sigint-no-runs-csv');
    // One worker and ten times the runs (the later option wins): the first plain progress line
    // comes after ~5 s, and the run must still be far from done when the signal arrives.
    const r = run(out, '--workers', '1', '--runs', String(10 * PLANNED));
    const line = new RegExp(`(\\d+)/${10 * PLANNED} runs`);
    await waitFor('a progress line', () => line.test(r.stderr()), r);
    const shown = Number(line.exec(r.stderr())![1]);
    r.child.kill('SIGINT');
    const { code } = await within(r.exited, 60_000, 'after SIGINT');
    expect(code, r.stderr()).toBe(130);
    const done = expectGracefulPartialResults(out, 10 * PLANNED);
    expect(done).toBeGreaterThanOrEqual(shown);
    expect(filesIn(out)).not.toContain('runs.csv');
  });
});

describe('a second signal: quit at once', () => {
  it('exits 130 promptly, leaving no results under final names, no temporary files, the checkpoint', async () => {
    const out = join(dir, 'twice');
    // Batches of 100,000 runs: finishing those in flight after the first signal takes seconds,
    // so the second signal surely arrives before a graceful stop could write anything.
    const r = run(out, '--runs-csv', '--batch-size', '100000');
    await waitFor('the run to start', () => filesIn(out).includes('checkpoint.json'), r);
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
    for (const f of ['runs.csv', 'manifest.json', 'summary.csv', 'joiners.csv', 'sizes.csv'])
      expect(filesIn(out), f).not.toContain(f);
    expect(tempFiles(out)).toEqual([]);
    expect(filesIn(out)).toContain('checkpoint.json');
    expect(r.stderr()).toMatch(/kept in .*checkpoint\.json.*--resume/);
  });
});

describe('signals while the results are being written', () => {
  // The test hook holds the publication with every file written under its temporary name.
  const PAUSE = { ENTANGLE_TEST_PUBLISH_PAUSE_MS: '1500' };
  const writing = (out: string) => () => tempFiles(out).some((f) => f.startsWith('summary.csv'));
  const small = (out: string) =>
    start(
      ['run', 'configs/tight.yaml', '--runs', '20000', '--workers', '1', '--runs-csv', '--out', out],
      PAUSE,
    );

  it('one SIGTERM: the writing finishes, the results are complete, exit 0', async () => {
    const out = join(dir, 'term-writing');
    const r = small(out);
    await waitFor('the write phase', writing(out), r);
    r.child.kill('SIGTERM');
    const { code } = await within(r.exited, 30_000, 'after SIGTERM');
    expect(code, r.stderr()).toBe(0);
    expect(r.stderr()).toMatch(/SIGTERM: finishing writing/);
    expect(manifest(out).complete).toBe(true);
    expect(tempFiles(out)).toEqual([]);
    expect(filesIn(out)).not.toContain('checkpoint.json');
    expect(csvRows(join(out, 'runs.csv'))).toHaveLength(20_000);
  });

  it('two SIGTERMs: stopped at once, no temporary file, no manifest, the checkpoint holds every run', async () => {
    const out = join(dir, 'term-term-writing');
    const r = small(out);
    await waitFor('the write phase', writing(out), r);
    r.child.kill('SIGTERM');
    await new Promise((res) => setTimeout(res, 300));
    r.child.kill('SIGTERM');
    const { code } = await within(r.exited, 30_000, 'after two SIGTERMs');
    expect(code, r.stderr()).toBe(130);
    expect(tempFiles(out)).toEqual([]);
    expect(filesIn(out)).not.toContain('manifest.json');
    expect(JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')).runs_done).toBe(20_000);
  });
});
