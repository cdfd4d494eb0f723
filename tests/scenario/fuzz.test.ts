/**
 * Fuzzed input (issue 11, item 5): the scenario, experiment, wars-file and partial.json readers
 * get thousands of mutated inputs — deleted keys, wrong types, unknown ids, huge and tiny
 * numbers, NaN, deep nesting, random bytes, YAML aliases — and must either refuse them with
 * one InputError line naming the file (exit 2 in the CLI) or give a valid result that runs;
 * never another exception (a crash), a hang or partial output. The bulk runs in-process; a
 * handful go through the real CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as yamlText } from 'yaml';
import { BatchRunner } from '../../src/engine/batch.js';
import { InputError } from '../../src/errors.js';
import { checkDesignSize, checkPlanSize } from '../../src/experiment/limits.js';
import { buildPlan } from '../../src/experiment/plan.js';
import { readPartial } from '../../src/output/partial.js';
import { experimentFromData } from '../../src/scenario/experiment.js';
import { parseScenario } from '../../src/scenario/load.js';
import { parseStructuredText } from '../../src/scenario/read.js';
import { checkSweepValues } from '../../src/scenario/sweep-values.js';
import { parseWars } from '../../src/scenario/wars.js';
import { CLI, ROOT } from '../engine/process.js';

let dir: string;
let partialSeed: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-fuzz-'));
  writeFileSync(join(dir, 'scenario.yaml'), yamlText(SCENARIO));
  // A real shard's partial.json to mutate.
  const shard = join(dir, 'shard');
  execFileSync(
    process.execPath,
    [
      CLI,
      'run',
      'configs/tight.yaml',
      '--runs',
      '600',
      '--batch-size',
      '100',
      '--shard',
      '1/2',
      '--workers',
      '1',
      '--quiet',
      '--out',
      shard,
    ],
    { cwd: ROOT },
  );
  partialSeed = readFileSync(join(shard, 'partial.json'), 'utf8');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const SCENARIO = {
  name: 'Fuzz base',
  states: [
    { id: 'AAA', capability: 0.3, greatPower: true },
    { id: 'BBB', capability: 0.25, greatPower: true },
    { id: 'CCC', capability: 0.05 },
    { id: 'DDD', capability: 0.1 },
  ],
  borders: [
    ['AAA', 'CCC'],
    ['BBB', 'DDD'],
  ],
  alliances: [
    { name: 'North', type: 'defense', members: ['AAA', 'CCC'], nonprovocation: true },
    { name: 'South', type: 'offense', members: ['BBB', 'DDD'], reliability: 0.9 },
    { name: 'Guarantee', type: 'defense', members: ['BBB', 'CCC'], guarantors: ['BBB'] },
  ],
  crisis: { initiator: 'DDD', target: 'CCC' },
  params: { offenseDominance: 0.8, 'reliability.entente': 0.4 },
};

const EXPERIMENT = {
  name: 'fuzz experiment',
  seed: 3,
  runs: 40,
  batchSize: 20,
  scenarios: ['scenario.yaml', { generator: 'blocs', states: 8, tightness: 0.5, perRun: true }],
  sweep: { offenseDominance: [0.2, 0.8], settlement: { from: 0.1, to: 0.3, step: 0.1 } },
  params: { borderHazard: 0.05 },
};

/** Values that break things: wrong types, extremes, NaN, unknown ids, deep nesting. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -1,
    0,
    1e308,
    -1e308,
    5e-324,
    2 ** 53,
    1e9,
    0.5,
    '',
    'XYZ',
    'AAA',
    null,
    true,
    [],
    {},
    [['AAA', 'XYZ']],
  ),
  // Deep nesting, up to 1000 levels (deeper than any reader should recurse).
  fc.constantFrom(10, 100, 1000).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  }),
);

/** Every path to a value inside a plain structure. */
function paths(
  value: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...at, i], out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

type Mutation = { pick: number; op: 'delete' | 'replace' | 'rename'; value: unknown };
const mutations = fc.array(
  fc.record({
    pick: fc.nat(),
    op: fc.constantFrom('delete', 'replace', 'rename'),
    value: nasty,
  }) as fc.Arbitrary<Mutation>,
  { minLength: 1, maxLength: 4 },
);

/** The base structure with the mutations applied (a fresh copy). */
function mutate(base: unknown, ms: Mutation[]): unknown {
  let root = structuredClone(base) as unknown;
  for (const m of ms) {
    const all = paths(root);
    const path = all[m.pick % all.length]!;
    if (path.length === 0) {
      root = m.op === 'replace' ? structuredClone(m.value) : root;
      continue;
    }
    type Node = Record<string | number, unknown> & unknown[];
    const parent = path.slice(0, -1).reduce((o, k) => (o as Node)[k], root) as Node;
    const key = path[path.length - 1]!;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (m.op === 'replace')
      parent[key] = structuredClone(m.value); // a copy: a value never contains itself
    else if (!Array.isArray(parent)) {
      parent[`${String(key)}x`] = parent[key];
      delete parent[key];
    }
  }
  return root;
}

/** Text of the data as YAML (NaN and Infinity survive there) or JSON (also valid YAML, for nesting too deep for the YAML writer). */
function asText(data: unknown, json: boolean): string {
  if (!json) {
    try {
      return yamlText(data, { aliasDuplicateObjects: false });
    } catch {
      // The yaml library's writer recurses; JSON text is YAML too.
    }
  }
  return JSON.stringify(data) ?? 'null';
}

/** Calls a reader: it returns, or throws one InputError line naming the file; anything else fails the test. */
function refusedOrValid<T>(file: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(err.message, err.message).not.toContain('\n');
    expect(err.message.startsWith(file), err.message).toBe(true);
    return undefined;
  }
}

describe('scenario files', () => {
  it('mutated scenarios are refused in one line or compile and run', () => {
    let valid = 0;
    fc.assert(
      fc.property(mutations, fc.boolean(), (ms, json) => {
        const file = join(dir, json ? 'mutated.json' : 'mutated.yaml');
        const text = asText(mutate(SCENARIO, ms), json);
        const scenario = refusedOrValid(file, () => parseScenario(text, file));
        if (!scenario) return;
        const plan = refusedOrValid(file, () =>
          buildPlan(
            { name: 'fuzz', file, scenarios: [{ kind: 'file', file, scenario }], sweep: {} },
            { runs: 20, seed: 1, version: 'fuzz' },
          ),
        );
        if (!plan) return;
        const { stats } = new BatchRunner(plan).run({ cell: 0, batch: 0, first: 0, count: 20 }, true);
        expect(stats.every(Number.isFinite)).toBe(true);
        valid++;
      }),
      { numRuns: 1500 },
    );
    // Both outcomes occur: the property is not vacuous.
    expect(valid).toBeGreaterThan(50);
  });

  it('random bytes and aliases are refused in one line', () => {
    const alias = fc.nat({ max: 14 }).map((n) => {
      const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
      for (let i = 0; i < n; i++)
        lines.push(
          `b${i}: &b${i} [${Array(9)
            .fill(i ? `*b${i - 1}` : '*a')
            .join(', ')}]`,
        );
      return lines.join('\n');
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
          alias,
        ),
        fc.boolean(),
        (text, json) => {
          const file = join(dir, json ? 'bytes.json' : 'bytes.yaml');
          refusedOrValid(file, () => parseScenario(text, file));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('experiment files', () => {
  it('mutated experiments are refused in one line or plan and run', () => {
    let valid = 0;
    fc.assert(
      fc.property(mutations, (ms) => {
        const file = join(dir, 'experiment.yaml');
        const text = asText(mutate(EXPERIMENT, ms), false);
        const plan = refusedOrValid(file, () => {
          const spec = experimentFromData(parseStructuredText(text, file), file);
          checkSweepValues(spec);
          checkDesignSize(spec);
          const p = buildPlan(spec, {
            runs: spec.runs ?? 40,
            seed: spec.seed ?? 1,
            ...(spec.batchSize ? { batchSize: spec.batchSize } : {}),
            version: 'fuzz',
          });
          checkPlanSize(p, file, { runsCsv: true, workers: 2 });
          return p;
        });
        if (!plan) return;
        const runner = new BatchRunner(plan);
        for (const cell of plan.cells.slice(0, 3)) {
          const { stats } = runner.run(
            { cell: cell.index, batch: 0, first: 0, count: Math.min(10, cell.runs) },
            true,
          );
          expect(stats.every(Number.isFinite)).toBe(true);
        }
        valid++;
      }),
      { numRuns: 600 },
    );
    expect(valid).toBeGreaterThan(30);
  });
});

describe('wars files', () => {
  const HEADER = 'war_label,start_date,init_a_ccode,init_a_side,init_b_ccode,init_b_side,joiners';
  const ROWS = [
    '1866 Seven Weeks War,1866-06-15,255,1,300,2,240:HAN:side2:1866-06-15;325:ITA:side1:1866-06-20',
    '1870 Franco-Prussian War,1870-07-19,220,2,255,1,245:BAV:side1:1870-07-19',
  ];
  const cell = fc.oneof(
    fc.string(),
    fc.constantFrom('', '1', '2', '0', '-1', '1e9', 'NaN', '"', '255', '2020-02-30', 'x:y:side3'),
  );
  it('mutated wars files are refused in one line or read', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), cell, fc.boolean(), (row, column, value, dropHeader) => {
        const lines = [HEADER, ...ROWS].map((l) => l.split(','));
        const r = lines[1 + (row % ROWS.length)]!;
        r[column % r.length] = value;
        const text = (dropHeader ? lines.slice(1) : lines).map((l) => l.join(',')).join('\n');
        const file = join(dir, 'wars.csv');
        if (refusedOrValid(file, () => parseWars(text, file))) valid++;
      }),
      { numRuns: 2000 },
    );
    expect(valid).toBeGreaterThan(50);
  });
});

describe('partial.json', () => {
  it('mutated shard files are refused in one line (naming partial.json) or read consistent', () => {
    const folder = join(dir, 'mutated-shard');
    execFileSync('mkdir', ['-p', folder]);
    const seed = JSON.parse(partialSeed);
    let valid = 0;
    fc.assert(
      fc.property(mutations, fc.boolean(), (ms, bytes) => {
        writeFileSync(
          join(folder, 'partial.json'),
          bytes ? partialSeed.slice(0, ms[0]!.pick % partialSeed.length) : JSON.stringify(mutate(seed, ms)),
        );
        const read = refusedOrValid(join(folder, 'partial.json'), () => readPartial(folder));
        if (read) {
          expect(read.cells.reduce((a, c) => a + c.runs, 0)).toBe(read.runs_done);
          valid++;
        }
      }),
      { numRuns: 600 },
    );
    // A change that keeps the file valid is rare (a key renamed where any key goes): most are refused.
    expect(valid).toBeLessThan(600);
  });
});

describe('a handful through the real CLI', () => {
  it('exit 0, or exit 2 with one line and no output folder', () => {
    const samples = fc.sample(mutations, { numRuns: 6, seed: 11 });
    for (const [i, ms] of samples.entries()) {
      const file = join(dir, `cli-${i}.yaml`);
      writeFileSync(file, asText(mutate(SCENARIO, ms), false));
      const out = join(dir, `cli-out-${i}`);
      const r = spawnSync(
        process.execPath,
        [CLI, 'run', file, '--runs', '50', '--workers', '1', '--quiet', '--out', out],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect([0, 2], r.stderr).toContain(r.status);
      if (r.status === 2) {
        expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
        expect(existsSync(out)).toBe(false);
      } else expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    }
  });
});
