import { join } from 'node:path';
import { InputError } from '../errors.js';
import { PARAM_NAMES, PARAM_RANGES } from '../model/params.js';

/** An option's value as text; a repeated option keeps its last value. */
export function lastText(raw: unknown): string {
  return String(Array.isArray(raw) ? raw[raw.length - 1] : raw);
}

/** Quotes a word for a POSIX shell only where it needs it (any path, spaces and quotes included). */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** This process's command line as a user would type it (for manifests and messages). */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string {
  return ['entangle', ...argv.map(shellQuote)].join(' ');
}

/**
 * yargs `coerce` functions: yargs' own `type: 'number'` turns `abc` into NaN silently, so
 * every number is checked here and a mistake becomes a one-line InputError (exit code 2).
 */
export function wholeNumber(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: unknown): number | undefined => {
    if (raw === undefined) return undefined;
    const text = lastText(raw).trim();
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InputError(
        `--${option}: expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}, got "${text}"`,
      );
    }
    return value;
  };
}

/** A real number option within [min, max]. */
export function realNumber(option: string, min: number, max: number) {
  return (raw: unknown): number | undefined => {
    if (raw === undefined) return undefined;
    const text = lastText(raw).trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new InputError(`--${option}: expected a number from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
}

/** Parses `--shard i/n` (0-based) or `auto` (from Slurm's array variables). */
export function parseShard(
  raw: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { index: number; count: number } | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'auto') {
    const id = Number(env.SLURM_ARRAY_TASK_ID);
    const count = Number(env.SLURM_ARRAY_TASK_COUNT);
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : Number(env.SLURM_ARRAY_TASK_MIN);
    if (!Number.isInteger(id) || !Number.isInteger(count) || count < 1 || !Number.isInteger(min)) {
      throw new InputError(
        '--shard auto: expected to run inside a Slurm job array (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set)',
      );
    }
    return checkShard(id - min, count, raw);
  }
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!m) throw new InputError(`--shard: expected i/n (0-based, e.g. 3/64) or auto, got "${raw}"`);
  return checkShard(Number(m[1]), Number(m[2]), raw);
}

function checkShard(index: number, count: number, raw: string) {
  if (count < 1 || index < 0 || index >= count) {
    throw new InputError(`--shard: expected i/n with 0 ≤ i < n, got "${raw}" (index ${index} of ${count})`);
  }
  return { index, count };
}

/** Runs per cell and seed when neither the command line nor the experiment file says. */
export const DEFAULT_RUNS = 100_000;
export const DEFAULT_SEED = 1914;

/**
 * The runs per cell and the seed of a command: the option given, else the first input file
 * that says, else the defaults.
 */
export function runSettings(
  args: { runs?: number; seed?: number },
  ...files: { runs?: number; seed?: number }[]
): { runs: number; seed: number } {
  return {
    runs: args.runs ?? files.find((f) => f.runs !== undefined)?.runs ?? DEFAULT_RUNS,
    seed: args.seed ?? files.find((f) => f.seed !== undefined)?.seed ?? DEFAULT_SEED,
  };
}

/** The options every command that runs experiments shares, defined once. */
export const runsOption = {
  describe: `runs per cell [default: the experiment's runs, else ${DEFAULT_RUNS}]`,
  coerce: wholeNumber('runs', 1),
};
export const seedOption = {
  describe: `master seed [default: the experiment's seed, else ${DEFAULT_SEED}]`,
  coerce: wholeNumber('seed', 0),
};
export const workersOption = {
  describe: 'worker threads [default: SLURM_CPUS_PER_TASK, else every core]',
  coerce: wholeNumber('workers', 1, 1024),
};
export const quietOption = {
  alias: 'q',
  describe: 'print nothing but errors',
  type: 'boolean',
  default: false,
} as const;
/** Where the COW and ATOP files are read from (import, backtest, calibrate). */
export const dataOption = {
  describe: "folder with cow/ and atop/ (default: entangle's own data/)",
  type: 'string',
} as const;
export const forceOption = {
  describe: 'replace the results already in the output folder (all of them)',
  type: 'boolean',
  default: false,
} as const;

/**
 * Examples for a command's --help, each a comment saying what it does above a command line a
 * user can copy whole: yargs' two columns would break a long command mid-line at 80 columns.
 * A command longer than 76 characters is broken by its caller with " \\\n" (a shell continuation).
 */
export function examples(...list: [command: string, what: string][]): [string, string][] {
  return list.map(([command, what], i) => [`# ${what}\n${command}${i < list.length - 1 ? '\n' : ''}`, '']);
}

/** `--param NAME=VALUE` (repeatable), shared by run, compare and backtest; `what` says where it applies. */
export function paramOption(what: string) {
  return {
    describe: `override a model parameter for ${what}, NAME=VALUE (repeatable), e.g. reliability.defense=0.6`,
    type: 'string' as const,
    // Repeated options collect into a list; `array: true` would also swallow the file after it.
    coerce: (raw: unknown) =>
      raw === undefined ? undefined : (Array.isArray(raw) ? raw : [raw]).map(String),
  };
}

/**
 * `--param NAME=VALUE` values: by dotted name (`values`, a layer for applyOverrides), and as
 * text for output files. The last value given for a name counts.
 */
export function parseParams(raw: readonly string[] | undefined): {
  values: Record<string, number>;
  text: string;
} {
  if (raw === undefined || raw.length === 0) return { values: {}, text: '' };
  const values = new Map<string, number>();
  for (const entry of raw) {
    const m = /^\s*([A-Za-z.]+)\s*=\s*(\S+)\s*$/.exec(String(entry));
    if (!m) throw new InputError(`--param: "${entry}": expected NAME=VALUE, e.g. reliability.defense=0.6`);
    const [, name, text] = m as unknown as [string, string, string];
    const range = PARAM_RANGES[name];
    if (range === undefined) {
      throw new InputError(`--param: unknown parameter "${name}"; expected one of ${PARAM_NAMES.join(', ')}`);
    }
    const value = Number(text);
    if (
      !Number.isFinite(value) ||
      value < range.min ||
      value > range.max ||
      (range.integer && !Number.isInteger(value))
    ) {
      throw new InputError(
        `--param ${name}: expected ${range.integer ? 'a whole number' : 'a number'} from ${range.min}` +
          `${range.max < Number.MAX_VALUE ? ` to ${range.max}` : ' up'}, got "${text}"`,
      );
    }
    values.delete(name); // the last value given counts, and its place in the text is the last
    values.set(name, value);
  }
  return {
    values: Object.fromEntries(values),
    text: [...values].map(([k, v]) => `${k}=${v}`).join(' '),
  };
}

/**
 * `--param` overrides for an experiment: a parameter the experiment sweeps cannot also be
 * fixed (which of the two should win is the user's to say, so neither does).
 */
export function paramOverrides(raw: readonly string[] | undefined, spec: { file: string; sweep: object }) {
  const { values } = parseParams(raw);
  for (const name of Object.keys(values)) {
    if (name in spec.sweep) {
      throw new InputError(
        `--param ${name}: ${spec.file} sweeps this parameter; expected --param only for parameters the sweep leaves alone`,
      );
    }
  }
  return values;
}

/** A name made safe for a folder: lower case, runs of other characters as one dash, at most 60 long. */
export function slug(name: string, fallback = 'run'): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || fallback
  );
}

/** A moment as yyyymmdd-hhmmss (UTC), for folder names. */
export function timestamp(when: Date): string {
  return when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** results/<slug>-<yyyymmdd-hhmmss>[-suffix]/: where a command writes when --out is not given. */
export function defaultOutDir(name: string, when: Date, suffix?: string): string {
  return join('results', `${slug(name)}-${timestamp(when)}${suffix ? `-${suffix}` : ''}`);
}
