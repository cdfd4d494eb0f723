/**
 * The treaties in force on one day and what each member promises, read from COW's alliance
 * members and ATOP's member-level obligations.
 *
 * One rule decides where the two data sets disagree: **ATOP decides for every member it codes,
 * COW for the rest.** A treaty is a COW treaty (`version4id`) together with the ATOP treaties
 * whose `cow4id` names it, or an ATOP treaty with no COW number. A member that ATOP codes in the
 * treaty (in any phase) is in force on the day exactly when one of its ATOP phases is, and
 * promises what that phase codes; a member ATOP does not code is in force when a COW row of it
 * is, and promises its COW type flags, without conditions (COW codes none).
 */
import type { State } from '../../model/types.js';
import { Cells, type DateColumns, inForce, type Window } from './cells.js';
import { derived, type Table } from './files.js';
import {
  atopObligations,
  cowObligations,
  type Dropped,
  type Obligation,
  type SystemOnDay,
  strongest,
} from './obligations.js';

/** A member of a treaty in force on the day. */
export interface TreatyMember {
  state: State;
  obligations: Obligation[];
  /** Which data set decided its membership and promises. */
  coder: 'ATOP' | 'COW';
}

/** A treaty in force on the day: its numbers in either data set and its members. */
export interface Treaty {
  cow?: number;
  /** The ATOP treaties whose phases in force gave members' promises (usually one). */
  atop: number[];
  members: TreatyMember[];
}

const COW_START = ['mem_st_year', 'mem_st_month', 'mem_st_day'] as const satisfies DateColumns;
const COW_END = ['mem_end_year', 'mem_end_month', 'mem_end_day'] as const satisfies DateColumns;
const ATOP_START = ['yrent', 'moent', 'dayent'] as const satisfies DateColumns;
const ATOP_END = ['yrexit', 'moexit', 'dayexit'] as const satisfies DateColumns;

/** Every treaty with at least two system members in force on the day that promise something. */
export function treatiesInForce(cowTable: Table, atopTable: Table, system: SystemOnDay): Treaty[] {
  const { day, byCcode, notes } = system;
  const named = (ccode: number) => {
    const abb = system.abbreviations.get(ccode);
    return abb ? `${abb} (${ccode})` : String(ccode);
  };

  const cow = new Cells(cowTable);
  const atop = new Cells(atopTable);
  const cowRows = rowsOf(cowTable, 'COW');
  const atopRows = rowsOf(atopTable, 'ATOP');
  const inForceRows = (rows: typeof cowRows) => {
    const out = new Map<string, Map<number, number[]>>();
    for (const r of rows.rows) {
      if (!inForce(r.window, day)) continue;
      const members = out.get(r.key) ?? new Map<number, number[]>();
      members.set(r.ccode, [...(members.get(r.ccode) ?? []), r.row]);
      out.set(r.key, members);
    }
    return out;
  };
  const cowInForce = inForceRows(cowRows);
  const atopInForce = inForceRows(atopRows);
  const atopCoded = atopRows.listed;

  const treaties: Treaty[] = [];
  const dropped: Dropped = new Map();
  const keys = [...new Set([...cowInForce.keys(), ...atopInForce.keys()])];
  for (const key of keys) {
    const treaty: Treaty = { atop: [], members: [] };
    if (key.startsWith('C')) treaty.cow = Number(key.slice(1));
    const outside: number[] = [];
    const overruled: number[] = [];
    const listed = [...(cowRows.listed.get(key) ?? []), ...(atopCoded.get(key) ?? [])];
    for (const ccode of new Set(listed)) {
      const coded = atopCoded.get(key)?.includes(ccode) ?? false;
      const rows = coded ? atopInForce.get(key)?.get(ccode) : cowInForce.get(key)?.get(ccode);
      if (coded && !rows && cowInForce.get(key)?.has(ccode)) overruled.push(ccode);
      if (!rows) continue;
      const state = byCcode.get(ccode);
      if (!state) {
        outside.push(ccode);
        continue;
      }
      let obligations: Obligation[];
      if (coded) {
        obligations = rows.flatMap((i) => atopObligations(atop, i, system, dropped));
        for (const i of rows) {
          const id = atop.int(i, 'atopid');
          if (!treaty.atop.includes(id)) treaty.atop.push(id);
        }
      } else obligations = rows.flatMap((i) => cowObligations(cow, i, treaty.cow!));
      treaty.members.push({ state, obligations: strongest(obligations), coder: coded ? 'ATOP' : 'COW' });
    }
    const label = treatyLabel(treaty);
    if (outside.length > 0)
      notes.push(
        `${label}: ${outside.map(named).join(', ')} not in the state system on ${day.text}, left out.`,
      );
    if (overruled.length > 0)
      notes.push(
        `${label}: ${overruled.map(named).join(', ')} in force in COW but no ATOP phase on ${day.text}, left out (ATOP decides).`,
      );
    if (treaty.members.length < 2 || treaty.members.every((m) => m.obligations.length === 0)) {
      if (treaty.members.length > 0)
        notes.push(
          `${label}: ${treaty.members.length < 2 ? 'fewer than two members in the system' : 'no member promises anything'} on ${day.text}, left out.`,
        );
      continue;
    }
    treaty.atop.sort((a, b) => a - b);
    treaties.push(treaty);
  }
  for (const [key, { types, members }] of dropped) {
    const [label, threats] = key.split('|');
    notes.push(
      `${label}: ${types.join(' and ')} of ${members.map(named).join(', ')} only against ${threats}, not in the state system on ${day.text}: left out.`,
    );
  }
  // COW treaties by number, then the treaties only ATOP codes, by ATOP number.
  return treaties.sort((a, b) => (a.cow ?? Infinity) - (b.cow ?? Infinity) || a.atop[0]! - b.atop[0]!);
}

/** A COW or ATOP member row: its treaty key, member, days in force and row index. */
interface MemberRow {
  key: string;
  ccode: number;
  window: Window;
  row: number;
}

/**
 * The member rows of the COW or ATOP file with their treaty keys (`C<version4id>` for a COW
 * treaty and the ATOP treaties naming it in cow4id, `A<atopid>` for an ATOP treaty COW does
 * not code), and the members each treaty lists in any row, in file order.
 */
function rowsOf(table: Table, kind: 'COW' | 'ATOP'): { rows: MemberRow[]; listed: Map<string, number[]> } {
  return derived(table, 'members', () => {
    const c = new Cells(table);
    const listed = new Map<string, number[]>();
    const rows = table.rows.map((_, i): MemberRow => {
      let key: string;
      if (kind === 'COW') key = `C${c.int(i, 'version4id')}`;
      else {
        const cowId = c.optInt(i, 'cow4id');
        key = cowId === undefined ? `A${c.int(i, 'atopid')}` : `C${cowId}`;
      }
      const ccode = c.int(i, kind === 'COW' ? 'ccode' : 'member');
      const list = listed.get(key) ?? [];
      if (!list.includes(ccode)) list.push(ccode);
      listed.set(key, list);
      const window =
        kind === 'COW'
          ? c.window(i, COW_START, COW_END, 'last day in')
          : c.window(i, ATOP_START, ATOP_END, 'first day out');
      return { key, ccode, window, row: i };
    });
    return { rows, listed };
  });
}

/** `COW 64` or, for a treaty only ATOP codes, `ATOP 1480`. */
export function treatyLabel(treaty: Pick<Treaty, 'cow' | 'atop'>): string {
  return treaty.cow !== undefined ? `COW ${treaty.cow}` : `ATOP ${treaty.atop[0]}`;
}
