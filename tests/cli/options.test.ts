/**
 * Repeated numeric options: the last one given wins, as a user retyping a command expects.
 * (yargs' own number parsing once turned `--workers 2 --workers 1` into 3 workers.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'entangle-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('numeric options given twice', () => {
  it('take the last value', async () => {
    const { stderr } = await run(process.execPath, [
      CLI,
      'run',
      join(ROOT, 'configs/tight.yaml'),
      '--runs',
      '500',
      '--runs',
      '700',
      '--workers',
      '2',
      '--workers',
      '1',
      '--out',
      join(dir, 'out'),
    ]);
    expect(stderr).toMatch(/× 700 runs/);
    expect(stderr).toMatch(/\b1 worker\b/);
  });

  it('still refuse what is not a whole number, exit 2', async () => {
    const err = await run(process.execPath, [
      CLI,
      'run',
      join(ROOT, 'configs/tight.yaml'),
      '--runs',
      '1e3',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
  });
});
