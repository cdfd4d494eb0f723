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
import type { AllianceType, State } from '../../model/types.js';
import { Cells, type DateColumns, type Day, derived, inForce, type Table, type Window } from './files.js';

/** One promise a member makes to each other member of its treaty, with its conditions. */
export interface Obligation {
  type: AllianceType;
  /** Only against these states (ids), when the treaty names them. */
  adversaries?: string[];
  /** A condition the model cannot check (place, conflict, number of adversaries, …). */
  conditional: boolean;
  /** Not toward a partner that provoked the war (defense), or that attacked (neutrality). */
  nonprovocation: boolean;
  /** Where it comes from, for the scenario's comments: the data set, treaty and columns. */
  source: string;
  /** The columns behind its conditions, e.g. `defcoadv (statthr1 365 = RUS)`, `defcoloc`. */
  reasons: string[];
}

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

/** COW's type flags and the promise each stands for. */
const COW_TYPES: readonly [string, AllianceType][] = [
  ['defense', 'defense'],
  ['neutrality', 'neutrality'],
  ['nonaggression', 'nonaggression'],
  ['entente', 'entente'],
];

/**
 * ATOP's obligations and their conditions (codebook names). A condition on a named adversary
 * becomes `adversaries`; non-provocation and "only if the partner is attacked" become
 * `nonprovocation`; every other condition (location, specific conflict, number of adversaries,
 * non-compliance with demands, consultation on request) becomes `conditional`.
 */
const ATOP_OBLIGATIONS: readonly {
  column: string;
  type: AllianceType;
  adversary?: string;
  conditions: readonly string[];
  nonprovocation: readonly string[];
}[] = [
  {
    column: 'offense',
    type: 'offense',
    adversary: 'offcoadv',
    conditions: ['offcoloc', 'offcocon', 'offconum', 'offcodem'],
    nonprovocation: [],
  },
  {
    column: 'defense',
    type: 'defense',
    adversary: 'defcoadv',
    conditions: ['defcoloc', 'defcocon', 'defconum', 'defcodem'],
    nonprovocation: ['defconpr'],
  },
  {
    column: 'neutral',
    type: 'neutrality',
    adversary: 'neucoadv',
    conditions: ['neucoloc', 'neucocon', 'neuconum', 'neucodem'],
    nonprovocation: ['neuconpr', 'neucoatt'],
  },
  { column: 'nonagg', type: 'nonaggression', conditions: [], nonprovocation: [] },
  {
    column: 'consul',
    type: 'entente',
    adversary: 'concoadv',
    conditions: ['concoloc', 'concocon', 'concoreq'],
    nonprovocation: [],
  },
];

/** What the treaty reading needs to know of the system on the day. */
export interface SystemOnDay {
  day: Day;
  byCcode: Map<number, State>;
  /** ccode → COW abbreviation over the whole states file (for states outside the system). */
  abbreviations: Map<number, string>;
  notes: string[];
}

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

function cowObligations(c: Cells, i: number, id: number): Obligation[] {
  return COW_TYPES.filter(([column]) => c.flag(i, column)).map(([column, type]) => ({
    type,
    conditional: false,
    nonprovocation: false,
    source: `COW ${id} ${column}`,
    reasons: [],
  }));
}

/** Promises left out because their only adversaries are outside the system: treaty|threats → what. */
type Dropped = Map<string, { types: AllianceType[]; members: number[] }>;

function atopObligations(a: Cells, i: number, system: SystemOnDay, dropped: Dropped): Obligation[] {
  const atopid = a.int(i, 'atopid');
  // statthr1/statthr2: the states the treaty names as the threat (0 = none named).
  const threats = (['statthr1', 'statthr2'] as const)
    .map((col) => ({ col, ccode: a.optInt(i, col) ?? 0 }))
    .filter((t) => t.ccode > 0);
  // obvary: the member's obligations differ by partner, which member-level data cannot say; it
  // promises them to every partner, as a condition the model cannot check.
  const varies = a.flag(i, 'obvary');
  const out: Obligation[] = [];
  for (const o of ATOP_OBLIGATIONS) {
    if (!a.flag(i, o.column)) continue;
    const reasons: string[] = [];
    let adversaries: string[] | undefined;
    let conditional = false;
    if (o.adversary !== undefined && a.flag(i, o.adversary)) {
      if (threats.length === 0) {
        conditional = true;
        reasons.push(`${o.adversary} (no state named in statthr1/statthr2)`);
      } else {
        const inSystem = threats.map((t) => system.byCcode.get(t.ccode)).filter((s) => s !== undefined);
        const text = threats
          .map(
            (t) =>
              `${t.col} ${t.ccode}${system.byCcode.has(t.ccode) ? ` = ${system.byCcode.get(t.ccode)!.id}` : ''}`,
          )
          .join(', ');
        if (inSystem.length === 0) {
          const note = dropped.get(`ATOP ${atopid}|${text}`) ?? { types: [], members: [] };
          if (!note.types.includes(o.type)) note.types.push(o.type);
          if (!note.members.includes(a.int(i, 'member'))) note.members.push(a.int(i, 'member'));
          dropped.set(`ATOP ${atopid}|${text}`, note);
          continue;
        }
        adversaries = inSystem.map((s) => s.id);
        reasons.push(`${o.adversary} (${text})`);
      }
    }
    for (const col of o.conditions) {
      if (!a.flag(i, col)) continue;
      conditional = true;
      reasons.push(col);
    }
    if (varies) {
      conditional = true;
      reasons.push('obvary');
    }
    const nonprovocation = o.nonprovocation.filter((col) => a.flag(i, col));
    reasons.push(...nonprovocation);
    out.push({
      type: o.type,
      ...(adversaries !== undefined ? { adversaries } : {}),
      conditional,
      nonprovocation: nonprovocation.length > 0,
      source: `ATOP ${atopid} ${o.column}`,
      reasons,
    });
  }
  return out;
}

/** Promises that bring a state into a war, strongest first; and promises that keep it out. */
const ENTRY: readonly AllianceType[] = ['offense', 'defense', 'entente'];
const RESTRAINT: readonly AllianceType[] = ['neutrality', 'nonaggression'];

/** The order of promise types in a treaty's alliances: entry strongest first, then restraint. */
export const TYPE_ORDER: readonly AllianceType[] = [...ENTRY, ...RESTRAINT];

/**
 * One member's promises without the redundant ones: a weaker promise of the same kind (entry:
 * offense > defense > entente; restraint: neutrality > non-aggression) is dropped where a
 * stronger one applies at least as widely (no adversary list, or a wider one; no condition or
 * non-provocation clause the weaker lacks). Two promises would otherwise count twice: a member
 * with an offense and a defense promise to the same partner would honour one or the other.
 */
function strongest(obligations: Obligation[]): Obligation[] {
  const family = (t: AllianceType) => (ENTRY.includes(t) ? ENTRY : RESTRAINT);
  const terms = (o: Obligation) =>
    Number(o.adversaries !== undefined) + Number(o.conditional) + Number(o.nonprovocation);
  // Strongest type first, and of one type the widest first, so that a wider one is kept.
  const sorted = [...obligations].sort(
    (x, y) => TYPE_ORDER.indexOf(x.type) - TYPE_ORDER.indexOf(y.type) || terms(x) - terms(y),
  );
  const kept: Obligation[] = [];
  for (const o of sorted) {
    const covered = kept.some(
      (k) =>
        family(k.type) === family(o.type) &&
        (k.adversaries === undefined || o.adversaries?.every((x) => k.adversaries!.includes(x)) === true) &&
        (!k.conditional || o.conditional) &&
        (!k.nonprovocation || o.nonprovocation),
    );
    if (!covered) kept.push(o);
  }
  return kept;
}
