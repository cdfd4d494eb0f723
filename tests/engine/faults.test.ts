/**
 * Faults under load, with real processes (issue 11): a batch that throws, a worker thread that
 * dies, a disk that fills up (a small tmpfs, mounted where the tests run as root), an
 * unwritable output folder, a folder removed mid-run, a closed stdout. Each ends in one clear
 * line with the right exit code, without a hang, a stack trace, a temporary file or a result
 * under a final name; where runs were done, the checkpoint kept resumes to the bytes of an
 * uninterrupted run. Worker faults are injected by ENTANGLE_TEST_FAULT (src/engine/worker.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  entangle,
  filesIn,
  killAll,
  manifest,
  oneLine,
  ROOT,
  resultBytes,
  start,
  tempFiles,
  waitFor,
  within,
} from './process.js';

let dir: string;
let reference: string;
const RESULTS = ['summary.csv', 'joiners.csv', 'sizes.csv', 'runs.csv', 'manifest.json'];

// 20 batches of 1000 runs (~1.7 MB of runs.csv) on 2 workers.
const args = (out: string, ...extra: string[]) => [
  'run',
  'configs/tight.yaml',
  '--runs',
  '20000',
  '--workers',
  '2',
  '--out',
  out,
  '--runs-csv',
  '--quiet',
  ...extra,
];

/** One line, no stack trace, no "bug" wording; returns the line. */
function expectOneLine(stderr: string): string {
  const { line, lines, stack } = oneLine(stderr);
  expect(lines, stderr).toBe(1);
  expect(stack, stderr).toBe(false);
  expect(line).not.toMatch(/unexpected error|a bug/i);
  return line;
}

/** No result under a final name, no temporary file. */
function expectNoResults(out: string): void {
  const files = filesIn(out);
  for (const f of RESULTS) expect(files, f).not.toContain(f);
  expect(tempFiles(out)).toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-faults-'));
  reference = join(dir, 'reference');
  const r = await entangle(args(reference));
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => {
  killAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['throw@0:3', 3, 'a batch throws'],
  ['exit@0:2', 2, 'the worker thread exits'],
])('ENTANGLE_TEST_FAULT=%s', (fault, batch, what) => {
  it(`fails cleanly when ${what}, and --resume finishes the run`, async () => {
    const out = join(dir, fault.replace(/[@:]/g, '-'));
    const r = await entangle(args(out), { ENTANGLE_TEST_FAULT: fault }, 60_000);
    expect(r.hung, 'the run hung').toBe(false);
    expect(r.code).toBe(1);
    const line = expectOneLine(r.stderr);
    expect(line).toMatch(/\bcell 0\b/);
    // A worker that dies loses the tasks it held (up to two): the message names their batches.
    expect(line).toMatch(new RegExp(`\\bbatch(es)? ([\\d–]+ or )*${batch}\\b`));
    expect(line).toMatch(/fail|stopp|error|died|exit/i);
    expect(line).toMatch(/kept in .*checkpoint\.json.*--resume/);
    expectNoResults(out);
    const resumed = await entangle(['run', 'configs/tight.yaml', '--resume', out, '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resultBytes(out)).toEqual(resultBytes(reference));
  });
});

describe('unwritable output folders: refused before anything runs, exit 2, one line', () => {
  it('a file in the way', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const out = join(file, 'results');
    const r = await entangle(args(out));
    expect(r.code, r.stderr).toBe(2);
    expect(expectOneLine(r.stderr)).toMatch(new RegExp(`${out}.*(ENOTDIR|EEXIST)`));
  });

  it('a folder without write permission (or a read-only file system, as root)', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    const root = process.getuid?.() === 0;
    // Root ignores permissions: a read-only tmpfs stands in for them.
    if (root) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', locked]);
    else chmodSync(locked, 0o555);
    try {
      const out = join(locked, 'results');
      const r = await entangle(args(out));
      expect(r.code, r.stderr).toBe(2);
      expect(expectOneLine(r.stderr)).toMatch(new RegExp(`${out}.*(EROFS|EACCES)`));
    } finally {
      if (root) execFileSync('umount', [locked]);
      else chmodSync(locked, 0o755);
    }
  });
});

describe('a folder removed during the run', () => {
  it('ends in one line naming the path and the cause, exit 1, no hang', async () => {
    const out = join(dir, 'removed');
    const r = start(args(out, '--runs', '2000000'));
    await waitFor(
      'the first rows',
      () =>
        filesIn(out).includes('checkpoint-runs.csv') &&
        statSync(join(out, 'checkpoint-runs.csv')).size > 1000,
      r,
    );
    rmSync(out, { recursive: true, force: true });
    const { code } = await within(r.exited, 60_000, 'after the folder was removed');
    expect(code, r.stderr()).toBe(1);
    expect(expectOneLine(r.stderr())).toMatch(new RegExp(`${out}.*ENOENT`));
  });
});

describe('a closed stdout (entangle run … | head -1)', () => {
  it.each([1, 2, 3])('ends quietly with complete results on disk (try %i)', async (i) => {
    const out = join(dir, `epipe-${i}`);
    const line = `set -o pipefail; ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} run configs/tight.yaml --runs 2000 --workers 1 --out ${JSON.stringify(out)} | head -c 1 >/dev/null`;
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', line], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect([0, 141], result.stderr).toContain(result.code);
    expect(result.stderr).not.toMatch(/^\s+at |unexpected error|EPIPE/m);
    expect(manifest(out).complete).toBe(true);
  });
});

// A tmpfs the test mounts itself: only where it runs as root (and mounting is allowed).
function mountTmpfs(at: string, size: string): boolean {
  if (process.getuid?.() !== 0) return false;
  mkdirSync(at, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a full disk', () => {
  let disk: string;
  let mounted = false;
  beforeAll(() => {
    disk = join(dir, 'disk');
    mounted = mountTmpfs(disk, '1m');
    if (!mounted)
      console.info('faults.test.ts: not root (or mounting refused): the full-disk tests are skipped');
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [disk]);
  });

  it('ends in one line (ENOSPC, the path), exit 1, and resumes once space is freed', async (ctx) => {
    if (!mounted) ctx.skip();
    const out = join(disk, 'run');
    const r = await entangle(args(out), {}, 60_000);
    expect(r.code, r.stderr).toBe(1);
    const line = expectOneLine(r.stderr);
    expect(line).toMatch(new RegExp(`${out}/.*no space left.*ENOSPC`));
    expectNoResults(out);
    // Free space (a bigger tmpfs), then resume: the bytes of an uninterrupted run.
    execFileSync('mount', ['-o', 'remount,size=8m', disk]);
    try {
      const resumed = await entangle(['run', 'configs/tight.yaml', '--resume', out, '--quiet']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resultBytes(out)).toEqual(resultBytes(reference));
    } finally {
      rmSync(out, { recursive: true, force: true });
      execFileSync('mount', ['-o', 'remount,size=1m', disk]);
    }
  });

  it('a folder on a disk already full is refused before the run, exit 2', async (ctx) => {
    if (!mounted) ctx.skip();
    const filler = join(disk, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(2 << 20));
    } catch {
      // Filled up to the last block, as intended.
    }
    const out = join(disk, 'full');
    const r = await entangle(args(out));
    expect(r.code, r.stderr).toBe(2);
    expect(expectOneLine(r.stderr)).toMatch(new RegExp(`${out}.*ENOSPC`));
    rmSync(filler, { force: true });
  });

  it('--force over older results on a filling disk leaves no older manifest beside the failure', async (ctx) => {
    if (!mounted) ctx.skip();
    const out = join(disk, 'older');
    const small = await entangle(['run', 'configs/tight.yaml', '--runs', '100', '--out', out, '--quiet']);
    expect(small.code, small.stderr).toBe(0);
    const r = await entangle(args(out, '--force'), {}, 60_000);
    expect(r.code, r.stderr).toBe(1);
    expect(filesIn(out)).not.toContain('manifest.json');
    expect(readFileSync(join(out, 'checkpoint.json'), 'utf8')).toMatch(/"runs_per_cell":20000/);
    rmSync(out, { recursive: true, force: true });
  });
});
