/**
 * What one member of a treaty promises, read from one row: COW's type flags, or ATOP's
 * obligations with their conditions (adversaries, non-provocation, other conditions); and the
 * rule that drops a promise another of the member's promises covers.
 */
import type { AllianceType, State } from '../../model/types.js';
import type { Cells, Day } from './cells.js';

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

/** What the treaty reading needs to know of the system on the day. */
export interface SystemOnDay {
  day: Day;
  byCcode: Map<number, State>;
  /** ccode → COW abbreviation over the whole states file (for states outside the system). */
  abbreviations: Map<number, string>;
  notes: string[];
}

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

export function cowObligations(c: Cells, i: number, id: number): Obligation[] {
  return COW_TYPES.filter(([column]) => c.flag(i, column)).map(([column, type]) => ({
    type,
    conditional: false,
    nonprovocation: false,
    source: `COW ${id} ${column}`,
    reasons: [],
  }));
}

/** Promises left out because their only adversaries are outside the system: treaty|threats → what. */
export type Dropped = Map<string, { types: AllianceType[]; members: number[] }>;

export function atopObligations(a: Cells, i: number, system: SystemOnDay, dropped: Dropped): Obligation[] {
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
export function strongest(obligations: Obligation[]): Obligation[] {
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
