/**
 * Mistakes a user can make (DESIGN.md, "Conventions"): exit code 2 and one plain line naming
 * the file, the place inside it and what was expected; no stack trace; nothing written to the
 * output folder. Also the happy paths of `validate` and `--help`. Runs the built CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');

let dir: string;
let outCount = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'entangle-errors-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

/** A valid scenario; each case below breaks one thing in a copy. */
function base() {
  return {
    name: 'Errors base',
    states: [
      { id: 'AAA', capability: 0.3, greatPower: true },
      { id: 'BBB', capability: 0.25, greatPower: true },
      { id: 'CCC', capability: 0.05 },
      { id: 'DDD', capability: 0.1 },
    ],
    borders: [
      ['AAA', 'CCC'],
      ['BBB', 'DDD'],
      ['CCC', 'DDD'],
    ],
    alliances: [
      { name: 'Northern Pact', type: 'defense', members: ['AAA', 'CCC'], nonprovocation: true },
      { name: 'Southern League', type: 'offense', members: ['BBB', 'DDD'], reliability: 0.9 },
      { name: 'Corwen guarantee', type: 'defense', members: ['BBB', 'CCC'], guarantors: ['BBB'] },
    ],
    crisis: { initiator: 'DDD', target: 'CCC' },
    params: { offenseDominance: 0.8 },
  };
}
type Base = ReturnType<typeof base>;

/** Writes a file into the temp folder (JSON text is valid YAML, kept in a .yaml file). */
function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/**
 * Runs `entangle run FILE --out DIR` and checks the contract: exit 2, one line naming the file,
 * with every `mentions` fragment, no stack trace, and no output folder.
 */
async function expectInputError(
  file: string,
  mentions: (string | RegExp)[],
  command = 'run',
): Promise<string> {
  const out = join(dir, `out-${++outCount}`);
  const { code, stdout, stderr } = await cli(command, file, '--out', out, '--runs', '100', '--workers', '1');
  const text = stderr.trimEnd();
  expect(code, `${text}\n${stdout}`).toBe(2);
  expect(text.split('\n'), 'one line').toHaveLength(1);
  expect(text).toContain(file);
  for (const m of mentions) {
    if (typeof m === 'string') expect(text).toContain(m);
    else expect(text).toMatch(m);
  }
  expect(text).not.toMatch(/^\s*at /m);
  expect(text).not.toMatch(/unexpected error|a bug/i);
  expect(existsSync(out), 'output folder created').toBe(false);
  return text;
}

const EXPECTED = /expected/i;

describe.concurrent('bad scenario files', () => {
  const cases: [string, (s: Base) => void, (string | RegExp)[]][] = [
    [
      'an unknown state id in an alliance',
      (s) => (s.alliances[0]!.members[1] = 'XYZ'),
      ['alliances[0].members[1]', 'XYZ', EXPECTED],
    ],
    [
      'an unknown state id in a border',
      (s) => (s.borders[1]![0] = 'XYZ'),
      ['borders[1][0]', 'XYZ', EXPECTED],
    ],
    [
      'an unknown state id in the crisis',
      (s) => (s.crisis.target = 'XYZ'),
      ['crisis.target', 'XYZ', EXPECTED],
    ],
    [
      'a duplicate state id',
      (s) => (s.states[2]!.id = 'AAA'),
      ['states[2].id', 'AAA', /duplicate/i, EXPECTED],
    ],
    [
      'an alliance with one member',
      (s) => (s.alliances[1]!.members = ['BBB']),
      ['alliances[1].members', /two|2/, EXPECTED],
    ],
    [
      'a guarantor that is not a member',
      (s) => (s.alliances[2]!.guarantors = ['DDD']),
      ['alliances[2].guarantors[0]', 'DDD', /member/i, EXPECTED],
    ],
    [
      'initiator = target',
      (s) => (s.crisis.target = 'DDD'),
      [/crisis(\.target|\.initiator)?:/, 'DDD', EXPECTED],
    ],
    [
      'a negative capability',
      (s) => (s.states[1]!.capability = -0.5),
      ['states[1].capability', /≥ 0|>= 0|at least 0|non-?negative/, EXPECTED],
    ],
    [
      'capability abc',
      (s) => ((s.states[1] as { capability: unknown }).capability = 'abc'),
      ['states[1].capability', /number/, EXPECTED],
    ],
    [
      'reliability 1.5',
      (s) => ((s.alliances[1] as { reliability?: number }).reliability = 1.5),
      ['alliances[1].reliability', /1/, EXPECTED],
    ],
    [
      'an unknown alliance type',
      (s) => (s.alliances[0]!.type = 'friendship'),
      ['alliances[0].type', /defense/, EXPECTED],
    ],
    [
      'an unknown parameter name in params',
      (s) => ((s.params as Record<string, number>).chaos = 1),
      [/params/, 'chaos', EXPECTED, 'offenseDominance'],
    ],
  ];
  it.each(cases)('%s', async (what, breakIt, mentions) => {
    const s = base();
    breakIt(s);
    await expectInputError(write(`${what.replace(/\W+/g, '-')}.yaml`, s), mentions);
  });

  it('an empty file', async () => {
    await expectInputError(write('empty.yaml', ''), [/empty/i]);
  });

  it('a YAML syntax error names the line', async () => {
    const text = [
      'name: Broken',
      'states:',
      '  - { id: AAA, capability: 0.3',
      '  - { id: BBB, capability: 0.2 }',
      'crisis: { initiator: AAA, target: BBB }',
      '',
    ].join('\n');
    await expectInputError(write('syntax.yaml', text), [/YAML|syntax/i, /line [345]\b/]);
  });

  it('an unknown key in a state lists the keys expected', async () => {
    const s = base();
    (s.states[0] as Record<string, unknown>).colour = 'red';
    await expectInputError(write('unknown-key.yaml', s), ['states[0]', 'colour', EXPECTED, 'capability']);
  });

  it('a file that does not exist', async () => {
    await expectInputError(join(dir, 'no-such-file.yaml'), [/does not exist|not found|no such/i]);
  });

  it('validate reports the same errors', async () => {
    const s = base();
    s.alliances[0]!.members[1] = 'XYZ';
    const out = join(dir, 'validate-out');
    const { code, stderr } = await cli('validate', write('validate-bad.yaml', s));
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('alliances[0].members[1]');
    expect(existsSync(out)).toBe(false);
  });
});

describe.concurrent('bad experiment files', () => {
  const experiment = (extra: Record<string, unknown>) => ({
    name: 'bad experiment',
    seed: 1,
    runs: 100,
    scenarios: ['scenario.yaml'],
    ...extra,
  });
  beforeAll(() => {
    write('scenario.yaml', base());
  });

  it('an unknown sweep parameter', async () => {
    await expectInputError(write('exp-unknown.yaml', experiment({ sweep: { chaos: [1, 2] } })), [
      'sweep.chaos',
      /chaos/,
      EXPECTED,
    ]);
  });

  it('an empty range (to < from)', async () => {
    const file = write(
      'exp-empty.yaml',
      experiment({ sweep: { offenseDominance: { from: 0.9, to: 0.5, step: 0.1 } } }),
    );
    await expectInputError(file, [/sweep\.offenseDominance/, /empty|below|less|to/i]);
  });

  it('a step of 0', async () => {
    const file = write(
      'exp-step0.yaml',
      experiment({ sweep: { offenseDominance: { from: 0.1, to: 0.5, step: 0 } } }),
    );
    await expectInputError(file, [/sweep\.offenseDominance(\.step)?/, /step/, EXPECTED]);
  });

  it('a scenario file that does not exist', async () => {
    const file = write(
      'exp-missing.yaml',
      experiment({ scenarios: ['scenario.yaml', 'missing-scenario.yaml'] }),
    );
    await expectInputError(file, [
      'scenarios[1]',
      'missing-scenario.yaml',
      /does not exist|not found|no such/i,
    ]);
  });
});

describe.concurrent('sweep values follow the rules of params', () => {
  const experiment = (sweep: Record<string, unknown>) => ({
    name: 'sweep values',
    runs: 100,
    scenarios: ['scenario.yaml'],
    sweep,
  });
  beforeAll(() => {
    write('scenario.yaml', base());
  });
  const cases: [string, Record<string, unknown>, (string | RegExp)[]][] = [
    ['a share above 1', { offenseDominance: [1.5, -0.5] }, ['sweep.offenseDominance[0]', '≤ 1', '1.5']],
    ['a negative share', { offenseDominance: [0.5, -0.5] }, ['sweep.offenseDominance[1]', '≥ 0']],
    ['maxSteps 0', { maxSteps: [0, 2.5, 1e9] }, ['sweep.maxSteps[0]', '≥ 1']],
    ['maxSteps 2.5', { maxSteps: [2.5] }, ['sweep.maxSteps[0]', 'whole number']],
    ['maxSteps 1e9', { maxSteps: [1e9] }, ['sweep.maxSteps[0]', '≤ 1000000']],
    [
      'a range leaving [0, 1]',
      { borderHazard: { from: 0.5, to: 1.5, step: 0.5 } },
      ['sweep.borderHazard.to', '≤ 1'],
    ],
  ];
  it.each(cases)('%s', async (what, sweep, mentions) => {
    await expectInputError(write(`sweep-${what.replace(/\W+/g, '-')}.yaml`, experiment(sweep)), mentions);
  });
});

describe.concurrent('sizes refused before anything runs, naming the limit', () => {
  beforeAll(() => {
    write('scenario.yaml', base());
  });
  it('--runs 1000000000000000', async () => {
    const out = join(dir, `opt-${++outCount}`);
    const { code, stderr } = await cli(
      'run',
      'configs/tight.yaml',
      '--runs',
      '1000000000000000',
      '--out',
      out,
    );
    expect(code, stderr).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /configs\/tight\.yaml: 1,000,000,000,000,000 runs.*more than the limit of 1,000,000.*--runs.*--batch-size.*--shard/,
    );
    expect(existsSync(out)).toBe(false);
  });
  it('a Latin hypercube of 10^9 points', async () => {
    const file = write('lhs-huge.yaml', {
      runs: 100,
      scenarios: ['scenario.yaml'],
      sweep: { offenseDominance: { from: 0, to: 1 } },
      design: { lhs: 1e9 },
    });
    await expectInputError(file, ['design.lhs', /limit of 100,000/]);
  });
  it('a grid of 10^6 cells', async () => {
    const values = Array.from({ length: 100 }, (_, i) => i / 100);
    const file = write('grid-huge.yaml', {
      runs: 100,
      scenarios: ['scenario.yaml'],
      sweep: { offenseDominance: values, borderHazard: values, settlement: values },
    });
    await expectInputError(file, ['sweep', /1,000,000 parameter points.*limit of 100,000/]);
  });
});

describe.concurrent('what files hold besides data', () => {
  it('a YAML alias bomb is refused in one line', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    let previous = 'a';
    for (let i = 0; i < 12; i++) {
      lines.push(`b${i}: &b${i} [${Array(9).fill(`*${previous}`).join(', ')}]`);
      previous = `b${i}`;
    }
    await expectInputError(write('alias-bomb.yaml', `${lines.join('\n')}\n`), [/alias/i]);
  });

  it('a JSON file with a byte-order mark is read as if it had none', async () => {
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(base())}`);
    const { code, stdout, stderr } = await cli('validate', file);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/states: 4\b/);
  });
});

describe.concurrent('bad command-line options', () => {
  const cases: [string[], RegExp][] = [
    [['--runs', 'abc'], /--runs.*abc/],
    [['--runs', '0'], /--runs/],
    [['--workers', '0'], /--workers/],
    [['--seed', '-1'], /--seed/],
    [['--bogus-option'], /bogus-option/],
  ];
  it.each(cases)('run configs/tight.yaml %j', async (args, mention) => {
    const out = join(dir, `opt-${++outCount}`);
    const { code, stderr } = await cli('run', 'configs/tight.yaml', '--out', out, ...args);
    expect(code, stderr).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(mention);
    expect(stderr).not.toMatch(/^\s*at /m);
    expect(existsSync(out)).toBe(false);
  });

  it('run without a file', async () => {
    const { code, stderr } = await cli('run');
    expect(code, stderr).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/argument|file/i);
    expect(stderr).not.toMatch(/^\s*at /m);
  });
});

describe.concurrent('validate and help', () => {
  it('validate configs/tight.yaml describes it and exits 0', async () => {
    const { code, stdout, stderr } = await cli('validate', 'configs/tight.yaml');
    expect(code, stderr).toBe(0);
    // Counted by hand from the file: 12 states, 2 defense pacts of 5 members each, every
    // ordered pair a commitment: 2 · 5 · 4 = 40.
    expect(stdout).toMatch(/states: 12\b/);
    expect(stdout).toMatch(/alliances: 2\b/);
    expect(stdout).toMatch(/commitments: 40\b/);
    expect(stdout).toMatch(/crisis: .*BRG.*IST/);
    expect(stdout).toMatch(/cells: 1\b/);
  });

  it('entangle --help lists the commands and exits 0', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    for (const c of ['run', 'validate', '--help', '--version']) expect(stdout).toContain(c);
  });

  it('entangle run --help lists every option and exits 0', async () => {
    const { code, stdout } = await cli('run', '--help');
    expect(code).toBe(0);
    for (const o of [
      '--runs',
      '--seed',
      '--workers',
      '--out',
      '--runs-csv',
      '--quiet',
      '--shard',
      '--batch-size',
    ])
      expect(stdout).toContain(o);
  });
});
