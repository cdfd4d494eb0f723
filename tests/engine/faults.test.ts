/**
 * A batch that fails (its worker throws, or the worker thread dies) fails the run: exit code 1,
 * one clear line naming the cell and the batch, no hang, and no file under a final name or a
 * temporary name left behind. Faults are injected by the worker's test hook,
 * ENTANGLE_TEST_FAULT=throw@CELL:BATCH or exit@CELL:BATCH.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-faults-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with a fault; kills it (and fails) if it has not exited after `limitMs`. */
function runWithFault(
  fault: string,
  out: string,
  limitMs = 30_000,
): Promise<{ code: number | null; stderr: string; hung: boolean }> {
  return new Promise((resolve, reject) => {
    // 20 batches of 1000 runs on 2 workers; the fault hits an early batch while others are in flight.
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        'configs/tight.yaml',
        '--runs',
        '20000',
        '--batch-size',
        '1000',
        '--workers',
        '2',
        '--out',
        out,
        '--runs-csv',
        '--quiet',
      ],
      { cwd: ROOT, env: { ...process.env, ENTANGLE_TEST_FAULT: fault }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    let hung = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, hung });
    });
  });
}

describe.concurrent.each([
  ['throw@0:3', 3, 'a batch throws'],
  ['exit@0:2', 2, 'the worker thread exits'],
])('ENTANGLE_TEST_FAULT=%s', (fault, batch, what) => {
  it(`fails cleanly when ${what}`, async () => {
    const out = join(dir, fault.replace(/[@:]/g, '-'));
    const { code, stderr, hung } = await runWithFault(fault, out);
    expect(hung, 'the run hung').toBe(false);
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/\bcell 0\b/);
    expect(lines[0]).toMatch(new RegExp(`\\bbatch ${batch}\\b`));
    expect(lines[0]).toMatch(/fail|stopp|error|died|exit/i);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/unexpected error|a bug/i);
    // Nothing under a final name (the folder may exist, but empty of results) and no temporary files.
    const files = existsSync(out) ? readdirSync(out) : [];
    for (const f of ['summary.csv', 'joiners.csv', 'sizes.csv', 'runs.csv', 'manifest.json'])
      expect(files).not.toContain(f);
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
