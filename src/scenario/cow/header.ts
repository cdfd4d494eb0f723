/** The comment header of an imported scenario: which file gave which part, the rules, citations. */
import type { Scenario, State } from '../../model/types.js';
import type { Day } from './cells.js';
import { DATA_SETS, type DataSetKey, type Table } from './files.js';
import type { Treaty } from './treaties.js';

/** What the header describes. */
export interface HeaderInput {
  year: number;
  day: Day;
  /** The --data folder as the user gave it; undefined for entangle's own data/. */
  dataDir: string | undefined;
  tables: Record<DataSetKey, Table>;
  scenario: Scenario;
  treaties: Treaty[];
  notes: string[];
  initiator: State;
  target: State;
}

/** The header text (one line per line, no `#`): where every part of the scenario came from. */
export function buildHeader(h: HeaderInput): string {
  const { tables, scenario, day } = h;
  const file = (k: DataSetKey) =>
    `${tables[k].name}${tables[k].version ? ` (version ${tables[k].version})` : ''}`;
  const greatPowers = scenario.states.filter((s) => s.greatPower).map((s) => s.id);
  const both = h.treaties.filter((t) => t.cow !== undefined && t.atop.length > 0).length;
  const cowOnly = h.treaties.filter((t) => t.atop.length === 0).length;
  const atopOnly = h.treaties.filter((t) => t.cow === undefined).length;
  const folder = h.dataDir === undefined ? "entangle's data/ folder (data/README.md)" : h.dataDir;
  const month = Math.floor(day.key / 100);
  const lines = [
    `The Correlates of War state system on ${day.text}: ${h.initiator.name} (${h.initiator.id}) attacks ${h.target.name} (${h.target.id}).`,
    `${scenario.states.length} states, ${greatPowers.length} great powers (${greatPowers.join(', ')}), ${scenario.borders.length} land borders,`,
    `${scenario.alliances.length} alliances from ${h.treaties.length} treaties (${both} coded by COW and ATOP, ${cowOnly} by COW only,`,
    `${atopOnly} by ATOP only). Read from ${folder}:`,
    '',
    `states        ${file('states')}: system members on ${day.text};`,
    '              id = stateabb, name = statenme (or the name of the day: Serbia for YUG), ccode kept.',
    `capability    ${file('nmc')}: cinc of ${h.year}.`,
    `greatPower    ${file('majors')}: major powers on ${day.text}.`,
    `borders       ${file('contiguity')}: conttype 1 (land) in force in ${month} (yyyymm).`,
    `alliances     ${file('alliances')} and ${file('atop')}:`,
    `              treaty members in force on ${day.text}. A treaty is a COW treaty (version4id) with the`,
    '              ATOP treaties naming it (cow4id), or an ATOP treaty COW does not code. ATOP decides',
    '              for every member it codes in the treaty: in force when one of its phases is (exit',
    '              date exclusive), promising what that phase codes; COW decides for the other members',
    '              (its type flags, no conditions). A member promises each obligation to every other',
    '              member: ATOP offense, defense, neutral (neutrality), nonagg (nonaggression), consul',
    '              (entente); COW defense, neutrality, nonaggression, entente. A weaker promise of the',
    '              same kind (offense > defense > entente; neutrality > nonaggression) is dropped where',
    '              a stronger one applies at least as widely. asymm: members promise differently, read',
    '              member by member.',
    'treaty terms  ATOP conditions per obligation: defcoadv, offcoadv, neucoadv, concoadv with the',
    '              states of statthr1/statthr2 = adversaries (no state named: conditional; named ones',
    '              all outside the system: the promise is left out); defconpr, neuconpr and neucoatt',
    '              (neutral only if the partner is attacked) = nonprovocation; any other condition',
    '              (*coloc place, *cocon specific conflict, *conum number of adversaries, *codem',
    '              demands, concoreq on request) and obvary (the member promises differently to',
    '              different partners, which member-level data do not say) = conditional.',
    '              Members making one promise on the same terms form one alliance: the first promise',
    '              all members make keeps the treaty\'s plain name, the others "(TYPE)"; "(TYPE by IDS)"',
    '              is a guarantee by IDS to the other members, "(TYPE among IDS)" their promises to each',
    '              other. The comment above each alliance names its source and condition columns.',
    ...(h.notes.length > 0 ? ['', 'Notes:', ...h.notes.flatMap((n) => wrap(n, 96, '  ', '    '))] : []),
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
