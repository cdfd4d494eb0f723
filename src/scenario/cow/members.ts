/**
 * The members of the state system on one day: who they are (COW State System Membership),
 * their capability (NMC CINC of the year), great-power status and land borders on the day,
 * and the two states of the crisis.
 */
import { InputError } from '../../errors.js';
import type { State } from '../../model/types.js';
import { stateNameOn } from '../state-names.js';
import { Cells, type Day, inForce, type Window } from './cells.js';
import { type DataSetKey, derived, type Table } from './files.js';

const STATE_START = ['styear', 'stmonth', 'stday'] as const;
const STATE_END = ['endyear', 'endmonth', 'endday'] as const;

/** The system members on the day, with their CINC of `year`; notes say what was missing. */
export function systemMembers(
  tables: Record<DataSetKey, Table>,
  day: Day,
  year: number,
): { states: State[]; byCcode: Map<number, State>; notes: string[] } {
  const notes: string[] = [];
  const s = new Cells(tables.states);
  const states: State[] = [];
  const byCcode = new Map<number, State>();
  const byId = new Map<string, State>();
  spells(tables.states).forEach(({ window, ccode }, i) => {
    if (!inForce(window, day)) return;
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

  const nmc = cincByYear(tables.nmc);
  const cinc = nmc.byYear.get(year);
  if (!cinc) {
    throw new InputError(
      `${tables.nmc.path}: no rows for year ${year}; expected cinc values for that year (the file covers ${nmc.first}–${nmc.last})`,
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

  for (const major of spells(tables.majors)) {
    if (!inForce(major.window, day)) continue;
    const state = byCcode.get(major.ccode);
    if (state) state.greatPower = true;
  }
  return { states, byCcode, notes };
}

/** Each row of a states or majors file: its country code and the days it covers. */
function spells(table: Table): { ccode: number; window: Window }[] {
  return derived(table, 'spells', () => {
    const c = new Cells(table);
    return table.rows.map((_, i) => ({
      ccode: c.int(i, 'ccode'),
      window: c.window(i, STATE_START, STATE_END, 'last day in'),
    }));
  });
}

/** The NMC file's cinc values by year and country code, and the years it covers. */
function cincByYear(table: Table): { byYear: Map<number, Map<number, number>>; first: number; last: number } {
  return derived(table, 'cinc', () => {
    const n = new Cells(table);
    const byYear = new Map<number, Map<number, number>>();
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    table.rows.forEach((_, i) => {
      const y = n.int(i, 'year');
      first = Math.min(first, y);
      last = Math.max(last, y);
      const year = byYear.get(y) ?? new Map<number, number>();
      year.set(n.int(i, 'ccode'), n.num(i, 'cinc'));
      byYear.set(y, year);
    });
    return { byYear, first, last };
  });
}

/** Land borders (COW conttype 1) in force in the day's month, as pairs of state ids. */
export function landBorders(table: Table, day: Day, byCcode: Map<number, State>): [string, string][] {
  const c = new Cells(table);
  const borders: [string, string][] = [];
  const seen = new Set<string>();
  table.rows.forEach((_, i) => {
    if (c.int(i, 'conttype') !== 1) return;
    // begin and end are months (yyyymm), both in force: the same window as a day's, whole months.
    const end = c.optInt(i, 'end');
    const window = {
      from: c.int(i, 'begin') * 100 + 1,
      until: end === undefined ? Number.POSITIVE_INFINITY : end * 100 + 32,
    };
    if (!inForce(window, day)) return;
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

/** ccode → COW abbreviation over all of the states file, to name states outside the system. */
export function abbreviations(states: Table): Map<number, string> {
  const out = new Map<number, string>();
  for (const row of states.rows)
    if (/^\d+$/.test(row.ccode ?? '')) out.set(Number(row.ccode), row.stateabb ?? '');
  return out;
}

/** The initiator or target: a system member on the day, by COW abbreviation or country code. */
export function crisisState(
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
  const c = new Cells(table);
  const rows = table.rows
    .map((_, i) => i)
    .filter((i) => c.text(i, 'stateabb').toUpperCase() === key.toUpperCase() || c.text(i, 'ccode') === key);
  const date = (i: number, [y, m, d]: readonly [string, string, string]) =>
    `${c.text(i, y)}-${c.text(i, m).padStart(2, '0')}-${c.text(i, d).padStart(2, '0')}`;
  const when = rows.map((i) => `${date(i, STATE_START)} to ${date(i, STATE_END)}`).join(', ');
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
