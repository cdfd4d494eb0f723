import { DATA_SETS, readTable } from './cow.js';
import type { StateRecord } from './state-names.js';

/**
 * What the COW and ATOP files in a data folder cover, read through the importer's own
 * (cached) tables: the years of each file, so that a day outside any of them is refused
 * before an import would build a system from half the data (the shipped alliances end in
 * 2012, the states in 2016), and the states of the states file, for finding them by name.
 */

/** The years a file covers, first and last. */
export interface Coverage {
  what: string;
  file: string;
  from: number;
  to: number;
}

// The columns holding years (or yyyymm months) in each file: when its records start, and all
// that hold dates (the last of them is where the file ends; an empty end is "still in force").
const YEAR_COLUMNS = {
  states: { start: ['styear'], all: ['styear', 'endyear'] },
  nmc: { start: ['year'], all: ['year'] },
  contiguity: { start: ['begin'], all: ['begin', 'end'] },
  alliances: { start: ['mem_st_year'], all: ['mem_st_year', 'mem_end_year'] },
  atop: { start: ['yrent'], all: ['yrent', 'yrexit'] },
} as const;

/** Every file's years, and the years they all cover (`from` to `to`, inclusive). */
export function cowCoverage(dataDir: string): { from: number; to: number; files: Coverage[] } {
  const files = (Object.keys(YEAR_COLUMNS) as (keyof typeof YEAR_COLUMNS)[]).map((key) => {
    const table = readTable(dataDir, DATA_SETS[key]);
    const years = (columns: readonly string[]) =>
      table.rows.flatMap((row) =>
        columns
          .map((c) => Number(row[c] ?? ''))
          // ATOP's yrexit 0 means still in force; months are yyyymm.
          .filter((v) => Number.isInteger(v) && v > 0)
          .map((v) => (v > 9999 ? Math.floor(v / 100) : v)),
      );
    const start = years(YEAR_COLUMNS[key].start);
    const all = years(YEAR_COLUMNS[key].all);
    const from = start.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    return {
      what: DATA_SETS[key].what,
      file: table.name,
      from,
      to: all.reduce((a, b) => Math.max(a, b), from),
    };
  });
  return {
    from: Math.max(...files.map((f) => f.from)),
    to: Math.min(...files.map((f) => f.to)),
    files,
  };
}

/** The states of the states file, each with its spells of system membership. */
export function cowStates(dataDir: string): StateRecord[] {
  const table = readTable(dataDir, DATA_SETS.states);
  const byCcode = new Map<number, StateRecord>();
  const day = (row: Record<string, string>, y: string, m: string, d: string) =>
    `${(row[y] ?? '').padStart(4, '0')}-${(row[m] ?? '').padStart(2, '0')}-${(row[d] ?? '').padStart(2, '0')}`;
  for (const row of table.rows) {
    const ccode = Number(row.ccode);
    if (!Number.isInteger(ccode)) continue; // a bad row: the importer names it
    const state = byCcode.get(ccode) ?? {
      id: row.stateabb ?? '',
      ccode,
      cowName: row.statenme ?? '',
      spells: [],
    };
    state.spells.push({
      from: day(row, 'styear', 'stmonth', 'stday'),
      to: row.endyear ? day(row, 'endyear', 'endmonth', 'endday') : '9999-12-31',
    });
    byCcode.set(ccode, state);
  }
  return [...byCcode.values()];
}
