import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import type { Alliance, AllianceType, Scenario, State } from '../model/types.js';
import { parseCsvTable } from './csv-table.js';
import { readTextFile } from './read.js';
import { stateNameOn } from './state-names.js';

/**
 * The data shipped with entangle. Both src/scenario/cow.ts and dist/scenario/cow.js sit two
 * folders below the project root, so one relative URL serves both layouts.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/** What to import: the state system on one day, and who attacks whom. */
export interface CowImportOptions {
  /** The year of the capability (CINC) values; also the year of the default date. */
  year: number;
  /** The day the system is taken on, YYYY-MM-DD inside `year`; default July 1 of `year`. */
  date?: string;
  /** The attacking state: a COW abbreviation (`AUH`) or country code (`300`). */
  initiator: string;
  /** The attacked state, likewise. */
  target: string;
  /** Folder holding cow/ and atop/ (or the files themselves); default the project's data/. */
  dataDir?: string;
  /** Scenario name; default one built from the date and the crisis. */
  name?: string;
}

/** One COW/ATOP file the importer reads: how to find it in a data folder and what it must hold. */
interface DataSet {
  what: string;
  folder: 'cow' | 'atop';
  pattern: RegExp;
  example: string;
  columns: readonly string[];
  citation: string;
}

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
    columns: [
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
      'defconpr',
    ],
    citation:
      'Leeds, Ritter, Mitchell and Long (2002), "Alliance Treaty Obligations and Provisions, 1815-1944", ' +
      'International Interactions 28: 237-60. ATOP v4.01 (atopdata.org).',
  },
} as const satisfies Record<string, DataSet>;

type DataSetKey = keyof typeof DATA_SETS;

/** One CSV file read into rows; `name` is how messages and the header name it. */
interface Table {
  name: string;
  path: string;
  rows: Record<string, string>[];
  lines: number[];
  version: string | undefined;
}

/**
 * Builds the state system of the COW data on one day: every system member with its CINC of
 * `year`, great-power status and land borders on that day, and every alliance in force, its
 * terms refined by ATOP where ATOP codes the same treaty. Returns the scenario and a comment
 * header saying where each part came from. User mistakes and bad files throw InputError.
 */
export function importCow(opts: CowImportOptions): { scenario: Scenario; header: string } {
  const day = parseDay(opts);
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  const tables = {} as Record<DataSetKey, Table>;
  for (const key of Object.keys(DATA_SETS) as DataSetKey[]) tables[key] = readTable(dataDir, DATA_SETS[key]);

  const { states, byCcode, notes } = systemMembers(tables, day, opts.year);
  const borders = landBorders(tables.contiguity, day, byCcode);
  const treaties = treatiesInForce(
    tables.alliances,
    tables.atop,
    day,
    byCcode,
    abbreviations(tables.states),
    notes,
  );
  const alliances = treaties.flatMap(treatyAlliances);

  const initiator = crisisState(opts.initiator, 'initiator', states, tables.states, day);
  const target = crisisState(opts.target, 'target', states, tables.states, day);
  if (initiator.id === target.id) {
    throw new InputError(
      `--target: "${opts.target}" is the initiator ${initiator.id}; expected two different states`,
    );
  }

  const scenario: Scenario = {
    name:
      opts.name ??
      `COW state system on ${day.text}: ${initiator.name} (${initiator.id}) attacks ${target.name} (${target.id})`,
    states,
    borders,
    alliances,
    crisis: { initiator: initiator.id, target: target.id },
  };
  const header = buildHeader({ opts, day, dataDir, tables, scenario, treaties, notes, initiator, target });
  return { scenario, header };
}

// ---------------------------------------------------------------------------------------------
// Dates: compared as whole numbers yyyymmdd; a missing day counts as the whole month.

interface Day {
  text: string;
  key: number;
  month: number;
}

function parseDay(opts: CowImportOptions): Day {
  if (!Number.isInteger(opts.year) || opts.year < 1 || opts.year > 9999) {
    throw new InputError(`--year: ${opts.year}: expected a year, e.g. 1914`);
  }
  // July 1 sits in the middle of the year the CINC values describe.
  const text = opts.date ?? `${String(opts.year).padStart(4, '0')}-07-01`;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  const d = Number(m?.[3]);
  const valid = m !== null && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (!valid) throw new InputError(`--date: "${text}": expected a calendar date YYYY-MM-DD, e.g. 1914-07-28`);
  if (y !== opts.year) {
    throw new InputError(
      `--date: ${text} is not in --year ${opts.year}; expected a date in that year (or leave --year to match it)`,
    );
  }
  return { text, key: y * 10000 + mo * 100 + d, month: y * 100 + mo };
}

// ---------------------------------------------------------------------------------------------
// Files

// Parsed files by path, size and modification time: parsing the larger files takes a good part
// of a second, and a session (or the test suite) imports several days from the same files.
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
  const table = parseTable(path, set);
  parsed.set(resolve(path), { stamp, table });
  return { name, path, ...table };
}

function parseTable(path: string, set: DataSet): Omit<Table, 'name' | 'path'> {
  const { header, rows, lines } = parseCsvTable(readTextFile(path), path, set.columns, `of ${set.what}`);
  return {
    rows,
    lines,
    version: header.includes('version') ? rows.find((r) => r.version)?.version : undefined,
  };
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

/** Reads whole numbers from a table, naming the file, line and column when a value is not one. */
class Cells {
  constructor(private readonly table: Table) {}

  /** Throws the InputError for a bad cell: `FILE: line N, column C: expected …, found "…"`. */
  fail(i: number, column: string, expected: string): never {
    const value = this.table.rows[i]![column] ?? '';
    throw new InputError(
      `${this.table.path}: line ${this.table.lines[i]}, column ${column}: expected ${expected}, found "${value}"`,
    );
  }

  /** A whole number (required). */
  int(i: number, column: string): number {
    const v = this.table.rows[i]![column] ?? '';
    if (!/^-?\d+$/.test(v))
      this.fail(i, column, v === '' ? 'a whole number, not an empty cell' : 'a whole number');
    return Number(v);
  }

  /** A whole number, or undefined for an empty cell. */
  optInt(i: number, column: string): number | undefined {
    return (this.table.rows[i]![column] ?? '') === '' ? undefined : this.int(i, column);
  }

  /** A decimal number (required). */
  num(i: number, column: string): number {
    const v = this.table.rows[i]![column] ?? '';
    const x = Number(v);
    if (v === '' || !Number.isFinite(x)) this.fail(i, column, 'a number');
    return x;
  }

  /** A 0/1 flag; the COW alliance files leave a few flags empty, which count as 0. */
  flag(i: number, column: string): boolean {
    const v = this.table.rows[i]![column] ?? '';
    if (v === '' || v === '0') return false;
    if (v === '1') return true;
    return this.fail(i, column, 'a flag 0 or 1');
  }

  /** A date from year/month/day columns as yyyymmdd; an empty day counts as `emptyDay`. */
  date(i: number, y: string, m: string, d: string, emptyDay: number): number {
    const day = this.optInt(i, d);
    return this.int(i, y) * 10000 + this.int(i, m) * 100 + (day === undefined || day === 0 ? emptyDay : day);
  }

  text(i: number, column: string): string {
    return this.table.rows[i]![column] ?? '';
  }
}

function cells(table: Table): Cells {
  return new Cells(table);
}

// ---------------------------------------------------------------------------------------------
// States, capabilities, great powers, borders

function systemMembers(
  tables: Record<DataSetKey, Table>,
  day: Day,
  year: number,
): { states: State[]; byCcode: Map<number, State>; notes: string[] } {
  const notes: string[] = [];
  const s = cells(tables.states);
  const states: State[] = [];
  const byCcode = new Map<number, State>();
  const byId = new Map<string, State>();
  tables.states.rows.forEach((_, i) => {
    const start = s.date(i, 'styear', 'stmonth', 'stday', 1);
    const end =
      s.optInt(i, 'endyear') === undefined
        ? Number.POSITIVE_INFINITY
        : s.date(i, 'endyear', 'endmonth', 'endday', 31);
    if (day.key < start || day.key > end) return;
    const ccode = s.int(i, 'ccode');
    const id = s.text(i, 'stateabb');
    if (id === '') s.fail(i, 'stateabb', 'a state abbreviation');
    if (byCcode.has(ccode)) return; // overlapping membership rows: the first one names it
    if (byId.has(id)) {
      throw new InputError(
        `${tables.states.path}: line ${tables.states.lines[i]}, column stateabb: "${id}" is already the abbreviation of ` +
          `ccode ${byId.get(id)!.ccode} on ${day.text}; expected one abbreviation per state`,
      );
    }
    const name = stateNameOn(ccode, s.text(i, 'statenme') || id, day.text);
    const state: State = { id, name, capability: 0, greatPower: false, ccode };
    states.push(state);
    byCcode.set(ccode, state);
    byId.set(id, state);
  });
  if (states.length < 2) {
    throw new InputError(
      `${tables.states.path}: fewer than two system members on ${day.text}; expected a date the file covers`,
    );
  }

  const n = cells(tables.nmc);
  const cinc = new Map<number, number>();
  let years = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  tables.nmc.rows.forEach((_, i) => {
    const y = n.int(i, 'year');
    years = [Math.min(years[0]!, y), Math.max(years[1]!, y)];
    if (y === year) cinc.set(n.int(i, 'ccode'), n.num(i, 'cinc'));
  });
  if (cinc.size === 0) {
    throw new InputError(
      `${tables.nmc.path}: no rows for year ${year}; expected cinc values for that year (the file covers ${years[0]}–${years[1]})`,
    );
  }
  const missing: string[] = [];
  for (const state of states) {
    const c = cinc.get(state.ccode!);
    // COW writes -9 for a missing value.
    if (c === undefined || c < 0) missing.push(state.id);
    else state.capability = c;
  }
  if (missing.length > 0)
    notes.push(`No CINC for ${year} in ${tables.nmc.name} for ${missing.join(', ')}: capability 0.`);

  const m = cells(tables.majors);
  tables.majors.rows.forEach((_, i) => {
    const start = m.date(i, 'styear', 'stmonth', 'stday', 1);
    const end =
      m.optInt(i, 'endyear') === undefined
        ? Number.POSITIVE_INFINITY
        : m.date(i, 'endyear', 'endmonth', 'endday', 31);
    if (day.key < start || day.key > end) return;
    const state = byCcode.get(m.int(i, 'ccode'));
    if (state) state.greatPower = true;
  });
  return { states, byCcode, notes };
}

function landBorders(table: Table, day: Day, byCcode: Map<number, State>): [string, string][] {
  const c = cells(table);
  const borders: [string, string][] = [];
  const seen = new Set<string>();
  table.rows.forEach((_, i) => {
    if (c.int(i, 'conttype') !== 1) return;
    const end = c.optInt(i, 'end');
    if (day.month < c.int(i, 'begin') || (end !== undefined && day.month > end)) return;
    const a = byCcode.get(c.int(i, 'statelno'));
    const b = byCcode.get(c.int(i, 'statehno'));
    if (!a || !b || a === b) return;
    const key = `${a.id}|${b.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    borders.push([a.id, b.id]);
  });
  return borders;
}

// ---------------------------------------------------------------------------------------------
// Alliances

/** Promise strength, weakest first; a member's level is the strongest promise it makes. */
const LEVELS = ['none', 'entente', 'neutrality', 'defense', 'offense'] as const;
type Level = (typeof LEVELS)[number];

const rank = (l: Level): number => LEVELS.indexOf(l);
const stronger = (a: Level, b: Level): Level => (rank(a) >= rank(b) ? a : b);

/** One member of a treaty in force: its own promise to the others. */
interface TreatyMember {
  state: State;
  level: Level;
  /** ATOP `defconpr`: its defense promise holds only if the partner did not provoke. */
  nonprovocation: boolean;
}

/** A COW treaty in force on the day, with its ATOP refinement if any. */
interface Treaty {
  id: number;
  members: TreatyMember[];
  atop: number[];
}

/** ccode → COW abbreviation over all of the states file, to name states outside the system. */
function abbreviations(states: Table): Map<number, string> {
  const out = new Map<number, string>();
  for (const row of states.rows)
    if (/^\d+$/.test(row.ccode ?? '')) out.set(Number(row.ccode), row.stateabb ?? '');
  return out;
}

function treatiesInForce(
  alliances: Table,
  atop: Table,
  day: Day,
  byCcode: Map<number, State>,
  abb: Map<number, string>,
  notes: string[],
): Treaty[] {
  const c = cells(alliances);
  const treaties = new Map<number, Treaty>();
  const outside = new Map<number, number[]>();
  alliances.rows.forEach((_, i) => {
    const start = c.date(i, 'mem_st_year', 'mem_st_month', 'mem_st_day', 1);
    // An empty end means in force when the data end (2012 for v4.1).
    const end =
      c.optInt(i, 'mem_end_year') === undefined
        ? Number.POSITIVE_INFINITY
        : c.date(i, 'mem_end_year', 'mem_end_month', 'mem_end_day', 31);
    if (day.key < start || day.key > end) return;
    const id = c.int(i, 'version4id');
    const ccode = c.int(i, 'ccode');
    const level: Level = c.flag(i, 'defense')
      ? 'defense'
      : c.flag(i, 'neutrality') || c.flag(i, 'nonaggression')
        ? 'neutrality'
        : c.flag(i, 'entente')
          ? 'entente'
          : 'none';
    const state = byCcode.get(ccode);
    if (!state) {
      outside.set(id, [...(outside.get(id) ?? []), ccode]);
      return;
    }
    let treaty = treaties.get(id);
    if (!treaty) {
      treaty = { id, members: [], atop: [] };
      treaties.set(id, treaty);
    }
    const member = treaty.members.find((x) => x.state === state);
    // A member with two rows in force (re-entry) keeps the stronger promise.
    if (member) member.level = stronger(member.level, level);
    else treaty.members.push({ state, level, nonprovocation: false });
  });
  for (const [id, ccodes] of outside) {
    const named = ccodes.map((c) => (abb.get(c) ? `${abb.get(c)} (${c})` : String(c)));
    notes.push(
      `COW ${id}: ${named.join(', ')} not in the state system on ${day.text}, left out of the treaty.`,
    );
  }

  refineWithAtop(treaties, atop, day);

  const out: Treaty[] = [];
  for (const treaty of [...treaties.values()].sort((a, b) => a.id - b.id)) {
    const promising = treaty.members.filter((m) => m.level !== 'none');
    if (treaty.members.length < 2 || promising.length === 0) {
      notes.push(
        `COW ${treaty.id}: ${treaty.members.length < 2 ? 'fewer than two members in the system' : 'no member promises anything'} on ${day.text}, left out.`,
      );
      continue;
    }
    out.push(treaty);
  }
  return out;
}

/**
 * ATOP codes the same treaty when its `cow4id` equals COW's `version4id`. Where it has a phase
 * in force for a member on the day, the member's promise is the stronger of the two codings
 * (ATOP adds offense, which COW does not code), and ATOP's `defconpr` marks the nonprovocation
 * clause. ATOP never weakens a COW promise, and members only ATOP lists are not added.
 */
function refineWithAtop(treaties: Map<number, Treaty>, atop: Table, day: Day): void {
  const a = cells(atop);
  atop.rows.forEach((_, i) => {
    if (a.text(i, 'cow4id') === '') return;
    const treaty = treaties.get(a.int(i, 'cow4id'));
    if (!treaty) return;
    const start = a.date(i, 'yrent', 'moent', 'dayent', 0);
    // yrexit 0: still in force. The exit day is the first day of the next phase, so exclusive.
    const exitYear = a.int(i, 'yrexit');
    const exit = exitYear === 0 ? Number.POSITIVE_INFINITY : a.date(i, 'yrexit', 'moexit', 'dayexit', 99);
    if (day.key < start || day.key >= exit) return;
    const member = treaty.members.find((m) => m.state.ccode === a.int(i, 'member'));
    if (!member) return;
    const level: Level = a.flag(i, 'offense')
      ? 'offense'
      : a.flag(i, 'defense')
        ? 'defense'
        : a.flag(i, 'neutral') || a.flag(i, 'nonagg')
          ? 'neutrality'
          : a.flag(i, 'consul')
            ? 'entente'
            : 'none';
    member.level = stronger(member.level, level);
    if (a.flag(i, 'defconpr')) member.nonprovocation = true;
    const atopid = a.int(i, 'atopid');
    if (!treaty.atop.includes(atopid)) treaty.atop.push(atopid);
  });
}

/**
 * Turns one treaty into alliances of the model, so that each member j promises its own level
 * to the others:
 * - all members at one level: one alliance of that type among all;
 * - some members promise nothing (a guarantee, e.g. of Belgium or Turkey): those are the
 *   protected ones, and each group of promising members at one level is a guarantee of them
 *   (`guarantors` = the group);
 * - members at different levels, none silent (e.g. Germany offense, Austria-Hungary and Italy
 *   defense): each group at one level promises the others by a guarantee, and its own members
 *   each other by an alliance among the group.
 * The nonprovocation clause is carried by defense and entente promises only (MODEL.md: it
 * plays no part for offense or neutrality).
 */
function treatyAlliances(treaty: Treaty): Alliance[] {
  const ids = treaty.members.map((m) => m.state.id);
  const base = `COW ${treaty.id}: ${ids.join('–')}`;
  const np = (m: TreatyMember) => m.nonprovocation && (m.level === 'defense' || m.level === 'entente');
  const groups: { type: AllianceType; nonprovocation: boolean; ids: string[] }[] = [];
  for (const m of treaty.members) {
    if (m.level === 'none') continue;
    const g = groups.find((x) => x.type === m.level && x.nonprovocation === np(m));
    if (g) g.ids.push(m.state.id);
    else groups.push({ type: m.level, nonprovocation: np(m), ids: [m.state.id] });
  }
  groups.sort((a, b) => rank(b.type as Level) - rank(a.type as Level));
  const terms = (g: (typeof groups)[number]) => (g.nonprovocation ? { nonprovocation: true } : {});

  if (groups.length === 1 && groups[0]!.ids.length === ids.length) {
    return [{ name: base, type: groups[0]!.type, members: [...ids], ...terms(groups[0]!) }];
  }
  const silent = treaty.members.filter((m) => m.level === 'none').map((m) => m.state.id);
  // Fresh arrays for every alliance: shared ones would come out as YAML anchors and aliases.
  const out: Alliance[] = [];
  for (const g of groups) {
    if (silent.length > 0) {
      out.push({
        name: `${base} (${g.type} by ${g.ids.join('–')})`,
        type: g.type,
        members: [...g.ids, ...silent],
        ...terms(g),
        guarantors: [...g.ids],
      });
      continue;
    }
    if (g.ids.length >= 2)
      out.push({
        name: `${base} (${g.type} among ${g.ids.join('–')})`,
        type: g.type,
        members: [...g.ids],
        ...terms(g),
      });
    out.push({
      name: `${base} (${g.type} by ${g.ids.join('–')})`,
      type: g.type,
      members: [...ids],
      ...terms(g),
      guarantors: [...g.ids],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Crisis and header

function crisisState(
  code: string,
  role: 'initiator' | 'target',
  states: State[],
  table: Table,
  day: Day,
): State {
  const key = code.trim();
  const found = /^\d+$/.test(key)
    ? states.find((s) => s.ccode === Number(key))
    : states.find((s) => s.id === key.toUpperCase());
  if (found) return found;
  const c = cells(table);
  const rows = table.rows
    .map((_, i) => i)
    .filter((i) => c.text(i, 'stateabb').toUpperCase() === key.toUpperCase() || c.text(i, 'ccode') === key);
  const when = rows
    .map(
      (i) =>
        `${c.text(i, 'styear')}-${c.text(i, 'stmonth').padStart(2, '0')}-${c.text(i, 'stday').padStart(2, '0')} to ${c.text(i, 'endyear')}-${c.text(i, 'endmonth').padStart(2, '0')}-${c.text(i, 'endday').padStart(2, '0')}`,
    )
    .join(', ');
  const why =
    rows.length > 0
      ? `${c.text(rows[0]!, 'statenme')} is a system member only ${when}`
      : `no such state in ${table.name}`;
  throw new InputError(
    `--${role}: "${code}": not a COW system member on ${day.text} (${why}); expected a COW abbreviation or country code of a ` +
      `member on that day, e.g. ${states
        .slice(0, 3)
        .map((s) => `${s.id} or ${s.ccode}`)
        .join(', ')}`,
  );
}

interface HeaderInput {
  opts: CowImportOptions;
  day: Day;
  dataDir: string;
  tables: Record<DataSetKey, Table>;
  scenario: Scenario;
  treaties: Treaty[];
  notes: string[];
  initiator: State;
  target: State;
}

function buildHeader(h: HeaderInput): string {
  const { tables, scenario, day } = h;
  const file = (k: DataSetKey) =>
    `${tables[k].name}${tables[k].version ? ` (version ${tables[k].version})` : ''}`;
  const greatPowers = scenario.states.filter((s) => s.greatPower).map((s) => s.id);
  const refined = h.treaties.filter((t) => t.atop.length > 0).length;
  const folder = h.opts.dataDir === undefined ? "entangle's data/ folder (data/README.md)" : h.opts.dataDir;
  const lines = [
    `The Correlates of War state system on ${day.text}: ${h.initiator.name} (${h.initiator.id}) attacks ${h.target.name} (${h.target.id}).`,
    `${scenario.states.length} states, ${greatPowers.length} great powers (${greatPowers.join(', ')}), ${scenario.borders.length} land borders,`,
    `${scenario.alliances.length} alliances from ${h.treaties.length} COW treaties. Read from ${folder}:`,
    '',
    `states        ${file('states')}: system members on ${day.text};`,
    '              id = stateabb, name = statenme (or the name of the day: Serbia for YUG), ccode kept.',
    `capability    ${file('nmc')}: cinc of ${h.opts.year}.`,
    `greatPower    ${file('majors')}: major powers on ${day.text}.`,
    `borders       ${file('contiguity')}: conttype 1 (land) in force in ${day.month} (yyyymm).`,
    `alliances     ${file('alliances')}: treaty members in force on ${day.text},`,
    '              one treaty per version4id. Each member promises its strongest type: defense >',
    '              neutrality (COW neutrality or nonaggression) > entente; a member that promises',
    '              nothing is only protected (the others are its guarantors).',
    `treaty terms  ${file('atop')}: phases in force on ${day.text},`,
    `              matched on cow4id = version4id (${refined} of the ${h.treaties.length} treaties). A member promises the`,
    '              stronger of its COW and ATOP obligations (ATOP offense > defense > neutral or',
    '              nonagg > consul, as entente); defconpr (defense only if the ally did not provoke)',
    '              = nonprovocation. A treaty whose members promise at different levels becomes one',
    '              alliance per level: "(TYPE by IDS)" is a guarantee by IDS to the other members,',
    '              "(TYPE among IDS)" their promises to each other.',
    ...(h.notes.length > 0 ? ['', 'Notes:', ...h.notes.map((n) => `  ${n}`)] : []),
    '',
    'Citations:',
    ...(['states', 'nmc', 'contiguity', 'alliances', 'atop'] as const).flatMap((k) =>
      wrap(DATA_SETS[k].citation, 96, '  ', '    '),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Breaks a long text into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = rest + word;
    } else line += line.trim() === '' ? word : ` ${word}`;
  }
  out.push(line);
  return out;
}
