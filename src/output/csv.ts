import { createWriteStream, renameSync, rmSync, type WriteStream, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { Row } from '../experiment/summary.js';

/** Text cells starting with these could run as a formula in a spreadsheet. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * How a value appears in a cell: numbers in plain `.`-decimal notation with at most 12
 * significant digits (no float noise like 0.30000000000000004), booleans as true/false,
 * text with formula characters neutralised by a leading apostrophe. NaN and Infinity are bugs.
 */
export function formatCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
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

/** Writes a file under a temporary name and renames it into place, so it is never seen half-written. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Writes a small CSV file atomically. */
export function writeCsv(file: string, columns: string[], rows: Row[]): void {
  writeFileAtomic(file, csvText(columns, rows));
}

/**
 * A CSV file written batch by batch with backpressure (for runs.csv, which can be large), under
 * a temporary name until `finish` renames it into place; `abortSync` removes it.
 */
export class CsvStreamWriter {
  readonly tmp: string;
  private readonly out: WriteStream;
  private failed: Error | undefined;

  constructor(
    readonly file: string,
    private readonly columns: string[],
  ) {
    this.tmp = `${file}.tmp-${process.pid}`;
    this.out = createWriteStream(this.tmp);
    this.out.on('error', (e) => (this.failed = e));
    this.out.write(csvText(columns, []));
  }

  /** Appends rows; resolves when the stream can take more. */
  async write(rows: Row[]): Promise<void> {
    if (this.failed) throw this.failed;
    const text = stringify(
      rows.map((r) => cells(this.columns, r)),
      { record_delimiter: 'unix' },
    );
    if (!this.out.write(text)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  /** Flushes, closes and renames into place. */
  async finish(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.out.once('finish', resolve);
      this.out.once('error', reject);
      this.out.end();
    });
    if (this.failed) throw this.failed;
    renameSync(this.tmp, this.file);
  }

  /** Removes the temporary file at once (for an immediate exit). */
  abortSync(): void {
    this.out.destroy();
    rmSync(this.tmp, { force: true });
  }
}
