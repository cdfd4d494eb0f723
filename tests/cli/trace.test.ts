/**
 * `entangle trace` replays a run with the experiment's own draws: for many runs of a scenario
 * that exercises every path (obligations, border, balancing, invasion, deterrence, a generated
 * system per run), the counts rebuilt from the trace's events equal that run's row of runs.csv.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/experiment/plan.js';
import { type TraceRecord, traceRun } from '../../src/experiment/trace.js';
import { loadInput } from '../../src/scenario/experiment.js';

const SCENARIO = `
name: every path
states:
  - { id: AAA, capability: 3, greatPower: true }
  - { id: BBB, capability: 2, greatPower: true }
  - { id: CCC, capability: 1 }
  - { id: DDD, capability: 2, greatPower: true }
  - { id: EEE, capability: 1 }
  - { id: FFF, capability: 0.5 }
  - { id: GGG, capability: 1 }
borders: [[AAA, CCC], [BBB, DDD], [CCC, EEE], [EEE, FFF], [FFF, GGG], [BBB, GGG]]
alliances:
  - { name: North, type: defense, members: [BBB, DDD] }
  - { name: South, type: offense, members: [AAA, EEE], reliability: 0.6 }
  - { name: Cross, type: entente, members: [CCC, BBB] }
  - { name: Quiet, type: neutrality, members: [GGG, AAA] }
  - { name: Truce, type: nonaggression, members: [FFF, BBB] }
  - { name: Against E, type: defense, members: [GGG, BBB], adversaries: [EEE] }
crisis: { initiator: AAA, target: BBB }
params: { borderHazard: 0.1, invasionHazard: 0.2, deterrence: 0.5, balanceHazard: 0.2, hegemonyShare: 0.4 }
`;
const EXPERIMENT = `
name: trace check
seed: 5
runs: 300
batchSize: 100
scenarios:
  - every-path.yaml
  - { generator: blocs, states: 12, greatPowers: 3, tightness: 0.7, perRun: true }
sweep:
  offenseDominance: [0.3]
`;

let dir: string;
let rows: Record<string, string>[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-trace-'));
  writeFileSync(join(dir, 'every-path.yaml'), SCENARIO);
  writeFileSync(join(dir, 'exp.yaml'), EXPERIMENT);
  execFileSync('node', [
    'dist/cli.js',
    'run',
    join(dir, 'exp.yaml'),
    '--runs-csv',
    '--quiet',
    '--workers',
    '2',
    '--out',
    join(dir, 'out'),
  ]);
  rows = parse(readFileSync(join(dir, 'out', 'runs.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** runs.csv writes 0/1 outcomes as 1/0 (or, before that convention, true/false). */
const asNumber = (v: string): number => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v));

/** The outcome counts as the events tell them, without reading the simulator's outcome. */
function countsFromEvents(t: TraceRecord): Record<string, number> {
  const entries = t.events.filter((e) => e.event === 'entry');
  const draws = t.events.filter((e) => e.event === 'commitment');
  const crisis = t.events.find((e) => e.event === 'crisis')!;
  const end = t.events.find((e) => e.event === 'end');
  const war = crisis.event === 'crisis' && crisis.attacks;
  const side1 = entries.filter((e) => e.event === 'entry' && e.side === 1).length + (war ? 1 : 0);
  const participants = entries.length + (war ? 2 : 0);
  const distinct = (kind: string) =>
    new Set(t.events.filter((e) => e.event === kind).map((e) => (e as { state: number }).state)).size;
  return {
    participants,
    participants_initiator_side: side1,
    participants_target_side: participants - side1,
    steps: end ? end.step : 0,
    war: war ? 1 : 0,
    deterred: war ? 0 : 1,
    commitments_triggered: draws.length,
    commitments_honored: draws.filter((e) => e.event === 'commitment' && e.honored).length,
    buck_passes: distinct('buckPassed'),
    cross_pressured: distinct('crossPressured'),
    initiator_prevails: end && end.event === 'end' && end.initiatorPrevails ? 1 : 0,
  };
}

describe('entangle trace', () => {
  it("the events of each replayed run add up to that run's row of runs.csv", () => {
    const plan = buildPlan(loadInput(join(dir, 'exp.yaml')), { runs: 300, seed: 5, version: 'test' });
    expect(rows.length).toBe(600);
    let wars = 0;
    for (const row of rows) {
      const t = traceRun(plan, Number(row.cell), Number(row.run));
      const counts = countsFromEvents(t);
      for (const [k, v] of Object.entries(counts))
        expect(v, `cell ${row.cell} run ${row.run}: ${k}`).toBe(asNumber(row[k]!));
      wars += counts.war!;
    }
    // Both branches of the crisis were exercised.
    expect(wars).toBeGreaterThan(0);
    expect(wars).toBeLessThan(600);
  });

  it('prints the story, and the same as JSON, through the CLI', () => {
    const row = rows.find((r) => Number(r.participants) > 3)!;
    const args = ['dist/cli.js', 'trace', join(dir, 'exp.yaml'), '--run', row.run!, '--cell', row.cell!];
    const story = execFileSync('node', args, { encoding: 'utf8' });
    expect(story).toMatch(/^Run \d+ of cell \d+/);
    expect(story).toMatch(/enters on the (initiator|target)'s side/);
    const json = JSON.parse(execFileSync('node', [...args, '--json'], { encoding: 'utf8' }));
    expect(json.outcome.participants).toBe(Number(row.participants));
  });

  it('refuses a cell the experiment does not have, in one line (exit 2)', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync('node', ['dist/cli.js', 'trace', join(dir, 'exp.yaml'), '--run', '0', '--cell', '9'], {
        stdio: 'pipe',
      });
    } catch (err) {
      status = (err as { status: number }).status;
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/--cell: expected a cell from 0 to 1/);
  });
});
