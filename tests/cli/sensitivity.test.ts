/**
 * `entangle sensitivity` and the analysis that follows a run of a Sobol or Morris design, on
 * the model itself (the July crisis of 1914, small runs): a parameter that cannot move an
 * output gets indices at the noise floor; the files are the same bytes after a rerun of the
 * command and after shards are merged. Runs the built CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

let dir: string;
const europe = join(ROOT, 'configs/europe-1914.yaml');

// decisiveness (κ) only decides who prevails (MODEL.md, 7): with deterrence 0 it cannot change
// who fights, so participants_mean cannot depend on it.
const SOBOL = (extra = '') => `
name: sensitivity test
seed: 5
runs: 1000
scenarios: [${JSON.stringify(europe)}]
design: { sobol: 64${extra} }
sweep:
  offenseDominance: { from: 0, to: 1 }
  settlement: { from: 0.05, to: 0.3 }
  decisiveness: { from: 0.5, to: 2 }
`;

const read = (path: string) => readFileSync(path, 'utf8');
const rows = (path: string) => parse(read(path), { columns: true }) as Record<string, string>[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-sensitivity-'));
  writeFileSync(join(dir, 'sobol.yaml'), SOBOL());
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a run of a Sobol design', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    out = join(dir, 'sobol');
    run = await cli('run', join(dir, 'sobol.yaml'), '--out', out, '--workers', '2');
  });

  it('writes sensitivity.csv with the results, lists it in the manifest and prints the indices', () => {
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(read(join(out, 'manifest.json')));
    expect(manifest.files).toContain('sensitivity.csv');
    expect(manifest.files.at(-1)).toBe('manifest.json');
    expect(manifest.design.kind).toBe('sobol');
    expect(manifest.design.factors.map((f: { name: string }) => f.name)).toEqual([
      'offenseDominance',
      'settlement',
      'decisiveness',
    ]);
    expect(run.stdout).toMatch(/Sobol indices in 1914 World War I/);
    expect(run.stdout).toMatch(
      /Noise share \(Monte Carlo variance within cells \/ variance across cells\): .*participants_mean \d/,
    );
    expect(existsSync(join(out, 'sensitivity-s2.csv'))).toBe(false);
    const table = rows(join(out, 'sensitivity.csv'));
    expect(Object.keys(table[0]!)).toEqual([
      'scenario',
      'output',
      'parameter',
      'S1',
      'S1_lo',
      'S1_hi',
      'ST',
      'ST_lo',
      'ST_hi',
      'noise_share',
    ]);
    for (const output of ['p_contained', 'p_great_power_war', 'p_world_war', 'participants_mean'])
      expect(table.filter((r) => r.output === output)).toHaveLength(3);
  });

  it('finds decisiveness inert for participants: S1 around 0, ST at the noise floor', () => {
    const table = rows(join(out, 'sensitivity.csv'));
    const row = (parameter: string) =>
      table.find((r) => r.output === 'participants_mean' && r.parameter === parameter)!;
    const inert = row('decisiveness');
    const [s1lo, s1hi, st, stlo, sthi, noise] = ['S1_lo', 'S1_hi', 'ST', 'ST_lo', 'ST_hi', 'noise_share'].map(
      (c) => Number(inert[c]),
    );
    expect(s1lo).toBeLessThanOrEqual(0);
    expect(s1hi).toBeGreaterThanOrEqual(0);
    // Independent noise in the A and AB cells makes the Jansen estimator's expectation the noise
    // share for a parameter that does nothing: its interval covers that floor, and it is small.
    expect(stlo).toBeLessThanOrEqual(noise!);
    expect(sthi).toBeGreaterThanOrEqual(noise!);
    expect(st).toBeLessThan(0.05);
    // The same run tells a parameter that matters from it.
    expect(Number(row('offenseDominance').ST_lo)).toBeGreaterThan(0.3);
  });

  it('gives the same bytes when `entangle sensitivity` runs again on the folder', async () => {
    const before = read(join(out, 'sensitivity.csv'));
    const again = await cli('sensitivity', out, '--quiet');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    expect(read(join(out, 'sensitivity.csv'))).toBe(before);
  });

  it('gives the same bytes from merged shards, and refuses a shard on its own', async () => {
    const shards = [join(dir, 'shard-0'), join(dir, 'shard-1')];
    for (const [i, s] of shards.entries()) {
      const r = await cli('run', join(dir, 'sobol.yaml'), '--shard', `${i}/2`, '--out', s, '--quiet');
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(join(s, 'sensitivity.csv'))).toBe(false);
    }
    const merged = join(dir, 'merged');
    const m = await cli('merge', ...shards, '--out', merged, '--quiet');
    expect(m.code, m.stderr).toBe(0);
    expect(read(join(merged, 'sensitivity.csv'))).toBe(read(join(out, 'sensitivity.csv')));
    expect(JSON.parse(read(join(merged, 'manifest.json'))).files).toContain('sensitivity.csv');
    const lone = await cli('sensitivity', shards[0]!);
    expect(lone.code).toBe(2);
    expect(lone.stderr.trim()).toMatch(
      /^entangle: .*manifest\.json: shard: the results of shard 0 of 2; merge the shards first/,
    );
    expect(lone.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('second order and Morris designs', () => {
  it('write sensitivity-s2.csv, one row per output and pair of parameters', async () => {
    writeFileSync(join(dir, 's2.yaml'), SOBOL(', secondOrder: true').replace('runs: 1000', 'runs: 200'));
    const out = join(dir, 's2');
    const r = await cli('run', join(dir, 's2.yaml'), '--out', out, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const s2 = rows(join(out, 'sensitivity-s2.csv'));
    expect(Object.keys(s2[0]!)).toEqual([
      'scenario',
      'output',
      'parameter_1',
      'parameter_2',
      'S2',
      'S2_lo',
      'S2_hi',
    ]);
    expect(
      s2.filter((x) => x.output === 'p_world_war').map((x) => `${x.parameter_1}×${x.parameter_2}`),
    ).toEqual(['offenseDominance×settlement', 'offenseDominance×decisiveness', 'settlement×decisiveness']);
  });

  it('write mu, mu_star, sigma and the interval of mu_star for a Morris design', async () => {
    writeFileSync(
      join(dir, 'morris.yaml'),
      SOBOL().replace('design: { sobol: 64 }', 'design: { morris: { trajectories: 20, levels: 4 } }'),
    );
    const out = join(dir, 'morris');
    const r = await cli('run', join(dir, 'morris.yaml'), '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Morris elementary effects in 1914/);
    const table = rows(join(out, 'sensitivity.csv'));
    expect(Object.keys(table[0]!)).toEqual([
      'scenario',
      'output',
      'parameter',
      'mu',
      'mu_star',
      'sigma',
      'mu_star_lo',
      'mu_star_hi',
      'noise_share',
    ]);
    const muStar = (p: string) =>
      Number(table.find((x) => x.output === 'participants_mean' && x.parameter === p)!.mu_star);
    expect(muStar('offenseDominance')).toBeGreaterThan(5 * muStar('decisiveness'));
  });

  it('refuse a folder whose run had no such design, in one line (exit code 2)', async () => {
    const out = join(dir, 'plain');
    const r = await cli('run', europe, '--runs', '100', '--out', out, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'sensitivity.csv'))).toBe(false);
    const s = await cli('sensitivity', out);
    expect(s.code).toBe(2);
    expect(s.stderr.trim()).toMatch(
      /^entangle: .*manifest\.json: design: the run has no Sobol or Morris design; expected/,
    );
    expect(s.stderr.trim().split('\n')).toHaveLength(1);
    const none = await cli('sensitivity', join(dir, 'nowhere'));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/manifest\.json: no manifest; expected the output folder of an entangle run/);
  });
});
