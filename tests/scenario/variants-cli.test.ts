/**
 * What-if treaties end to end (issue 9, item 2), through the built CLI: a variant's cells are
 * byte for byte the cells of the edited scenario written out as a file by hand, a treaty sweep
 * gives what files with that reliability give, `validate` shows the variants, and an unknown
 * alliance is one line with exit code 2.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');

const STATES = `
states:
  - { id: AAA, capability: 0.30, greatPower: true }
  - { id: BBB, capability: 0.25, greatPower: true }
  - { id: CCC, capability: 0.05 }
  - { id: DDD, capability: 0.10 }
  - { id: EEE, capability: 0.20, greatPower: true }
  - { id: FFF, capability: 0.10 }
crisis: { initiator: DDD, target: CCC }
`;

const BASE = `name: Base
${STATES}
borders: [[AAA, CCC], [BBB, DDD], [CCC, DDD], [EEE, FFF]]
alliances:
  - { name: Northern Pact, type: defense, members: [AAA, CCC], nonprovocation: true }
  - { name: "COW 9: BBB–DDD", type: offense, members: [BBB, DDD], reliability: 0.9 }
  - { name: Eastern entente, type: entente, members: [EEE, FFF, AAA] }
`;

// The variant below, applied by hand: Northern Pact removed, the entente made a firm defense
// pact, a new pact added last, one border removed and one added, EEE's capability changed.
const EDITED = `name: Base / what if
${STATES.replace('{ id: EEE, capability: 0.20, greatPower: true }', '{ id: EEE, capability: 0.35, greatPower: true }')}
borders: [[AAA, CCC], [BBB, DDD], [EEE, FFF], [FFF, CCC]]
alliances:
  - { name: "COW 9: BBB–DDD", type: offense, members: [BBB, DDD], reliability: 0.9 }
  - { name: Eastern entente, type: defense, members: [EEE, FFF, AAA], reliability: 0.95 }
  - { name: Corwen pact, type: defense, members: [CCC, FFF] }
`;

const VARIANT = `
      - name: what if
        remove: [Northern Pact]
        change: { Eastern entente: { type: defense, reliability: 0.95 } }
        add: [{ name: Corwen pact, type: defense, members: [CCC, FFF] }]
        removeBorders: [[DDD, CCC]]
        addBorders: [[FFF, CCC]]
        states: { EEE: { capability: 0.35 } }
`;

const HEAD = 'seed: 77\nruns: 3000\nbatchSize: 500\n';
const OUTPUTS = ['summary.csv', 'joiners.csv', 'sizes.csv'];

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-variants-cli-'));
  const files: Record<string, string> = {
    'base.yaml': BASE,
    'edited.yaml': EDITED,
    'with-variant.yaml': `name: v\n${HEAD}scenarios:\n  - file: base.yaml\n    variants:${VARIANT}`,
    'as-files.yaml': `name: v\n${HEAD}scenarios: [base.yaml, edited.yaml]\n`,
    'swept.yaml': `name: s\n${HEAD}scenarios: [base.yaml]\nsweep:\n  "alliance[Eastern entente].reliability": [0.2, 0.9]\n`,
    'r02.yaml': BASE.replace('members: [EEE, FFF, AAA] }', 'members: [EEE, FFF, AAA], reliability: 0.2 }'),
    'r09.yaml': BASE.replace('members: [EEE, FFF, AAA] }', 'members: [EEE, FFF, AAA], reliability: 0.9 }'),
    'swept-as-files.yaml': `name: s\n${HEAD}scenarios: [r02.yaml, r09.yaml]\n`,
    'unknown.yaml': `${HEAD}scenarios:\n  - file: base.yaml\n    variants:\n      - { name: x, remove: [Nothern Pact] }\n`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

async function run(experiment: string): Promise<Record<string, string>> {
  const out = join(dir, `out-${experiment}`);
  const r = await cli('run', experiment, '--out', out, '--quiet', '--workers', '1');
  expect(r.code, r.stderr).toBe(0);
  return Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

/** The rows of summary.csv without their third column (the swept value, which files do not have). */
const withoutSweptColumn = (csv: string) =>
  csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').toSpliced(2, 1).join(','));

describe.concurrent('variants through the CLI', () => {
  it("a variant's cells are the edited file's cells, byte for byte", async () => {
    const [variant, files] = await Promise.all([run('with-variant.yaml'), run('as-files.yaml')]);
    for (const f of OUTPUTS) expect(variant[f], f).toBe(files[f]);
    expect(variant['summary.csv']!.split('\n')[2]).toMatch(/^1,Base \/ what if,/);
  });

  it('a treaty sweep gives what files with that reliability give', async () => {
    const [swept, files] = await Promise.all([run('swept.yaml'), run('swept-as-files.yaml')]);
    expect(swept['summary.csv']!.split('\n')[0]).toMatch(
      /^cell,scenario,alliance\[Eastern entente\]\.reliability,runs,/,
    );
    expect(withoutSweptColumn(swept['summary.csv']!)).toEqual(
      files['summary.csv']!.trimEnd().split('\n').slice(1),
    );
    expect(swept['joiners.csv']).toBe(files['joiners.csv']);
    expect(swept['sizes.csv']).toBe(files['sizes.csv']);
    // The reliability matters here, so the two cells differ (else this test could not fail).
    const [, c0, c1] = swept['summary.csv']!.split('\n');
    expect(c0!.split(',').slice(3)).not.toEqual(c1!.split(',').slice(3));
  });

  it('validate lists each variant with what it changes', async () => {
    const { code, stdout } = await cli('validate', 'with-variant.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('scenario 1: Base / what if\n');
    expect(stdout).toContain(
      '  variant of "Base": removes "Northern Pact"; changes "Eastern entente" (type defense, reliability 0.95); adds "Corwen pact" (defense: CCC–FFF); removes borders DDD–CCC; adds borders FFF–CCC; changes EEE (capability 0.35)\n',
    );
    expect(stdout).toContain('cells: 2');
  });

  it('an unknown alliance is one line naming the file, the place and the near matches; exit 2, no output', async () => {
    const out = join(dir, 'out-unknown');
    const { code, stderr } = await cli('run', 'unknown.yaml', '--out', out, '--quiet');
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(
      'unknown.yaml: scenarios[0].variants[0].remove[0]: no alliance named "Nothern Pact"; nearest: "Northern Pact"',
    );
    expect(stderr).not.toMatch(/^\s*at /m);
    expect(existsSync(out)).toBe(false);
  });
});
