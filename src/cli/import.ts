import { mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError, writeFailure } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { importCow } from '../scenario/cow.js';
import { scenarioToYaml } from '../scenario/write.js';
import { lastText, shellQuote } from './options.js';

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
  const { scenario, header } = importCow({
    year,
    ...(args.date !== undefined ? { date: args.date } : {}),
    initiator: args.initiator,
    target: args.target,
    ...(args.data !== undefined ? { dataDir: args.data } : {}),
    ...(args.name !== undefined ? { name: args.name } : {}),
  });
  const made = `Made with: ${importCommandLine({ ...args, year })}`;
  const yaml = scenarioToYaml(scenario, `${made}\n\n${header}`);
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

/** `entangle import cow …`: a scenario from the Correlates of War and ATOP data for one day. */
export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <source>',
  describe:
    'Make a scenario file from historical data (cow: Correlates of War states, capabilities, borders, alliances; ATOP treaty terms)',
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
        describe: 'attacking state: COW abbreviation (AUH) or country code (300)',
        coerce: text,
      })
      .option('target', {
        type: 'string',
        demandOption: true,
        describe: 'attacked state: COW abbreviation (YUG) or country code (345)',
        coerce: text,
      })
      .option('data', {
        type: 'string',
        describe: "folder with cow/ and atop/ (default: entangle's own data/)",
        coerce: text,
      })
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
        '$0 import cow --year 1914 --date 1914-07-28 --initiator AUH --target YUG --out europe-1914.yaml',
        'Europe on the day Austria-Hungary declared war on Serbia (COW: YUG)',
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
