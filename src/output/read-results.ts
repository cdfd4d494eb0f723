import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { BOOLEAN_FIELDS } from '../model/outcome.js';
import type { Manifest } from './manifest.js';

/** A cell read back from a CSV file: a number, a boolean (in a boolean column), text, or empty. */
export type Value = string | number | boolean | undefined;

/** One CSV file of an output folder, typed. */
export interface Table {
  /** The file's name inside its folder, e.g. `summary.csv`. */
  file: string;
  columns: string[];
  rows: Record<string, Value>[];
}

/** One output folder: the folder itself, or a side (`a/`, `b/`) of a comparison. */
export interface ResultFolder {
  /** Relative to the folder the report or workbook is made for: '' for itself, else `a`, `b`. */
  path: string;
  /** How charts and sheets name it: '' for the folder itself, else `A`, `B`. */
  label: string;
  manifest: Manifest | undefined;
  /** The CSV files it holds, sorted. */
  csvFiles: string[];
  /** The named CSV file, typed (undefined when the folder has none). */
  table(file: string): Table | undefined;
}

/** The folders of a results directory: itself first, then a comparison's sides. */
export interface Results {
  dir: string;
  folders: ResultFolder[];
}

/**
 * The boolean columns of each file: their 0/1 (or true/false) values are read as booleans. Any
 * other column of 0s and 1s stays a number (backtest-summary.csv's `entered` is a count).
 */
export const BOOLEAN_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = {
  'runs.csv': new Set<string>(BOOLEAN_FIELDS),
  'compare.csv': new Set(['excludes_zero']),
  'backtest.csv': new Set(['great_power', 'naive', 'entered']),
};

/** The sides of a comparison's output folder (entangle compare writes a/ and b/). */
const SIDES = ['a', 'b'];

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** What formatCell prefixes with an apostrophe so that a spreadsheet does not run it. */
const NEUTRALISED = /^'[=+\-@\t\r]/;

/** Reads a results directory (an output folder of run, merge, compare or backtest). */
export function readResults(dir: string): Results {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(
      `${dir}: no such folder; expected an output folder of entangle run, compare or backtest`,
    );
  }
  const folders = [readFolder(dir, '', '')];
  for (const side of SIDES) {
    const sub = join(dir, side);
    if (existsSync(join(sub, 'summary.csv'))) folders.push(readFolder(sub, side, side.toUpperCase()));
  }
  if (folders.every((f) => f.csvFiles.length === 0)) {
    throw new InputError(
      `${dir}: no CSV files; expected an output folder of entangle run, compare or backtest (summary.csv, compare.csv or backtest.csv)`,
    );
  }
  return { dir, folders };
}

function readFolder(dir: string, path: string, label: string): ResultFolder {
  const csvFiles = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort();
  const cache = new Map<string, Table | undefined>();
  const manifestFile = join(dir, 'manifest.json');
  let manifest: Manifest | undefined;
  if (existsSync(manifestFile)) {
    try {
      manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    } catch (err) {
      throw new InputError(`${manifestFile}: not valid JSON (${(err as Error).message})`);
    }
  }
  return {
    path,
    label,
    manifest,
    csvFiles,
    table(file) {
      if (!cache.has(file))
        cache.set(file, csvFiles.includes(file) ? readTable(join(dir, file), file) : undefined);
      return cache.get(file);
    },
  };
}

/** Reads one CSV file: numbers become numbers, a boolean column's values booleans. */
export function readTable(path: string, file: string): Table {
  let records: string[][];
  try {
    records = parse(readFileSync(path, 'utf8'), { relax_column_count: false }) as string[][];
  } catch (err) {
    throw new InputError(`${path}: cannot read it as CSV (${(err as Error).message})`);
  }
  const columns = records[0] ?? [];
  const booleans = BOOLEAN_COLUMNS[file];
  const rows = records.slice(1).map((record) => {
    const row: Record<string, Value> = {};
    columns.forEach((c, i) => {
      row[c] = typedValue(record[i] ?? '', booleans?.has(c) === true);
    });
    return row;
  });
  return { file, columns, rows };
}

/** A CSV cell's value: the inverse of formatCell in csv.ts (either boolean convention accepted). */
export function typedValue(text: string, booleanColumn: boolean): Value {
  if (text === '') return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (NUMBER.test(text)) {
    const x = Number(text);
    return booleanColumn && (x === 0 || x === 1) ? x === 1 : x;
  }
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

/** A value as a number (booleans as 1/0); undefined when it is not one. */
export function numberOf(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}
