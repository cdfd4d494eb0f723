/**
 * A treaty's promises as alliances of the model: members that make the same promise on the
 * same terms form one group, and each group becomes one alliance (or a guarantee of the others).
 */
import type { Alliance } from '../../model/types.js';
import { type Obligation, TYPE_ORDER } from './obligations.js';
import { type Treaty, treatyLabel } from './treaties.js';

/** An alliance and the comment saying where its terms came from. */
export interface ImportedAlliance {
  alliance: Alliance;
  comment: string;
}

/** Members making one promise on the same terms. */
interface Group {
  type: Obligation['type'];
  adversaries: string[] | undefined;
  conditional: boolean;
  nonprovocation: boolean;
  ids: string[];
  sources: string[];
  reasons: string[];
}

const termsKey = (o: Pick<Obligation, 'type' | 'adversaries' | 'conditional' | 'nonprovocation'>) =>
  `${o.type}|${o.adversaries?.join(',') ?? '*'}|${o.conditional}|${o.nonprovocation}`;

/**
 * Turns one treaty into alliances, so that each member promises exactly its own obligations
 * to every other member:
 * - a group of every member: one alliance among all, named after the treaty (`COW 64: GMY–AUH`)
 *   for the first such group (the strongest promise), `(TYPE)` for the others;
 * - a group of some members: a guarantee by them to the others, `(TYPE by IDS)`, and, for two
 *   or more, their promises to each other, `(TYPE among IDS)`. A member that promises nothing
 *   (Belgium, 1839) is only protected.
 * Names are `COW n: IDS …` (or `ATOP n: IDS …` for a treaty only ATOP codes); the alliance
 * records both numbers (`cow`, `atop`).
 */
export function treatyAlliances(treaty: Treaty): ImportedAlliance[] {
  const ids = treaty.members.map((m) => m.state.id);
  const base = `${treatyLabel(treaty)}: ${ids.join('–')}`;
  const groups: Group[] = [];
  const byTerms = new Map<string, Group>();
  for (const m of treaty.members) {
    for (const o of m.obligations) {
      let g = byTerms.get(termsKey(o));
      if (!g) {
        g = {
          type: o.type,
          adversaries: o.adversaries,
          conditional: o.conditional,
          nonprovocation: o.nonprovocation,
          ids: [],
          sources: [],
          reasons: [],
        };
        groups.push(g);
        byTerms.set(termsKey(o), g);
      }
      g.ids.push(m.state.id);
      if (!g.sources.includes(o.source)) g.sources.push(o.source);
      for (const r of o.reasons) if (!g.reasons.includes(r)) g.reasons.push(r);
    }
  }
  groups.sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));

  const numbers = {
    ...(treaty.cow !== undefined ? { cow: treaty.cow } : {}),
    ...(treaty.atop.length > 0 ? { atop: treaty.atop[0]! } : {}),
  };
  const out: ImportedAlliance[] = [];
  const names = new Set<string>();
  // Fresh arrays for every alliance: shared ones would come out as YAML anchors and aliases.
  const add = (g: Group, suffix: string, members: string[], guarantors?: string[]) => {
    let name = suffix === '' ? base : `${base} (${suffix})`;
    // Two groups of one type and members differ only in their terms: the terms tell them apart.
    if (names.has(name)) name = `${base} (${suffix}, ${describeTerms(g)})`;
    names.add(name);
    out.push({
      alliance: {
        name,
        type: g.type,
        members,
        ...(g.nonprovocation ? { nonprovocation: true } : {}),
        ...(guarantors !== undefined ? { guarantors } : {}),
        ...(g.adversaries !== undefined ? { adversaries: [...g.adversaries] } : {}),
        ...(g.conditional ? { conditional: true } : {}),
        ...numbers,
      },
      comment: `${g.sources.join(', ')}${g.reasons.length > 0 ? `: ${g.reasons.join(', ')}` : ''}`,
    });
  };
  let plain = true;
  for (const g of groups) {
    if (g.ids.length === ids.length) {
      // The first promise all members make keeps the treaty's plain name, the name the
      // importer gave the whole treaty before it read each obligation (variants refer to it).
      add(g, plain ? '' : g.type, [...ids]);
      plain = false;
      continue;
    }
    if (g.ids.length >= 2) add(g, `${g.type} among ${g.ids.join('–')}`, [...g.ids]);
    add(g, `${g.type} by ${g.ids.join('–')}`, [...ids], [...g.ids]);
  }
  return out;
}

function describeTerms(g: Group): string {
  const parts: string[] = [];
  if (g.adversaries) parts.push(`against ${g.adversaries.join('–')}`);
  if (g.conditional) parts.push('conditional');
  if (g.nonprovocation) parts.push('unprovoked');
  return parts.length > 0 ? parts.join(' ') : 'unconditional';
}
