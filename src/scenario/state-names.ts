/**
 * States by the names a historian uses for the day. COW gives each country code one name, often
 * the later one: ccode 345 `YUG` is "Yugoslavia" from 1878, when it was Serbia; 255 `GMY`
 * "Germany" in 1866, when it was Prussia; 640 `TUR` "Turkey" for the Ottoman Empire. This file
 * holds the names of such states by period, and finds a state the way a user types it: by COW
 * code, country code or name, in any case, with the nearest matches when none fits. Pure.
 */

/** Names of one state (by ccode) over a period, `from` inclusive to `until` exclusive (ISO dates). */
interface Period {
  ccode: number;
  from?: string;
  until?: string;
  /** The name shown for the period; absent: COW's own. */
  name?: string;
  /** Other names a user may type for it in the period. */
  also?: string[];
}

// Sources: the states' own histories (proclamations, unions, renamings); days as commonly given.
const PERIODS: readonly Period[] = [
  { ccode: 2, also: ['United States', 'US', 'America'] },
  { ccode: 200, also: ['Britain', 'Great Britain', 'England', 'UK'] },
  { ccode: 210, also: ['Holland'] },
  { ccode: 255, until: '1871-01-18', name: 'Prussia' },
  { ccode: 255, from: '1871-01-18', until: '1918-11-09', also: ['German Empire'] },
  { ccode: 255, from: '1933-01-30', until: '1945-05-09', also: ['Nazi Germany', 'Third Reich'] },
  { ccode: 260, also: ['West Germany', 'FRG'] },
  { ccode: 265, also: ['East Germany', 'DDR'] },
  { ccode: 271, name: 'Württemberg', also: ['Wurttemberg', 'Wuerttemberg'] },
  // The Austrian Empire until the Compromise of 1867; "Austria" for both, as historians write.
  { ccode: 300, until: '1867-03-30', name: 'Austria', also: ['Austrian Empire', 'Habsburg Empire'] },
  { ccode: 300, from: '1867-03-30', also: ['Austria', 'Dual Monarchy', 'Habsburg Empire'] },
  { ccode: 316, also: ['Czechia'] },
  {
    ccode: 325,
    until: '1861-03-17',
    name: 'Sardinia',
    also: ['Piedmont', 'Piedmont-Sardinia', 'Kingdom of Sardinia'],
  },
  { ccode: 345, until: '1918-12-01', name: 'Serbia' },
  {
    ccode: 345,
    from: '1918-12-01',
    until: '1929-10-03',
    name: 'Kingdom of Serbs, Croats and Slovenes',
    also: ['Kingdom SHS'],
  },
  { ccode: 345, from: '2003-02-04', until: '2006-06-05', name: 'Serbia and Montenegro' },
  { ccode: 345, from: '2006-06-05', name: 'Serbia' },
  { ccode: 365, until: '1917-11-07', also: ['Russian Empire'] },
  { ccode: 365, from: '1917-11-07', until: '1922-12-30', also: ['Soviet Russia'] },
  { ccode: 365, from: '1922-12-30', until: '1991-12-26', name: 'Soviet Union', also: ['USSR'] },
  { ccode: 434, until: '1975-11-30', name: 'Dahomey' },
  { ccode: 437, also: ["Côte d'Ivoire"] },
  { ccode: 439, until: '1984-08-04', name: 'Upper Volta' },
  { ccode: 490, from: '1971-10-27', until: '1997-05-17', name: 'Zaire' },
  { ccode: 552, until: '1980-04-18', name: 'Rhodesia' },
  { ccode: 630, until: '1935-03-21', name: 'Persia' },
  { ccode: 640, until: '1923-10-29', name: 'Ottoman Empire', also: ['Ottomans'] },
  { ccode: 651, from: '1958-02-22', until: '1971-09-02', name: 'United Arab Republic' },
  { ccode: 678, also: ['North Yemen'] },
  { ccode: 680, also: ['South Yemen'] },
  { ccode: 710, from: '1949-10-01', also: ["People's Republic of China", 'PRC'] },
  { ccode: 775, until: '1989-06-18', name: 'Burma' },
  { ccode: 780, until: '1972-05-22', name: 'Ceylon' },
  { ccode: 800, until: '1939-06-24', name: 'Siam' },
  { ccode: 800, from: '1945-09-08', until: '1949-05-11', name: 'Siam' },
  { ccode: 811, from: '1970-10-09', until: '1975-04-17', name: 'Khmer Republic' },
  { ccode: 811, from: '1975-04-17', until: '1989-05-01', name: 'Kampuchea' },
  { ccode: 816, until: '1976-07-02', name: 'North Vietnam', also: ['Democratic Republic of Vietnam'] },
  { ccode: 817, also: ['South Vietnam'] },
];

const inPeriod = (p: Period, date: string) =>
  (p.from ?? '') <= date && (p.until === undefined || date < p.until);

/** The name of state `ccode` on `date` (YYYY-MM-DD): its historical name where COW's `cowName` is anachronistic. */
export function stateNameOn(ccode: number, cowName: string, date: string): string {
  return PERIODS.find((p) => p.ccode === ccode && p.name !== undefined && inPeriod(p, date))?.name ?? cowName;
}

/** A state of the COW states file: its codes, COW's name and its spells of system membership (ISO dates, inclusive). */
export interface StateRecord {
  id: string;
  ccode: number;
  cowName: string;
  spells: { from: string; to: string }[];
}

/** What a user's text names on a day: a system member, a state that is not one then, or nothing (with the nearest members). */
export type StateMatch =
  | { kind: 'member'; state: StateRecord }
  | { kind: 'not a member'; state: StateRecord }
  | { kind: 'none'; nearest: StateRecord[] };

/** Lower case, accents and punctuation gone: "Württemberg" and "wurttemberg", "Austria-Hungary" and "austria hungary" are one. */
function normal(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Every name a state answers to: on `date` if given, else in any period. */
function namesOf(s: StateRecord, date: string | undefined): string[] {
  const names = [s.cowName];
  for (const p of PERIODS) {
    if (p.ccode !== s.ccode || (date !== undefined && !inPeriod(p, date))) continue;
    if (p.name) names.push(p.name);
    names.push(...(p.also ?? []));
  }
  return names;
}

/** Whether a state is a system member on `date`. */
export const isMember = (s: StateRecord, date: string) =>
  s.spells.some((sp) => sp.from <= date && date <= sp.to);

/**
 * The state `query` names on `date`: a COW country code (345), a COW abbreviation (YUG) or a
 * name the state goes by on that day (Serbia, Austria-Hungary, USSR), in any case. When nothing
 * matches, up to three members of that day whose codes or names (of any period) come nearest.
 */
export function findState(query: string, states: readonly StateRecord[], date: string): StateMatch {
  const q = query.trim();
  const wanted = normal(q);
  const matches = (s: StateRecord) =>
    /^\d+$/.test(q)
      ? s.ccode === Number(q)
      : s.id.toUpperCase() === q.toUpperCase() || namesOf(s, date).some((n) => normal(n) === wanted);
  const found = states.filter(matches);
  const member = found.find((s) => isMember(s, date));
  if (member) return { kind: 'member', state: member };
  if (found.length > 0) return { kind: 'not a member', state: found[0]! };
  const scored = states
    .filter((s) => isMember(s, date))
    .map((s) => ({
      s,
      score: Math.min(...[s.id, ...namesOf(s, undefined)].map((n) => nearness(wanted, normal(n)))),
    }))
    .filter((x) => x.score < Number.POSITIVE_INFINITY)
    .sort((a, b) => a.score - b.score || a.s.ccode - b.s.ccode);
  // The nearest, and those about as near: a name of another period outranks a typing mistake.
  const best = scored[0]?.score ?? 0;
  return {
    kind: 'none',
    nearest: scored
      .filter((x) => x.score <= best + 0.5)
      .slice(0, 3)
      .map((x) => x.s),
  };
}

/**
 * How near a typed text comes to a name, lower is nearer, infinite when too far: the name
 * itself (0: a name of another period), its start (0.5), its letters in order like an abbreviation, "srb" for "serbia" (1), or a few
 * typing mistakes (1 + their number; one per four letters typed).
 */
function nearness(typed: string, name: string): number {
  if (typed === name) return 0;
  if (typed.length >= 3 && name.startsWith(typed)) return 0.5;
  const compact = name.replace(/ /g, '');
  if (typed.length <= 5 && typed[0] === compact[0] && isSubsequence(typed.replace(/ /g, ''), compact))
    return 1;
  const d = editDistance(typed, name);
  return d <= Math.max(1, Math.floor(typed.length / 4)) ? 1 + d : Number.POSITIVE_INFINITY;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

/** Edits (insert, delete, replace, swap two neighbours) turning a into b: optimal string alignment. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
