/**
 * Naming an alliance of a scenario in a variant or a sweep key: by its `name`, or by its treaty
 * number in COW or ATOP (`{ cow: 64 }`, or `cow=64` where only text fits: mapping keys and
 * the brackets of `alliance[…]`). A reference must name exactly one alliance; an unknown or
 * ambiguous one is the user's error, and the message lists the nearest names.
 */
import type { Alliance, Scenario } from '../model/types.js';

/** How a variant or sweep key names an alliance. */
export type AllianceRef = string | { cow: number } | { atop: number };

/** How many near matches an error lists. */
const NEAR_MATCHES = 5;

/** The text forms `cow=64` and `atop=3040` name a treaty by number; any other text is a name. */
export function parseRefText(text: string): AllianceRef {
  const m = /^\s*(cow|atop)\s*=\s*(\d+)\s*$/i.exec(text);
  if (!m) return text;
  const n = Number(m[2]);
  return m[1]!.toLowerCase() === 'cow' ? { cow: n } : { atop: n };
}

/** A reference as a message shows it: `"COW 64: GMY–AUH"`, `cow 64`. */
export function refLabel(ref: AllianceRef): string {
  if (typeof ref === 'string') return JSON.stringify(ref);
  return 'cow' in ref ? `cow ${ref.cow}` : `atop ${ref.atop}`;
}

/** Case, dashes and runs of spaces do not tell names apart for a human typing them (- for –). */
function loose(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212-]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The index of the one alliance `ref` names, or a message (without file or place) saying why
 * there is none. A name matches exactly, or else loosely (case, dashes and spaces aside) if
 * exactly one alliance matches that way.
 */
export function findAlliance(
  scenario: Pick<Scenario, 'alliances' | 'states'>,
  ref: AllianceRef,
): number | string {
  const alliances = scenario.alliances;
  let hits: number[];
  if (typeof ref === 'string') {
    hits = indicesWhere(alliances, (a) => a.name === ref);
    if (hits.length === 0) hits = indicesWhere(alliances, (a) => loose(a.name) === loose(ref));
  } else {
    const field = 'cow' in ref ? 'cow' : 'atop';
    const n = 'cow' in ref ? ref.cow : ref.atop;
    hits = indicesWhere(alliances, (a) => a[field] === n);
  }
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) {
    return `${refLabel(ref)} names ${hits.length} alliances (${hits.map((i) => JSON.stringify(alliances[i]!.name)).join(', ')}); expected exactly one: name it by its full name`;
  }
  if (alliances.length === 0) return `no alliance named ${refLabel(ref)}: the scenario has no alliances`;
  if (typeof ref === 'string')
    return `no alliance named ${refLabel(ref)}; nearest: ${nearestNames(scenario, ref).join(', ')}`;
  const field = 'cow' in ref ? 'cow' : 'atop';
  const near = nearestNumbers(alliances, ref);
  if (near.length === 0)
    return `no alliance has ${refLabel(ref)}: none of the scenario's alliances records its ${field.toUpperCase()} number; name it by its name`;
  return `no alliance has ${refLabel(ref)}; nearest: ${near.join(', ')}`;
}

function indicesWhere(alliances: readonly Alliance[], test: (a: Alliance) => boolean): number[] {
  const out: number[] = [];
  alliances.forEach((a, i) => {
    if (test(a)) out.push(i);
  });
  return out;
}

/**
 * Names ranked by likeness to `name`: names containing it (or contained in it) first; then by
 * how many of its words begin like a word of the alliance's name or of its members' ids and
 * names ("Franco-Russian" finds FRN–RUS through France and Russia); then by edit distance.
 */
function nearestNames(scenario: Pick<Scenario, 'alliances' | 'states'>, name: string): string[] {
  const q = loose(name);
  const queryWords = words(q);
  const stateName = new Map(scenario.states.map((s) => [s.id, s.name]));
  const scored = scenario.alliances.map((a, i) => {
    const n = loose(a.name);
    const own = words([n, ...a.members.map((m) => `${m} ${stateName.get(m) ?? ''}`)].join(' ').toLowerCase());
    const shared = queryWords.filter((w) =>
      own.some((o) => commonPrefix(w, o) >= Math.min(3, w.length, o.length)),
    );
    return {
      i,
      contains: n.includes(q) || q.includes(n) ? 1 : 0,
      shared: shared.length,
      distance: editDistance(q, n) / Math.max(q.length, n.length),
    };
  });
  scored.sort(
    (x, y) => y.contains - x.contains || y.shared - x.shared || x.distance - y.distance || x.i - y.i,
  );
  return scored.slice(0, NEAR_MATCHES).map((s) => JSON.stringify(scenario.alliances[s.i]!.name));
}

/** The words of a name (letters and digits), ignoring short words that say nothing (by, of); numbers stay. */
function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 || /^\d+$/.test(w));
}

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

/** Alliances with the treaty numbers closest to the one asked for. */
function nearestNumbers(alliances: readonly Alliance[], ref: { cow: number } | { atop: number }): string[] {
  const field = 'cow' in ref ? 'cow' : 'atop';
  const n = 'cow' in ref ? ref.cow : ref.atop;
  const numbered = alliances
    .map((a, i) => ({ i, k: a[field] }))
    .filter((x): x is { i: number; k: number } => x.k !== undefined);
  numbered.sort((x, y) => Math.abs(x.k - n) - Math.abs(y.k - n) || x.i - y.i);
  return numbered
    .slice(0, NEAR_MATCHES)
    .map((x) => `${field} ${x.k} (${JSON.stringify(alliances[x.i]!.name)})`);
}

/** Levenshtein distance (insertions, deletions, substitutions), one row of memory. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
