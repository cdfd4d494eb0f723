/**
 * Reading the COW and ATOP files: where each one is found in a data folder, which columns it
 * must have, and what the importer derives from each once (cells.ts reads their cells).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.js';
import { parseCsvTable } from '../csv-table.js';
import { readTextFile } from '../read.js';

/**
 * The data shipped with entangle. Both src/scenario/cow/files.ts and dist/scenario/cow/files.js
 * sit three folders below the project root, so one relative URL serves both layouts.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url));

/** One COW/ATOP file the importer reads: how to find it in a data folder and what it must hold. */
interface DataSet {
  what: string;
  folder: 'cow' | 'atop';
  pattern: RegExp;
  example: string;
  columns: readonly string[];
  citation: string;
}

/** ATOP's obligations and the conditions it codes on each (the member-level file's names). */
export const ATOP_COLUMNS = [
  'atopid',
  'cow4id',
  'member',
  'yrent',
  'moent',
  'dayent',
  'yrexit',
  'moexit',
  'dayexit',
  'defense',
  'offense',
  'neutral',
  'nonagg',
  'consul',
  'defcoadv',
  'defcoloc',
  'defcocon',
  'defconum',
  'defcodem',
  'defconpr',
  'offcoadv',
  'offcoloc',
  'offcocon',
  'offconum',
  'offcodem',
  'neucoadv',
  'neucoloc',
  'neucocon',
  'neuconum',
  'neucodem',
  'neuconpr',
  'neucoatt',
  'concoadv',
  'concoloc',
  'concocon',
  'concoreq',
  'asymm',
  'obvary',
  'statthr1',
  'statthr2',
] as const;

// Found by pattern rather than exact name, so a user's newer release (states2024.csv,
// NMC-70-abridged.csv, …) works as long as its columns keep their names.
export const DATA_SETS = {
  states: {
    what: 'COW State System Membership',
    folder: 'cow',
    pattern: /^states.*\.csv$/i,
    example: 'states2016.csv',
    columns: ['stateabb', 'ccode', 'statenme', 'styear', 'stmonth', 'stday', 'endyear', 'endmonth', 'endday'],
    citation: 'Correlates of War Project (2017), State System Membership List, v2016 (correlatesofwar.org).',
  },
  majors: {
    what: 'COW major powers',
    folder: 'cow',
    pattern: /^majors.*\.csv$/i,
    example: 'majors2016.csv',
    columns: ['ccode', 'styear', 'stmonth', 'stday', 'endyear', 'endmonth', 'endday'],
    citation: 'Correlates of War Project (2017), State System Membership List, v2016: major powers.',
  },
  nmc: {
    what: 'COW National Material Capabilities',
    folder: 'cow',
    pattern: /^nmc.*\.csv$/i,
    example: 'NMC-60-abridged.csv',
    columns: ['ccode', 'year', 'cinc'],
    citation:
      'Singer, Bremer and Stuckey (1972), "Capability Distribution, Uncertainty, and Major Power War, 1820-1965", ' +
      'in Russett (ed.), Peace, War, and Numbers; Singer (1987), International Interactions 14: 115-32. NMC v6.0.',
  },
  contiguity: {
    what: 'COW Direct Contiguity',
    folder: 'cow',
    pattern: /^contdir.*\.csv$/i,
    example: 'contdir.csv',
    columns: ['statelno', 'statehno', 'conttype', 'begin', 'end'],
    citation:
      'Stinnett, Tir, Schafer, Diehl and Gochman (2002), "The Correlates of War Project Direct Contiguity Data, ' +
      'Version 3", Conflict Management and Peace Science 19(2): 58-66.',
  },
  alliances: {
    what: 'COW Formal Alliances (by member)',
    folder: 'cow',
    pattern: /^alliance.*by_member.*\.csv$/i,
    example: 'alliance_v4.1_by_member.csv',
    columns: [
      'version4id',
      'ccode',
      'mem_st_day',
      'mem_st_month',
      'mem_st_year',
      'mem_end_day',
      'mem_end_month',
      'mem_end_year',
      'defense',
      'neutrality',
      'nonaggression',
      'entente',
    ],
    citation:
      'Gibler (2009), International Military Alliances, 1648-2008, CQ Press; Correlates of War Project, Formal ' +
      'Alliances v4.1.',
  },
  atop: {
    what: 'ATOP member-level',
    folder: 'atop',
    pattern: /^atop.*member.*\.csv$/i,
    example: 'atop_v4.01_member_level.csv',
    columns: ATOP_COLUMNS,
    citation:
      'Leeds, Ritter, Mitchell and Long (2002), "Alliance Treaty Obligations and Provisions, 1815-1944", ' +
      'International Interactions 28: 237-60. ATOP v4.01 (atopdata.org).',
  },
} as const satisfies Record<string, DataSet>;

export type DataSetKey = keyof typeof DATA_SETS;

/** One CSV file read into rows; `name` is how messages and the header name it. */
export interface Table {
  name: string;
  path: string;
  rows: Record<string, string>[];
  lines: number[];
  version: string | undefined;
}

/** Every data set of a data folder, read (and cached while the files do not change). */
export function readTables(dataDir: string): Record<DataSetKey, Table> {
  const tables = {} as Record<DataSetKey, Table>;
  for (const key of Object.keys(DATA_SETS) as DataSetKey[]) tables[key] = readTable(dataDir, DATA_SETS[key]);
  return tables;
}

// Parsed files by path, size and modification time: parsing the larger files takes a good part
// of a second, and a session (a backtest of 87 wars, the test suite) imports many days from
// the same files.
const parsed = new Map<string, { stamp: string; table: Omit<Table, 'name' | 'path'> }>();

/** A data set's file in `dataDir`, parsed once (by path, size and time) however often it is asked for. */
export function readTable(dataDir: string, set: DataSet): Table {
  const path = findFile(dataDir, set);
  const name = relativeName(dataDir, path);
  let stamp = '';
  try {
    const st = statSync(path);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    // Unreadable: parseTable below reports it.
  }
  const cached = parsed.get(resolve(path));
  if (cached && cached.stamp === stamp) return { name, path, ...cached.table };
  const { header, rows, lines } = parseCsvTable(readTextFile(path), path, set.columns, `of ${set.what}`);
  const table = {
    rows,
    lines,
    version: header.includes('version') ? rows.find((r) => r.version)?.version : undefined,
  };
  parsed.set(resolve(path), { stamp, table });
  return { name, path, ...table };
}

/** The one file of a data set: in DIR/cow/ (or DIR/atop/), else directly in DIR. */
function findFile(dataDir: string, set: DataSet): string {
  if (!existsSync(dataDir))
    throw new InputError(`${dataDir}: data folder not found; expected a folder holding cow/ and atop/`);
  for (const folder of [join(dataDir, set.folder), dataDir]) {
    if (!existsSync(folder)) continue;
    const found = readdirSync(folder)
      .filter((f) => set.pattern.test(f))
      .sort();
    if (found.length === 1) return join(folder, found[0]!);
    if (found.length > 1) {
      throw new InputError(
        `${folder}: several ${set.what} files (${found.join(', ')}); expected one, e.g. ${set.example}: move the others away`,
      );
    }
  }
  throw new InputError(
    `${join(dataDir, set.folder, set.example)}: file not found; expected a ${set.what} file matching ${set.pattern} in ` +
      `${join(dataDir, set.folder)} or ${dataDir}`,
  );
}

function relativeName(dataDir: string, path: string): string {
  const rel = resolve(path).slice(resolve(dataDir).length + 1);
  return rel.split('\\').join('/');
}

// What the importer derives from a table independently of the day (windows, numbers by
// year), kept beside the parsed rows: a backtest imports dozens of days from the same files.
const derivations = new WeakMap<object, Map<string, unknown>>();

/** `build()` once per parsed table and `what`; later calls return the same value. */
export function derived<T>(table: Table, what: string, build: () => T): T {
  let cache = derivations.get(table.rows);
  if (!cache) {
    cache = new Map();
    derivations.set(table.rows, cache);
  }
  if (!cache.has(what)) cache.set(what, build());
  return cache.get(what) as T;
}
