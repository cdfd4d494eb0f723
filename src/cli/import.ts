import { mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError, writeFailure } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { DEFAULT_DATA_DIR, importCow } from '../scenario/cow/index.js';
import { cowCoverage, cowStates } from '../scenario/cow-coverage.js';
import { findState, type StateRecord, stateNameOn } from '../scenario/state-names.js';
import { scenarioToYaml } from '../scenario/write.js';
import { COMMAND_FACES } from './commands.js';
import { dataOption, examples, lastText, shellQuote } from './options.js';

/** The options of `entangle import`, after coercion. */
export interface ImportArgs {
  source: 'cow';
  year?: number | undefined;
  date?: string | undefined;
  initiator: string;
  target: string;
  data?: string | undefined;
  name?: string | undefined;
  out: string;
}

/** A year as a whole number; yargs' own number type would turn "abc" into NaN silently. */
function coerceYear(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const text = lastText(raw).trim();
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1)
    throw new InputError(`--year: "${text}": expected a year, e.g. 1914`);
  return Number(text);
}

/** The last value of an option given as text (a repeated option keeps its last value). */
function text(raw: unknown): string | undefined {
  return raw === undefined ? undefined : lastText(raw);
}

/** The command that makes the file, written into its header so that anyone can make it again. */
export function importCommandLine(args: Omit<ImportArgs, 'source'> & { year: number }): string {
  const parts = ['entangle', 'import', 'cow', '--year', String(args.year)];
  if (args.date !== undefined) parts.push('--date', args.date);
  parts.push('--initiator', args.initiator, '--target', args.target);
  if (args.data !== undefined) parts.push('--data', args.data);
  if (args.name !== undefined) parts.push('--name', args.name);
  parts.push('--out', args.out);
  return parts.map(shellQuote).join(' ');
}

/**
 * Imports a state system and writes it as a scenario file: to a temporary file first, then
 * renamed into place, so an interrupted import never leaves a half-written scenario.
 * Returns the scenario's size for the message on the terminal.
 */
export function importToFile(args: Omit<ImportArgs, 'source'>): {
  states: number;
  alliances: number;
  borders: number;
  year: number;
} {
  const ext = extname(args.out).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml') {
    throw new InputError(
      `--out: "${args.out}": expected a .yaml or .yml file name (the scenario is written as YAML with a comment header)`,
    );
  }
  const year = args.year ?? (args.date !== undefined ? Number(args.date.slice(0, 4)) : undefined);
  if (year === undefined || !Number.isInteger(year))
    throw new InputError('--year: missing; expected the year of the system, e.g. --year 1914');
  const dataDir = args.data ?? DEFAULT_DATA_DIR;
  const date = args.date ?? `${String(year).padStart(4, '0')}-07-01`;
  // A malformed date is importCow's to refuse; a well-formed one must lie inside the data.
  const dated = /^\d{4}-\d{2}-\d{2}$/.test(date);
  if (dated)
    checkCovered(args.date !== undefined ? `--date ${date}` : `--year ${year}`, date, cowCoverage(dataDir));
  const states = dated ? cowStates(dataDir) : [];
  const crisis = (role: 'initiator' | 'target', text: string) =>
    dated ? stateOn(role, text, states, date) : text;
  const { scenario, header, allianceComments } = importCow({
    year,
    ...(args.date !== undefined ? { date: args.date } : {}),
    initiator: crisis('initiator', args.initiator),
    target: crisis('target', args.target),
    ...(args.data !== undefined ? { dataDir: args.data } : {}),
    ...(args.name !== undefined ? { name: args.name } : {}),
  });
  const made = `Made with: ${importCommandLine({ ...args, year })}`;
  const yaml = scenarioToYaml(scenario, `${made}\n\n${header}`, allianceComments);
  try {
    mkdirSync(dirname(args.out), { recursive: true });
  } catch (err) {
    throw writeFailure(dirname(args.out), err);
  }
  writeFileAtomic(args.out, yaml);
  return {
    states: scenario.states.length,
    alliances: scenario.alliances.length,
    borders: scenario.borders.length,
    year,
  };
}

/** Refuses a day outside the years every data file covers, naming the file that ends first (or starts last). */
function checkCovered(option: string, date: string, cover: ReturnType<typeof cowCoverage>): void {
  const year = Number(date.slice(0, 4));
  if (year >= cover.from && year <= cover.to) return;
  const limit =
    year < cover.from
      ? cover.files.find((f) => f.from === cover.from)!
      : cover.files.find((f) => f.to === cover.to)!;
  throw new InputError(
    `${option}: outside the data, which together cover ${cover.from} to ${cover.to} (${limit.file}, ${limit.what}, ` +
      `${year < cover.from ? `starts in ${limit.from}` : `ends in ${limit.to}`}); expected a day from ${cover.from}-01-01 to ${cover.to}-12-31`,
  );
}

/** The COW abbreviation of the state a user's text names on `date`, or the InputError saying why there is none. */
function stateOn(role: 'initiator' | 'target', text: string, states: StateRecord[], date: string): string {
  const match = findState(text, states, date);
  if (match.kind === 'member') return match.state.id;
  const named = (s: StateRecord) => `${s.id} (${stateNameOn(s.ccode, s.cowName, date)})`;
  if (match.kind === 'not a member') {
    const spells = match.state.spells.map((sp) => `${sp.from} to ${sp.to}`).join(', ');
    throw new InputError(
      `--${role}: "${text}": ${named(match.state)} is not in the state system on ${date} (a member ${spells}); expected a member on that day`,
    );
  }
  const nearest = match.nearest.length > 0 ? `; did you mean ${match.nearest.map(named).join(' or ')}?` : '';
  throw new InputError(
    `--${role}: "${text}": no member of the state system on ${date} has that code or name${nearest} ` +
      '(expected a COW abbreviation, country code or name, e.g. AUH, 300 or Austria-Hungary)',
  );
}

/** `entangle import cow …`: a scenario from the Correlates of War and ATOP data for one day. */
export const importCommand: CommandModule<object, ImportArgs> = {
  ...COMMAND_FACES.import,
  builder: (yargs) =>
    yargs
      .positional('source', { choices: ['cow'] as const, describe: 'data source', demandOption: true })
      .option('year', {
        type: 'string',
        describe: 'year of the system and of its CINC capabilities',
        coerce: coerceYear,
      })
      .option('date', {
        type: 'string',
        describe: 'day the system is taken on, YYYY-MM-DD (default: July 1 of --year)',
        coerce: text,
      })
      .option('initiator', {
        type: 'string',
        demandOption: true,
        describe: 'attacking state: COW abbreviation (AUH), country code (300) or name (Austria-Hungary)',
        coerce: text,
      })
      .option('target', {
        type: 'string',
        demandOption: true,
        describe: 'attacked state: COW abbreviation (YUG), country code (345) or name (Serbia)',
        coerce: text,
      })
      .option('data', { ...dataOption, coerce: text })
      .option('name', {
        type: 'string',
        describe: 'scenario name (default: built from the date and the crisis)',
        coerce: text,
      })
      .option('out', {
        type: 'string',
        demandOption: true,
        describe: 'scenario file to write (.yaml)',
        coerce: text,
      })
      .example(
        examples([
          '$0 import cow --date 1914-07-28 --initiator Austria-Hungary \\\n  --target Serbia --out europe-1914.yaml',
          'Europe on the day Austria-Hungary declared war on Serbia (COW: YUG)',
        ]),
      ) as never,
  handler: (args) => {
    const done = importToFile({
      year: args.year,
      date: args.date,
      initiator: args.initiator,
      target: args.target,
      data: args.data,
      name: args.name,
      out: args.out,
    });
    process.stdout.write(
      `Wrote ${args.out}: ${done.states} states, ${done.borders} land borders, ${done.alliances} alliances (COW ${args.date ?? `${done.year}-07-01`}).\n`,
    );
  },
};
