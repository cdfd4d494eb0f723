/**
 * params.csv and `--param`: every cell's full parameter set — the defaults of docs/MODEL.md
 * (written out below), under the experiment's params, the scenario's, `--param` and the sweep,
 * in that order — in params.csv and in manifest.json; `--param` on run and compare; and
 * joiners.csv naming each row's scenario and state.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entangle } from '../output/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'entangle-param-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, string>;
const readCsv = (file: string): Row[] => parse(readFileSync(file, 'utf8'), { columns: true });

/** The defaults of docs/MODEL.md, as params.csv writes them. */
const DEFAULTS: Row = {
  'reliability.defense': '0.75',
  'reliability.offense': '0.75',
  'reliability.entente': '0.5',
  'reliability.neutrality': '0.78',
  'reliability.nonaggression': '0.37',
  conditionalFactor: '0.5',
  deterrence: '0',
  invasionHazard: '0.02',
  offenseDominance: '0.5',
  sufficiency: '1',
  borderHazard: '0.02',
  balanceHazard: '0.1',
  hegemonyShare: '0.5',
  settlement: '0.1',
  mediation: '0.2',
  decisiveness: '1',
  maxSteps: '48',
};

const SCENARIO = `
name: Small world
states:
  - { id: AAA, name: Avalon, capability: 3, greatPower: true }
  - { id: BBB, name: Brigant, capability: 2, greatPower: true }
  - { id: CCC, name: Corwen, capability: 1 }
borders: [[AAA, CCC], [BBB, CCC]]
alliances:
  - { name: Pact, type: defense, members: [AAA, CCC] }
crisis: { initiator: BBB, target: CCC }
params: { offenseDominance: 0.8, hegemonyShare: 0.6, reliability: { defense: 0.6 } }
`;

const EXPERIMENT = `
name: layered parameters
params: { settlement: 0.2, borderHazard: 0.03 }
scenarios: [small.yaml]
sweep:
  balanceHazard: [0, 0.2]
`;

let out: string;
beforeAll(async () => {
  writeFileSync(join(dir, 'small.yaml'), SCENARIO);
  writeFileSync(join(dir, 'layers.yaml'), EXPERIMENT);
  out = join(dir, 'run');
  const r = await entangle([
    'run',
    join(dir, 'layers.yaml'),
    '--runs',
    '200',
    '--workers',
    '1',
    '--quiet',
    '--out',
    out,
    '--param',
    'borderHazard=0.05',
    '--param',
    'hegemonyShare=0.7',
    '--param',
    'maxSteps=20',
  ]);
  expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
});

describe('params.csv', () => {
  it('holds each cell with every parameter it ran with: defaults < experiment < scenario < --param < sweep', () => {
    const layered = {
      ...DEFAULTS,
      settlement: '0.2', // the experiment's
      offenseDominance: '0.8', // the scenario's
      'reliability.defense': '0.6', // the scenario's
      borderHazard: '0.05', // --param over the experiment's 0.03
      hegemonyShare: '0.7', // --param over the scenario's 0.6
      maxSteps: '20', // --param
    };
    expect(readCsv(join(out, 'params.csv'))).toEqual([
      { cell: '0', scenario: 'Small world', ...layered, balanceHazard: '0' },
      { cell: '1', scenario: 'Small world', ...layered, balanceHazard: '0.2' },
    ]);
  });

  it('is recorded in manifest.json too, and listed among its files', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const csv = readCsv(join(out, 'params.csv'));
    expect(manifest.params.map((p: Record<string, unknown>) => Object.values(p).map(String))).toEqual(
      csv.map((r) => Object.values(r)),
    );
    expect(manifest.files).toContain('params.csv');
    expect(manifest.model).toBe('docs/MODEL.md');
  });
});

describe('joiners.csv', () => {
  it("names each row's scenario and the state beside its id", () => {
    const rows = readCsv(join(out, 'joiners.csv'));
    expect(Object.keys(rows[0]!).slice(0, 4)).toEqual(['cell', 'scenario', 'state', 'state_name']);
    expect(rows.map((r) => [r.cell, r.scenario, r.state, r.state_name])).toEqual([
      ['0', 'Small world', 'AAA', 'Avalon'],
      ['0', 'Small world', 'BBB', 'Brigant'],
      ['0', 'Small world', 'CCC', 'Corwen'],
      ['1', 'Small world', 'AAA', 'Avalon'],
      ['1', 'Small world', 'BBB', 'Brigant'],
      ['1', 'Small world', 'CCC', 'Corwen'],
    ]);
  });
});

describe('--param', () => {
  it('applies to both sides of a comparison', async () => {
    const cmp = join(dir, 'cmp');
    const small = join(dir, 'small.yaml');
    const r = await entangle([
      'compare',
      small,
      small,
      '--runs',
      '100',
      '--quiet',
      '--out',
      cmp,
      '--param',
      'deterrence=0.4',
    ]);
    expect(r.code).toBe(0);
    for (const side of ['a', 'b']) expect(readCsv(join(cmp, side, 'params.csv'))[0]!.deterrence).toBe('0.4');
  });

  it('refuses a parameter the experiment sweeps, an unknown one, or a value out of range (exit 2, one line)', async () => {
    const cases: [string, string][] = [
      ['balanceHazard=0.3', 'layers.yaml sweeps this parameter'],
      ['nonsense=1', 'unknown parameter "nonsense"'],
      ['settlement=2', '--param settlement: expected a number from 0 to 1, got "2"'],
      ['maxSteps=2.5', '--param maxSteps: expected a whole number'],
      ['borderHazard', 'expected NAME=VALUE'],
    ];
    for (const [param, message] of cases) {
      const target = join(dir, `bad-${param.replace(/\W/g, '')}`);
      const r = await entangle([
        'run',
        join(dir, 'layers.yaml'),
        '--runs',
        '10',
        '--out',
        target,
        '--param',
        param,
      ]);
      expect(r.code, param).toBe(2);
      expect(r.stderr, param).toContain(message);
      expect(r.stderr.trim().split('\n'), param).toHaveLength(1);
    }
  });
});
