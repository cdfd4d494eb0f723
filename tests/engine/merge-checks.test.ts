/**
 * `entangle merge` verifies what it merges (issue 11, item 4): a shard whose partial.json was
 * edited or damaged (statistics that do not match their checksum, counts that do not add up,
 * missing fields), or whose runs.csv is missing, short or changed when the others have one, is
 * refused in one line naming the shard and what is wrong, exit 2, nothing merged.
 */

import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellRecord, PartialFile } from '../../src/output/partial.js';
import { entangle, filesIn, manifest, oneLine, ROOT, resultBytes } from './process.js';

let dir: string;
const shard = (i: number) => join(dir, `shard-${i}`);

const EXPERIMENT = `
name: merge check
seed: 3
runs: 1500
batchSize: 250
scenarios: [${JSON.stringify(join(ROOT, 'configs/tight.yaml'))}]
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-merge-checks-'));
  const file = join(dir, 'experiment.yaml');
  writeFileSync(file, EXPERIMENT);
  await Promise.all(
    [0, 1].map(async (i) => {
      const r = await entangle([
        'run',
        file,
        '--shard',
        `${i}/2`,
        '--runs-csv',
        '--workers',
        '1',
        '--quiet',
        '--out',
        shard(i),
      ]);
      expect(r.code, r.stderr).toBe(0);
    }),
  );
  const single = await entangle([
    'run',
    file,
    '--runs-csv',
    '--workers',
    '1',
    '--quiet',
    '--out',
    join(dir, 'single'),
  ]);
  expect(single.code, single.stderr).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let copies = 0;
/** A copy of shard 1 changed by `damage`; returns its folder. */
function damaged(damage: (folder: string) => void): string {
  const folder = join(dir, `damaged-${++copies}`);
  cpSync(shard(1), folder, { recursive: true });
  damage(folder);
  return folder;
}

function editPartial(folder: string, edit: (p: PartialFile) => void, rehash = false): void {
  const file = join(folder, 'partial.json');
  const p = JSON.parse(readFileSync(file, 'utf8')) as PartialFile;
  edit(p);
  // With the checksum recomputed, the edit must be caught by the counts themselves.
  if (rehash) p.checksums.stats_sha256 = createHash('sha256').update(JSON.stringify(p.cells)).digest('hex');
  writeFileSync(file, JSON.stringify(p));
}

async function expectRefused(folder: string, mention: RegExp): Promise<void> {
  const out = join(dir, `out-${copies}`);
  const r = await entangle(['merge', shard(0), folder, '--out', out, '--quiet']);
  expect(r.code, r.stderr).toBe(2);
  const { line, lines, stack } = oneLine(r.stderr);
  expect(lines, r.stderr).toBe(1);
  expect(stack).toBe(false);
  expect(line).toContain(folder);
  expect(line).toMatch(mention);
  expect(filesIn(out).filter((f) => !f.startsWith('.'))).toEqual([]);
}

describe('merge refuses a damaged shard', () => {
  it('merges the untouched shards into the single run’s bytes (the checks pass on good data)', async () => {
    const out = join(dir, 'merged');
    const r = await entangle(['merge', shard(0), shard(1), '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(resultBytes(out)).toEqual(resultBytes(join(dir, 'single')));
    // A second merge into the same folder replaces the first.
    const again = await entangle(['merge', shard(1), shard(0), '--out', out, '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    expect(manifest(out).complete).toBe(true);
  });

  it('an edited count (checksum not updated)', async () => {
    const f = damaged((d) => editPartial(d, (p) => p.cells[0]!.histograms[0]![2]!++));
    await expectRefused(f, /checksum/);
  });

  it('a histogram that no longer adds up to the runs (checksum updated too)', async () => {
    const f = damaged((d) => editPartial(d, (p) => p.cells[0]!.histograms[0]![2]!++, true));
    await expectRefused(f, /histograms\[0\].*add up to 751, not 750 runs/);
  });

  it('more entries of a state than runs', async () => {
    const f = damaged((d) =>
      editPartial(
        d,
        (p) => {
          p.cells[0]!.enters[0] = 10_000;
        },
        true,
      ),
    );
    await expectRefused(f, /enters\[0\].*10000 entries in 750 runs/);
  });

  it('runs that are not the runs of its batches', async () => {
    const f = damaged((d) =>
      editPartial(
        d,
        (p) => {
          p.cells[0]!.runs = 700;
        },
        true,
      ),
    );
    await expectRefused(f, /cells\[0\]\.runs: 700 runs, but batches .* hold 750/);
  });

  it('a partial.json missing fields', async () => {
    const f = damaged((d) => editPartial(d, (p) => delete (p.cells[0] as Partial<CellRecord>).trues));
    await expectRefused(f, /partial\.json: cells\[0\]\.trues/);
  });

  it('a partial.json that is not JSON', async () => {
    const f = damaged((d) => writeFileSync(join(d, 'partial.json'), '{"format": "entangle-partial/3", '));
    await expectRefused(f, /JSON/);
  });

  it('a missing runs.csv', async () => {
    const f = damaged((d) => rmSync(join(d, 'runs.csv')));
    await expectRefused(f, /runs\.csv: missing/);
  });

  it('a truncated runs.csv', async () => {
    const f = damaged((d) => truncateSync(join(d, 'runs.csv'), statSync(join(d, 'runs.csv')).size - 200));
    await expectRefused(f, /short|truncated/);
  });

  it('an edited value in runs.csv', async () => {
    const f = damaged((d) => {
      const file = join(d, 'runs.csv');
      const lines = readFileSync(file, 'utf8').split('\n');
      // participants, the 4th cell of the row: a whole number.
      const cells = lines[5]!.split(',');
      cells[3] = String(Number(cells[3]) + 1);
      lines[5] = cells.join(',');
      writeFileSync(file, lines.join('\n'));
    });
    await expectRefused(f, /checksum/);
  });

  it('a shard run without --runs-csv beside one with it', async () => {
    const f = damaged((d) => {
      rmSync(join(d, 'runs.csv'));
      editPartial(d, (p) => {
        p.checksums.runs_csv = null;
      });
    });
    await expectRefused(f, /without --runs-csv/);
  });

  it('an output folder that is one of the shards', async () => {
    const r = await entangle(['merge', shard(0), shard(1), '--out', shard(1), '--quiet']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr).line).toMatch(/is one of the shard folders/);
  });

  it('an output folder holding a run’s results (not a merge) without --force', async () => {
    const r = await entangle(['merge', shard(0), shard(1), '--out', join(dir, 'single'), '--quiet']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr).line).toMatch(/holds the results of an earlier run.*--force/);
  });
});
