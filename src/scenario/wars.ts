/**
 * Wars files: one historical war per row, in the layout of data/wars/training_wars.csv and
 * data/wars/development_wars.csv (COW Inter-State War Data). Only the columns the backtest
 * needs are required; others (the alliance-detail columns of the training file) are ignored.
 */
import { InputError } from '../errors.js';
import { parseCsvTable } from './csv-table.js';
import { readTextFile } from './read.js';

/** The columns a wars file must have. `init_b_side`, if present, must be the other side. */
export const WAR_COLUMNS = [
  'war_label',
  'start_date',
  'init_a_ccode',
  'init_a_side',
  'init_b_ccode',
  'joiners',
] as const;

/** One entry of a joiner: on which side (the model's: 1 the initiator's, 2 the target's) and when. */
export interface Entry {
  side: 1 | 2;
  date: string;
}

/**
 * A state that joined the war, from the `joiners` column (`ccode:ABB:sideN:YYYY-MM-DD;…`). COW
 * lists a state that switched sides once per side (Germany in the Latvian war of 1918–20): its
 * first entry (earliest date; on one date, the first listed) is the one the model predicts,
 * `side` and `date`; the others are `later`.
 */
export interface Joiner extends Entry {
  ccode: number;
  abb: string;
  later: Entry[];
}

/** One war of a wars file. */
export interface HistoricalWar {
  label: string;
  /** Line of the file (1-based, header = 1) for messages. */
  line: number;
  startDate: string;
  year: number;
  initiatorCcode: number;
  targetCcode: number;
  joiners: Joiner[];
}

/** Reads a wars file; a missing file, a missing column or a bad cell is an InputError. */
export function readWars(file: string): HistoricalWar[] {
  const text = readTextFile(file, 'a wars file in the layout of data/wars/training_wars.csv');
  return parseWars(text, file);
}

/** Parses the text of a wars file (`file` names it in messages). */
export function parseWars(text: string, file: string): HistoricalWar[] {
  const { rows, lines } = parseCsvTable(
    text,
    file,
    WAR_COLUMNS,
    '(the layout of data/wars/training_wars.csv)',
  );
  if (rows.length === 0) throw new InputError(`${file}: no wars; expected one row per war below the header`);
  const labels = new Set<string>();
  return rows.map((record, r) => {
    const line = lines[r]!;
    const fail = (column: string, expected: string): never => {
      throw new InputError(
        `${file}: line ${line}, column ${column}: expected ${expected}, found "${record[column] ?? ''}"`,
      );
    };
    const int = (column: string): number => {
      const v = record[column] ?? '';
      if (!/^\d+$/.test(v)) fail(column, 'a whole number');
      return Number(v);
    };
    const label = record.war_label ?? '';
    if (label === '') fail('war_label', 'a name for the war');
    if (labels.has(label)) fail('war_label', 'a name used by no other row');
    labels.add(label);
    const startDate = record.start_date ?? '';
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(startDate);
    if (!m) fail('start_date', 'a date YYYY-MM-DD');
    const initiatorCcode = int('init_a_ccode');
    const targetCcode = int('init_b_ccode');
    if (targetCcode === initiatorCcode)
      fail('init_b_ccode', `a state other than init_a_ccode ${initiatorCcode}`);
    const sideA = int('init_a_side');
    if (sideA !== 1 && sideA !== 2) fail('init_a_side', 'a COW side 1 or 2');
    if ((record.init_b_side ?? '') !== '' && int('init_b_side') !== 3 - sideA)
      fail('init_b_side', `the other COW side than init_a_side (${3 - sideA})`);
    const byState = new Map<number, { abb: string; entries: Entry[] }>();
    for (const entry of (record.joiners ?? '').split(';')) {
      if (entry.trim() === '') continue;
      const j = /^(\d+):([A-Za-z]*):side([12])(?::(\d{4}-\d{2}-\d{2}))?$/.exec(entry.trim());
      if (!j) fail('joiners', `entries ccode:ABB:sideN:YYYY-MM-DD separated by ";" (bad entry "${entry}")`);
      const ccode = Number(j![1]);
      if (ccode === initiatorCcode || ccode === targetCcode)
        fail('joiners', `joiners other than the initial belligerents (${ccode} is one)`);
      const state = byState.get(ccode) ?? { abb: j![2]!, entries: [] };
      state.entries.push({ side: Number(j![3]) === sideA ? 1 : 2, date: j![4] ?? '' });
      byState.set(ccode, state);
    }
    const joiners: Joiner[] = [...byState].map(([ccode, { abb, entries }]) => {
      // Stable sort: undated entries keep their place among the others.
      const [first, ...later] = [...entries].sort((x, y) =>
        x.date !== '' && y.date !== '' ? x.date.localeCompare(y.date) : 0,
      );
      return { ccode, abb, side: first!.side, date: first!.date, later };
    });
    return { label, line, startDate, year: Number(m![1]), initiatorCcode, targetCcode, joiners };
  });
}
