import { CsvError, parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/** A CSV file read as records keyed by its header, with each record's line for messages. */
export interface CsvTable {
  header: string[];
  rows: Record<string, string>[];
  /** Line in the file of each row (1-based; the header is line 1). */
  lines: number[];
}

/**
 * Parses CSV text with a header row, checking that every required column is there; a bad
 * file is an InputError naming `file` and saying what was expected (`expected` completes
 * "expected the columns …", e.g. "(the layout of data/wars/training_wars.csv)").
 */
export function parseCsvTable(
  text: string,
  file: string,
  required: readonly string[],
  expected = '',
): CsvTable {
  let header: string[] | undefined;
  let records: { info: { lines: number }; record: Record<string, string> }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      columns: (h: string[]) => {
        header = h;
        return h;
      },
    }) as unknown as typeof records;
  } catch (err) {
    if (err instanceof CsvError) throw new InputError(`${file}: not a valid CSV file: ${err.message}`);
    throw err;
  }
  if (header === undefined) {
    throw new InputError(`${file}: the file is empty; expected a header row with ${required.join(', ')}`);
  }
  const missing = required.filter((c) => !header!.includes(c));
  if (missing.length > 0) {
    throw new InputError(
      `${file}: header row: missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}; ` +
        `expected the columns ${required.join(', ')}${expected ? ` ${expected}` : ''}`,
    );
  }
  return { header, rows: records.map((r) => r.record), lines: records.map((r) => r.info.lines) };
}
