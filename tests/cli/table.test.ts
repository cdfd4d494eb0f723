/**
 * Tables on the terminal (src/cli/table.ts, summary-table.ts): they fit the width they are
 * given, the scenario column shortened in the middle, numbers right-aligned, more columns on
 * wider terminals and fewer on narrower ones; one label per outcome in every command.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/cli/summary-table.js';
import { layoutTable, middleEllipsis, OUTCOME_LABELS, textTable } from '../../src/cli/table.js';
import { BOOLEAN_FIELDS, CellAggregate, COUNT_FIELDS } from '../../src/experiment/aggregate.js';
import type { PlanInfo } from '../../src/experiment/plan.js';
import { cloneParams } from '../../src/model/params.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const width = (line: string) => [...line].length;
const LONG = '1914 World War I: Austria-Hungary attacks Serbia (COW: YUG)';

/** A cell's aggregate with the given counts of runs where each 0/1 outcome held, and participants. */
function aggregate(runs: number, trues: Record<string, number>, participants: Record<number, number>) {
  const a = new CellAggregate(4);
  a.runs = runs;
  for (const [f, n] of Object.entries(trues)) a.trues[BOOLEAN_FIELDS.indexOf(f as never)] = n;
  const h = a.histograms[COUNT_FIELDS.indexOf('participants')]!;
  for (const [v, n] of Object.entries(participants)) h[Number(v)] = n;
  for (let v = 0; v < h.length; v++) h[v] ??= 0;
  return a;
}

function plan(scenarios: string[], runs: number[]): PlanInfo {
  return {
    name: 'test',
    seed: 1,
    runs: Math.max(...runs),
    batchSize: 1000,
    sweepKeys: [],
    hash: '',
    version: 'test',
    cells: scenarios.map((scenario, index) => ({
      index,
      scenario,
      point: {},
      params: cloneParams(),
      stateIds: ['A', 'B', 'C', 'D'],
      stateNames: ['A', 'B', 'C', 'D'],
      runs: runs[index]!,
      batches: 1,
    })),
  };
}

const twoCells = () => ({
  plan: plan([LONG, 'loose (0.2), new system every run'], [2000, 2000]),
  aggregates: [
    aggregate(2000, { contained: 172, great_power_war: 362, world_war: 0 }, { 2: 172, 5: 1828 }),
    aggregate(2000, { contained: 1160, great_power_war: 84, world_war: 0 }, { 2: 1160, 4: 840 }),
  ],
});

describe('summaryTable', () => {
  it('fits 80 columns: cell, scenario shortened in the middle, the main shares and mean participants', () => {
    const { plan: p, aggregates } = twoCells();
    const lines = summaryTable(p, aggregates, 80).split('\n');
    for (const line of lines) expect(width(line), line).toBeLessThanOrEqual(80);
    const text = lines.join('\n');
    // Shares by hand: 172/2000 = 8.6 %, 362/2000 = 18.1 %; participants (172·2 + 1828·5)/2000.
    expect(text).toMatch(/ 8\.6%/);
    expect(text).toMatch(/18\.1%/);
    expect(text).toContain(((172 * 2 + 1828 * 5) / 2000).toFixed(2));
    // The scenario keeps its start and its end around one ellipsis.
    const row = lines.find((l) => /^\s+0\s/.test(l))!;
    expect(row).toMatch(/ 1914 World War.*….*\(COW: YUG\) /);
    // Labels on one or two lines above their values; no interval columns at 80.
    expect(text).toMatch(/contained/);
    expect(text).toMatch(/great-power\s/);
    expect(text).not.toContain('95% CI');
  });

  it('right-aligns the numbers under their headers', () => {
    const { plan: p, aggregates } = twoCells();
    const lines = summaryTable(p, aggregates, 80).split('\n');
    const header = lines.find((l) => l.includes('contained'))!;
    const end = header.indexOf('contained') + 'contained'.length;
    for (const row of lines.filter((l) => /^\s+\d\s/.test(l))) expect(row[end - 1], row).toBe('%');
  });

  it('shows more on a wider terminal (the intervals, whole names) and less on a narrower one', () => {
    const { plan: p, aggregates } = twoCells();
    const wide = summaryTable(p, aggregates, 200);
    expect(wide).toContain('95% CI');
    expect(wide).toContain(LONG);
    for (const label of ['contained', 'deterred', 'great-power war', 'world war', 'mean participants'])
      expect(wide).toContain(label);
    const columns = (t: string) =>
      t
        .split('\n')
        .filter((l) => /^\s+0\s/.test(l))[0]!
        .trim()
        .split(/\s{2,}/).length;
    const narrow = summaryTable(p, aggregates, 50);
    for (const line of narrow.split('\n')) expect(width(line), line).toBeLessThanOrEqual(50);
    expect(columns(narrow)).toBeLessThan(columns(summaryTable(p, aggregates, 80)));
    expect(columns(summaryTable(p, aggregates, 80))).toBeLessThan(columns(wide));
  });

  it('shows P(deterred) at 80 columns when a run was deterred, after P(contained)', () => {
    const p = plan(['deterrence'], [1000]);
    const text = summaryTable(p, [aggregate(1000, { contained: 600, deterred: 250 }, { 2: 1000 })], 80);
    const header = text.split('\n').find((l) => l.includes('contained'))!;
    expect(header.indexOf('deterred')).toBeGreaterThan(header.indexOf('contained'));
    expect(text).toContain('25.0%');
  });

  it('an interrupted run: a runs column, cells not begun left blank, shares still right-aligned', () => {
    const p = plan(['tight (0.9), system 7', 'loose (0.2), system 7'], [5000, 5000]);
    const text = summaryTable(p, [aggregate(3000, { contained: 3 }, { 20: 3000 }), aggregate(0, {}, {})], 80);
    const lines = text.split('\n');
    const header = lines.find((l) => l.includes('runs'))!;
    const [first, second] = lines.filter((l) => /^\s+\d\s/.test(l));
    expect(first).toMatch(/\s3000\s+0\.1%/);
    expect(second!.trimEnd()).toMatch(/\s0$/);
    expect(first![header.indexOf('contained') + 'contained'.length - 1]).toBe('%');
  });
});

describe('layoutTable and textTable', () => {
  it('shortens in the middle', () => {
    expect(middleEllipsis('tight (0.9), new system every run', 15)).toBe('tight (…ery run');
    expect(middleEllipsis('short', 15)).toBe('short');
  });

  it('leaves out the columns of highest priority first, never those of priority 0', () => {
    const columns = [
      { label: 'name', align: 'left' as const },
      { label: 'first', align: 'right' as const, priority: 1 },
      { label: 'second', align: 'right' as const, priority: 2 },
    ];
    const rows = [['x'.repeat(10), '1', '2']];
    expect(layoutTable(columns, rows, 80)).toContain('second');
    const narrow = layoutTable(columns, rows, 19);
    expect(narrow).toContain('first');
    expect(narrow).not.toContain('second');
    expect(layoutTable(columns, rows, 5)).toMatch(/^name/);
  });

  it('right-aligns a column of numbers with empty cells in it', () => {
    const t = textTable(
      ['war', 'auc'],
      [
        ['1914', '0.812'],
        ['1866', ''],
        ['overall', '–'],
      ],
    );
    const lines = t.split('\n');
    expect(lines[0]!.endsWith('  auc')).toBe(true);
    expect(lines[1]!.endsWith('0.812')).toBe(true);
    expect(lines[3]!.endsWith('    –')).toBe(true);
  });
});

describe('one label per outcome in run and compare', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-labels-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[], columns: number) =>
    new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(ROOT, 'dist/cli.js'), ...args],
        { cwd: ROOT, env: { ...process.env, COLUMNS: String(columns) } },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );

  it('names contained, great-power war, world war and mean participants alike', async () => {
    const [run, compare] = await Promise.all([
      cli(
        ['run', 'configs/tight.yaml', '--runs', '200', '--workers', '1', '-q', '--out', join(dir, 'run')],
        200,
      ),
      cli(
        [
          'compare',
          'configs/tight.yaml',
          'configs/loose.yaml',
          '--runs',
          '200',
          '--workers',
          '1',
          '--out',
          join(dir, 'cmp'),
        ],
        80,
      ),
    ]);
    // -q prints no table; the same run without it:
    expect(run).toBe('');
    const table = await cli(
      ['run', 'configs/tight.yaml', '--runs', '200', '--workers', '1', '--out', join(dir, 'run2')],
      200,
    );
    for (const field of ['contained', 'great_power_war', 'world_war', 'participants']) {
      const label = OUTCOME_LABELS[field]!;
      expect(table.split('\n')[0], label).toContain(label);
      expect(compare, label).toMatch(new RegExp(`^\\s+0\\s+${label}\\s`, 'm'));
    }
    for (const line of compare.split('\n').filter((l) => /^\s+\d+\s/.test(l)))
      expect(width(line), line).toBeLessThanOrEqual(80);
  });
});
