import { stringify } from 'csv-stringify/sync';
import type { Row } from '../experiment/summary.js';
import { writeFileAtomic } from './atomic.js';

// Kept where other outputs (report, workbook, sensitivity) import it from; atomic.ts is its home.
export { writeFileAtomic };

/** Text cells starting with these could run as a formula in a spreadsheet. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * How a value appears in a cell: numbers in plain `.`-decimal notation with at most 12
 * significant digits (no float noise like 0.30000000000000004), booleans as 1/0 (numbers in
 * every spreadsheet locale and in R, whose mean is the share), text with formula characters
 * neutralised by a leading apostrophe. NaN and Infinity are bugs.
 */
export function formatCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`refusing to write ${value} to a CSV file`);
    if (Number.isInteger(value)) return String(value);
    const s = String(Number(value.toPrecision(12)));
    return s.includes('e') ? plainDecimal(Number(value.toPrecision(12))) : s;
  }
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Writes a small number in plain decimal notation (spreadsheets in some locales misread 1e-7). */
function plainDecimal(x: number): string {
  const digits = Math.max(0, 12 - Math.floor(Math.log10(Math.abs(x))) - 1);
  return x.toFixed(Math.min(100, digits)).replace(/0+$/, '').replace(/\.$/, '');
}

function cells(columns: string[], row: Row): string[] {
  return columns.map((c) => formatCell(row[c]));
}

/** The whole CSV text (RFC 4180, header row, CRLF-free `\n` records). */
export function csvText(columns: string[], rows: Row[]): string {
  return stringify([columns, ...rows.map((r) => cells(columns, r))], { record_delimiter: 'unix' });
}

/** Writes a small CSV file atomically. */
export function writeCsv(file: string, columns: string[], rows: Row[]): void {
  writeFileAtomic(file, csvText(columns, rows));
}
