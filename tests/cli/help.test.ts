/**
 * What a newcomer reads first: `--help` of entangle and of every command fits 80 columns with
 * examples that can be copied whole, `--version` only at the top level, `validate` in plain
 * words; and start-up loads only what the command line needs (the built CLI, run as a user
 * runs it; help piped, as into a file or `less`, is laid out for 80 columns).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const COMMANDS = ['run', 'validate', 'generate', 'merge', 'compare', 'slurm', 'import', 'backtest', 'trace'];
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

function cli(
  args: string[],
  nodeArgs: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.COLUMNS;
    execFile(process.execPath, [...nodeArgs, CLI, ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr });
    });
  });
}

const width = (line: string) => [...line].length;

describe.concurrent('--help', () => {
  it.each(['', ...COMMANDS])('entangle %s --help fits 80 columns', async (command) => {
    const { code, stdout } = await cli([...(command ? [command] : []), '--help']);
    expect(code).toBe(0);
    for (const line of stdout.split('\n')) expect(width(line), line).toBeLessThanOrEqual(80);
  });

  it.each(COMMANDS)(
    'entangle %s --help: each example a comment and a command line of its own',
    async (command) => {
      const { stdout } = await cli([command, '--help']);
      const examples = stdout.slice(stdout.indexOf('Examples:')).split('\n').slice(1);
      expect(examples.length).toBeGreaterThan(1);
      for (let i = 0; i < examples.length; i++) {
        const line = examples[i]!;
        if (!/^\s+(entangle|bash) /.test(line)) continue;
        // A command that goes on ends its line with a shell continuation; one that does not is
        // followed by a blank line or the end: nothing of it wraps onto the next line.
        let end = i;
        while (examples[end]!.endsWith(' \\')) end++;
        expect(examples[end + 1] ?? '', `after ${line}`).toMatch(/^\s*$/);
        expect(examples[i - 1], `before ${line}`).toMatch(/^\s+# /);
      }
    },
  );

  it('lists every command at the top level, and --version there only', async () => {
    const top = await cli(['--help']);
    for (const c of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  entangle ${c}\\b`, 'm'));
    expect(top.stdout).toContain('--version');
    for (const c of COMMANDS) {
      const { stdout } = await cli([c, '--help']);
      expect(stdout, c).not.toContain('--version');
    }
  });
});

describe.concurrent('--version', () => {
  it('prints the version of package.json', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${VERSION}\n`);
  });

  it('is not an option of a command', async () => {
    const { code, stderr } = await cli(['validate', 'configs/tight.yaml', '--version']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^entangle: Unknown argument: version$/m);
  });
});

describe.concurrent('validate, in plain words', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-validate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names Serbia as Serbia in 1914, counts great powers in words, says how runs are batched', async () => {
    const { code, stdout } = await cli(['validate', 'configs/europe-1914.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('crisis: AUH (Austria-Hungary) attacks YUG (Serbia)');
    expect(stdout).toMatch(/states: 45, 8 of them great powers; land borders: 61/);
    expect(stdout).toContain('runs per cell: 100,000, seed 1914 (run in batches of 1,000)');
    expect(stdout).not.toMatch(/batches per cell|great powers\)/);
  });

  it('says "a great power" for one', async () => {
    const file = join(dir, 'one.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'One great power',
        states: [
          { id: 'AAA', capability: 0.5, greatPower: true },
          { id: 'BBB', capability: 0.2 },
        ],
        borders: [['AAA', 'BBB']],
        alliances: [],
        crisis: { initiator: 'AAA', target: 'BBB' },
      }),
    );
    const { code, stdout, stderr } = await cli(['validate', file]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('states: 2, 1 of them a great power; land borders: 1');
    expect(stdout).toContain('alliances: 0; commitments: 0');
  });
});

describe.concurrent('start-up loads what the command line needs', () => {
  let dir: string;
  let hooks: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-startup-'));
    // A module hook (node's module.register) that writes every module resolved to LOADED.
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.LOADED, r.url + '\\n');
  return r;
}`,
    );
    hooks = join(dir, 'register.mjs');
    writeFileSync(
      hooks,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function loaded(args: string[], name: string): Promise<string[]> {
    const list = join(dir, `${name}.txt`);
    writeFileSync(list, '');
    process.env.LOADED = list;
    const { code, stderr } = await cli(args, ['--import', pathToFileURL(hooks).href]);
    expect(code, stderr).toBe(0);
    return readFileSync(list, 'utf8').split('\n').filter(Boolean);
  }

  // The model's parameter table (for --param) is small and may load; the simulator may not.
  const heavy =
    /node_modules\/(zod|piscina|yaml|csv-parse|csv-stringify|pure-rand|vega|vega-lite|write-excel-file)\/|dist\/(engine|scenario|experiment|output)\/|dist\/model\/(?!params\.js|types\.js)/;

  it('entangle --version and --help: neither yargs nor anything of the model', async () => {
    for (const [args, name] of [
      [['--version'], 'version'],
      [['--help'], 'help'],
    ] as const) {
      const urls = await loaded([...args], name);
      expect(
        urls.some((u) => u.endsWith('dist/cli.js')),
        name,
      ).toBe(true);
      expect(
        urls.filter((u) => heavy.test(u) || /node_modules\/yargs\//.test(u)),
        name,
      ).toEqual([]);
    }
  });

  it('entangle run --help: yargs and the run command, not the simulator, the pool or the parsers', async () => {
    const urls = await loaded(['run', '--help'], 'run-help');
    expect(urls.some((u) => u.endsWith('dist/cli/run.js'))).toBe(true);
    expect(urls.filter((u) => heavy.test(u))).toEqual([]);
    expect(
      urls.filter((u) =>
        /dist\/cli\/(validate|import|compare|slurm|generate|merge|backtest|trace)\.js$/.test(u),
      ),
    ).toEqual([]);
  });
});
