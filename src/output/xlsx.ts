import { join } from 'node:path';
import writeXlsxFile, { type Row, type Sheet } from 'write-excel-file/node';
import { writeFileAtomic } from './csv.js';
import { type Manifest, MODEL_DOCUMENT } from './manifest.js';
import { type ResultFolder, readResults, type Table, type Value } from './read-results.js';

/** The workbook's file name inside the results folder. */
export const WORKBOOK_FILE = 'results.xlsx';

/** Tables in this order first, then any other CSV file of the folder alphabetically. */
const SHEET_ORDER = [
  'summary.csv',
  'joiners.csv',
  'sizes.csv',
  'params.csv',
  'compare.csv',
  'backtest.csv',
  'backtest-summary.csv',
  'calibration.csv',
];

/**
 * Left out: one row per run is for R or Python, and can pass a spreadsheet's 1,048,576 rows
 * (ten cells of 100,000 runs already do).
 */
const LEFT_OUT = new Set(['runs.csv']);

/** Column widths in characters: wide enough for the header and the longest value, within bounds. */
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/**
 * Writes DIR/results.xlsx from the CSV files in DIR (and in a comparison's a/ and b/): one sheet
 * per table with numbers stored as numbers and booleans as booleans, so that no locale's decimal
 * or list separator can misread them; the header row frozen, columns as wide as their contents;
 * and a sheet `provenance` with what manifest.json records. Returns the file's name.
 */
export async function writeWorkbook(dir: string): Promise<string> {
  const results = readResults(dir);
  const sheets: Sheet<never>[] = [];
  for (const folder of results.folders) {
    for (const file of sheetFiles(folder)) {
      const table = folder.table(file)!;
      sheets.push(tableSheet(sheetName(folder, file), table));
    }
  }
  sheets.push(provenanceSheet(results.folders));
  const buffer = await writeXlsxFile(sheets).toBuffer();
  writeFileAtomic(join(dir, WORKBOOK_FILE), buffer);
  return WORKBOOK_FILE;
}

/** The CSV files of a folder that become sheets, in sheet order. */
export function sheetFiles(folder: ResultFolder): string[] {
  const files = folder.csvFiles.filter((f) => !LEFT_OUT.has(f));
  const rank = (f: string) => {
    const i = SHEET_ORDER.indexOf(f);
    return i < 0 ? SHEET_ORDER.length : i;
  };
  return files.sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
}

/** A table's sheet name: its file's stem, after the side of a comparison (`A summary`). */
export function sheetName(folder: ResultFolder, file: string): string {
  const stem = file.replace(/\.csv$/, '');
  // Excel allows 31 characters and none of : \ / ? * [ ].
  return (folder.label ? `${folder.label} ${stem}` : stem).replace(/[:\\/?*[\]]/g, '_').slice(0, 31);
}

function tableSheet(name: string, table: Table): Sheet<never> {
  const header: Row = table.columns.map((c) => ({ value: c, fontWeight: 'bold' as const }));
  // A column holding any text is text throughout (scenario names such as "1914" among others),
  // so that no column mixes numbers and text.
  const textual = table.columns.map((c) => table.rows.some((r) => typeof r[c] === 'string'));
  const rows: Row[] = table.rows.map((r) =>
    table.columns.map((c, i) => {
      const v = r[c];
      return cellOf(textual[i] && v !== undefined ? String(v) : v);
    }),
  );
  return {
    sheet: name,
    data: [header, ...rows],
    stickyRowsCount: 1,
    columns: table.columns.map((c) => ({ width: widthOf([c, ...table.rows.map((r) => r[c])]) })),
  };
}

/** A value as a typed cell: numbers as numbers, booleans as booleans, empty as an empty cell. */
function cellOf(v: Value): Row[number] {
  if (v === undefined) return null;
  if (typeof v === 'number') return { value: v, type: Number };
  if (typeof v === 'boolean') return { value: v, type: Boolean };
  return { value: v, type: String };
}

/** Characters a column needs: its longest text, a number as a spreadsheet shows it (≤ 11 digits). */
function widthOf(values: Value[]): number {
  let longest = 0;
  for (const v of values) {
    const shown =
      typeof v === 'number' ? Math.min(String(v).length, 11) : v === undefined ? 0 : String(v).length;
    if (shown > longest) longest = shown;
  }
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, longest + 2));
}

/** The provenance sheet: one row per recorded fact (field, value), per folder. */
function provenanceSheet(folders: ResultFolder[]): Sheet<never> {
  const rows: [string, Value][] = [
    ['workbook', `made by entangle from the CSV files of this folder; the model: ${MODEL_DOCUMENT}`],
  ];
  for (const folder of folders) {
    const prefix = folder.label ? `${folder.path}/` : '';
    if (!folder.manifest) {
      if (folder.label || folders.length === 1) rows.push([`${prefix}manifest.json`, 'none in this folder']);
      continue;
    }
    for (const [field, value] of manifestFacts(folder.manifest)) rows.push([`${prefix}${field}`, value]);
  }
  const header: Row = ['field', 'value'].map((value) => ({ value, fontWeight: 'bold' as const }));
  return {
    sheet: 'provenance',
    data: [header, ...rows.map(([f, v]) => [cellOf(f), cellOf(v)])],
    stickyRowsCount: 1,
    columns: [{ width: widthOf(rows.map((r) => r[0])) }, { width: MAX_WIDTH + 20 }],
  };
}

/** A manifest flattened to dotted field names (its params are the params sheet's rows). */
function manifestFacts(manifest: Manifest): [string, Value][] {
  const facts: [string, Value][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value === null || value === undefined) facts.push([prefix, undefined]);
    else if (Array.isArray(value)) {
      if (value.every((v) => typeof v !== 'object')) facts.push([prefix, value.join(', ')]);
      else
        value.forEach((v, i) => {
          walk(`${prefix}.${i}`, v);
        });
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    } else facts.push([prefix, value as Value]);
  };
  const { params: _params, ...rest } = manifest;
  walk('', rest);
  return facts;
}
