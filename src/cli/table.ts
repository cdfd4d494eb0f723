/**
 * Text tables for the terminal, laid out to fit its width: numbers right-aligned, a header
 * wider than its column broken onto two lines at a space, one text column (the scenario) as
 * wide as its longest value up to a limit and shortened in the middle beyond it, and the
 * columns that matter least left out when even that does not fit.
 */

/** One column of a table. */
export interface Column {
  label: string;
  align: 'left' | 'right';
  /** Columns are left out from the highest priority up until the table fits; 0 never is. */
  priority?: number;
  /** A text column that may be shortened in the middle: `max` at most, `min` before others go. */
  shrink?: { min: number; max: number };
}

/** The gap between columns. */
const GAP = '  ';
/** The narrowest a shortened column gets when the essential columns alone do not fit. */
const FLOOR = 8;

/** Width on the terminal: code points (names of states and scenarios are not East Asian). */
const widthOf = (s: string) => [...s].length;

/** The width tables are laid out for: the terminal's, else COLUMNS, else 80. */
export function terminalWidth(stream: { columns?: number } = process.stdout): number {
  const env = Number(process.env.COLUMNS);
  return stream.columns || (Number.isInteger(env) && env > 0 ? env : 80);
}

/** `text` shortened to `width` by an ellipsis in the middle, keeping its start and its end. */
export function middleEllipsis(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}

/**
 * A label on one line, or on two where it splits best: at the space that makes the wider line
 * narrowest, or, in a name without spaces (a swept parameter), after a dot or an underscore.
 */
function headerLines(label: string, split: boolean): string[] {
  if (!split) return [label];
  const at = (re: RegExp, keep: number) =>
    [...label.matchAll(re)].map((m) => [label.slice(0, m.index + keep), label.slice(m.index + 1)]);
  const candidates = label.includes(' ') ? at(/ /g, 0) : at(/[._]/g, 1);
  let best = [label];
  for (const lines of candidates)
    if (Math.max(...lines.map(widthOf)) < Math.max(...best.map(widthOf))) best = lines;
  return best;
}

interface Layout {
  keep: number[];
  widths: number[];
  headers: string[][];
}

/** The widths of the columns `keep`, headers split or not, the shrinkable one at `shrinkTo` at most. */
function measure(
  columns: Column[],
  rows: string[][],
  keep: number[],
  split: boolean,
  shrinkTo: number,
): Layout {
  const headers = keep.map((c) => headerLines(columns[c]!.label, split));
  const widths = keep.map((c, k) => {
    const header = Math.max(...headers[k]!.map(widthOf));
    const content = Math.max(header, ...rows.map((r) => widthOf(r[c] ?? '')));
    const s = columns[c]!.shrink;
    return s ? Math.max(Math.min(header, FLOOR), Math.min(content, s.max, shrinkTo)) : content;
  });
  return { keep, widths, headers };
}

const total = (l: Layout) => l.widths.reduce((s, w) => s + w, 0) + GAP.length * (l.widths.length - 1);

/**
 * The layout that fits `width`: as few columns left out as can be, then the shrinkable column
 * (one per table) as wide as can be, then headers on one line where that costs nothing.
 */
function fitLayout(columns: Column[], rows: string[][], width: number): Layout {
  const order = columns
    .map((c, i) => ({ i, p: c.priority ?? 0 }))
    .filter((x) => x.p > 0)
    .sort((a, b) => b.p - a.p || b.i - a.i);
  const shrinkable = columns.find((c) => c.shrink)?.shrink;
  /** Room left for the shrinkable column at this layout's other widths. */
  const room = (l: Layout) =>
    width - total(l) + l.keep.reduce((s, c, k) => s + (columns[c]!.shrink ? l.widths[k]! : 0), 0);
  let keep = columns.map((_, i) => i);
  for (let dropped = 0; ; dropped++) {
    const oneLine = measure(columns, rows, keep, false, Number.POSITIVE_INFINITY);
    if (total(oneLine) <= width) return oneLine;
    const twoLines = measure(columns, rows, keep, true, Number.POSITIVE_INFINITY);
    if (total(twoLines) <= width) return twoLines;
    if (shrinkable && room(twoLines) >= shrinkable.min)
      return measure(columns, rows, keep, true, room(twoLines));
    if (dropped >= order.length) {
      // Even the essential columns do not fit: the shrinkable one goes down to FLOOR.
      return measure(columns, rows, keep, true, Math.max(FLOOR, room(twoLines)));
    }
    const drop = order[dropped]!.i;
    keep = keep.filter((c) => c !== drop);
  }
}

/** Lays rows of formatted cells (one string per column) out as a table at most `width` wide, where it can. */
export function layoutTable(columns: Column[], rows: string[][], width = terminalWidth()): string {
  const { keep, widths, headers } = fitLayout(columns, rows, width);
  const pad = (text: string, k: number) => {
    const c = columns[keep[k]!]!;
    const t = c.shrink ? middleEllipsis(text, widths[k]!) : text;
    const fill = ' '.repeat(Math.max(0, widths[k]! - widthOf(t)));
    return c.align === 'right' ? fill + t : t + fill;
  };
  const height = Math.max(...headers.map((h) => h.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    // A one-line header sits on the bottom line, above its column's values.
    const cells = headers.map((h, k) => pad(h[line - (height - h.length)] ?? '', k));
    lines.push(cells.join(GAP).trimEnd());
  }
  for (const row of rows)
    lines.push(
      keep
        .map((c, k) => pad(row[c] ?? '', k))
        .join(GAP)
        .trimEnd(),
    );
  return lines.join('\n');
}

/**
 * A table whose columns all stay, numbers (and empty cells in a column of numbers) right-aligned,
 * laid out for the terminal's width.
 */
export function textTable(header: string[], rows: (string | number)[][], width = terminalWidth()): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const numeric = (i: number) =>
    cells.some((r) => r[i] !== '') && cells.every((r) => r[i] === '' || /^[-−]?[\d.,]+%?$|^–$/.test(r[i]!));
  return layoutTable(
    header.map((label, i) => ({ label, align: numeric(i) ? 'right' : 'left' })),
    cells,
    width,
  );
}

/** A share as a percentage with one decimal, e.g. 0.4321 → "43.2%". */
export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/**
 * The one label of each outcome on the terminal, in every command's table (shares print as
 * percentages, so the label names the event; a count is shown as its mean).
 */
export const OUTCOME_LABELS: Readonly<Record<string, string>> = {
  contained: 'contained',
  deterred: 'deterred',
  great_power_war: 'great-power war',
  world_war: 'world war',
  war: 'war',
  mediated: 'mediated',
  initiator_prevails: 'initiator prevails',
  participants: 'mean participants',
  great_powers: 'mean great powers',
  steps: 'mean steps',
};

/** The label of an outcome: OUTCOME_LABELS, else its name in words. */
export function outcomeLabel(field: string): string {
  return OUTCOME_LABELS[field] ?? field.replace(/_/g, ' ');
}
