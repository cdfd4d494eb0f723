/**
 * results.xlsx read back from its XML (not through the library that wrote it): one sheet per
 * CSV file with every cell equal to the CSV's and typed (numbers as numbers, booleans as
 * booleans, text as text), the header row frozen, widths that fit, and a provenance sheet.
 * Where LibreOffice is installed, it opens the workbook and saves it in its own flat XML format,
 * which names each cell's type: every number is a float with the CSV's value, every boolean
 * TRUE or FALSE (a locale changes how a number is shown, never what type a cell has).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkbook } from '../../src/output/xlsx.js';
import { entangle, ROOT, readCsvText, readXlsx, writeSweepExperiment, type XlsxSheet } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'entangle-xlsx-'));
const run = join(dir, 'run');
const cmp = join(dir, 'cmp');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const experiment = writeSweepExperiment(dir);
  const common = ['--runs', '300', '--seed', '5', '--workers', '2', '--quiet', '--xlsx'];
  const a = await entangle(['run', experiment, '--out', run, ...common]);
  expect(a.stderr).toBe('');
  const c = await entangle([
    'compare',
    join(ROOT, 'configs/tight.yaml'),
    join(ROOT, 'configs/loose.yaml'),
    '--out',
    cmp,
    ...common,
  ]);
  expect(c.stderr).toBe('');
});

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Checks a sheet against its CSV file cell by cell, by type. */
function expectSheetEqualsCsv(sheet: XlsxSheet, csvFile: string, booleans: string[] = []): void {
  const { header, rows } = readCsvText(csvFile);
  expect(
    sheet.rows[0]!.map((c) => c.value),
    sheet.name,
  ).toEqual(header);
  expect(sheet.rows.length - 1, sheet.name).toBe(rows.length);
  rows.forEach((row, r) => {
    header.forEach((col, c) => {
      const text = row[c]!;
      const cell = sheet.rows[r + 1]?.[c];
      const where = `${sheet.name} ${col} row ${r + 1}`;
      if (text === '') expect(cell?.value ?? '', where).toBe('');
      else if (booleans.includes(col)) {
        expect(cell?.type, where).toBe('b');
        expect(cell?.value, where).toBe(text === 'true' || text === '1' ? '1' : '0');
      } else if (NUMBER.test(text)) {
        expect(cell?.type, where).toBeUndefined();
        expect(Number(cell?.value), where).toBe(Number(text));
      } else {
        expect(cell?.type, where).toBe('s');
        expect(cell?.value, where).toBe(text);
      }
    });
  });
}

describe('the workbook of a run', () => {
  let sheets: XlsxSheet[];
  beforeAll(() => {
    sheets = readXlsx(join(run, 'results.xlsx'));
  });

  it('has one sheet per table, then provenance', () => {
    expect(sheets.map((s) => s.name)).toEqual(['summary', 'joiners', 'sizes', 'params', 'provenance']);
  });

  it('holds every CSV cell, numbers as numbers and text as text', () => {
    for (const name of ['summary', 'joiners', 'sizes', 'params'])
      expectSheetEqualsCsv(sheets.find((s) => s.name === name)!, join(run, `${name}.csv`));
  });

  it('freezes the header row and sets widths that fit the header', () => {
    for (const sheet of sheets) {
      expect(sheet.xml, sheet.name).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
      const widths = [...sheet.xml.matchAll(/<col min="(\d+)" max="\d+" width="(\d+(?:\.\d+)?)"/g)].map((m) =>
        Number(m[2]),
      );
      expect(widths.length, sheet.name).toBe(sheet.rows[0]!.length);
      if (sheet.name !== 'provenance')
        sheet.rows[0]!.forEach((h, i) => {
          expect(widths[i], `${sheet.name} ${h.value}`).toBeGreaterThanOrEqual(Math.min(60, h.value.length));
        });
    }
  });

  it("records the manifest's facts in the provenance sheet, numbers as numbers", () => {
    const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'));
    const facts = new Map(
      sheets
        .at(-1)!
        .rows.slice(1)
        .map((r) => [r[0]!.value, r[1]]),
    );
    expect(facts.get('seed')).toEqual({ type: undefined, value: '5' });
    expect(facts.get('runs_per_cell')).toEqual({ type: undefined, value: '300' });
    expect(facts.get('complete')).toEqual({ type: 'b', value: '1' });
    expect(facts.get('entangle')?.value).toBe(manifest.entangle);
    expect(facts.get('input.sha256')?.value).toBe(manifest.input.sha256);
    expect(facts.get('model')?.value).toBe('docs/MODEL.md');
  });
});

describe('the workbook of a comparison', () => {
  it("holds compare.csv (excludes_zero as booleans) and each side's tables", () => {
    const sheets = readXlsx(join(cmp, 'results.xlsx'));
    expect(sheets.map((s) => s.name)).toEqual([
      'compare',
      'A summary',
      'A joiners',
      'A sizes',
      'A params',
      'B summary',
      'B joiners',
      'B sizes',
      'B params',
      'provenance',
    ]);
    expectSheetEqualsCsv(sheets[0]!, join(cmp, 'compare.csv'), ['excludes_zero']);
    expectSheetEqualsCsv(sheets[5]!, join(cmp, 'b/summary.csv'));
    const facts = sheets.at(-1)!.rows.map((r) => r[0]!.value);
    expect(facts).toContain('a/seed');
    expect(facts).toContain('b/seed');
  });

  it('is the same workbook from `entangle xlsx DIR` as from --xlsx', async () => {
    const before = readXlsx(join(cmp, 'results.xlsx')).map((s) => s.rows);
    const again = await entangle(['xlsx', cmp, '--quiet']);
    expect(again.code).toBe(0);
    expect(readXlsx(join(cmp, 'results.xlsx')).map((s) => s.rows)).toEqual(before);
  });
});

describe('the workbook of a backtest', () => {
  it("holds backtest.csv with its 0/1 columns as booleans, and backtest-summary.csv's counts as numbers", async () => {
    const bt = join(dir, 'bt');
    const r = await entangle([
      'backtest',
      join(ROOT, 'data/wars/training_wars.csv'),
      '--runs',
      '100',
      '--workers',
      '2',
      '--quiet',
      '--out',
      bt,
      '--xlsx',
    ]);
    expect(r.code).toBe(0);
    const sheets = readXlsx(join(bt, 'results.xlsx'));
    expect(sheets.map((s) => s.name).slice(0, 2)).toEqual(['backtest', 'backtest-summary']);
    expect(sheets.at(-1)!.name).toBe('provenance');
    expectSheetEqualsCsv(sheets[0]!, join(bt, 'backtest.csv'), ['great_power', 'naive', 'entered']);
    // `entered` here counts the states that entered: a number, even where it is 0 or 1.
    expectSheetEqualsCsv(sheets[1]!, join(bt, 'backtest-summary.csv'));
  });
});

describe('a column of numbers and text', () => {
  it('is text throughout, so that no column mixes the two', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(join(folder, 'summary.csv'), 'cell,scenario,runs\n0,1914,10\n1,tight,10\n');
    await writeWorkbook(folder);
    const [sheet] = readXlsx(join(folder, 'results.xlsx'));
    expect(sheet!.rows.slice(1).map((r) => r.map((c) => [c.type, c.value]))).toEqual([
      [
        [undefined, '0'],
        ['s', '1914'],
        [undefined, '10'],
      ],
      [
        [undefined, '1'],
        ['s', 'tight'],
        [undefined, '10'],
      ],
    ]);
  });
});

describe('entangle xlsx, wrong folder', () => {
  it('says so in one line, exit code 2', async () => {
    const r = await entangle(['xlsx', join(dir, 'nowhere')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nowhere: no such folder');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});

const soffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
if (!soffice)
  console.log('xlsx.test: LibreOffice (soffice) not installed; skipping the LibreOffice round trip');

describe.skipIf(!soffice)('LibreOffice round trip', () => {
  it('opens the workbook and finds every number a number, every boolean TRUE or FALSE, with the same values', () => {
    const out = join(dir, 'lo');
    // A profile of its own, so that the test runs beside any other LibreOffice.
    execFileSync(
      soffice,
      [
        `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'fods',
        '--outdir',
        out,
        join(cmp, 'results.xlsx'),
      ],
      { stdio: 'pipe', timeout: 120_000 },
    );
    // LibreOffice's own reading of the workbook, in its flat XML format: every cell's type.
    const tables = readFods(readFileSync(join(out, 'results.fods'), 'utf8'));
    const check = (sheet: string, csv: string, booleans: string[] = []) => {
      const original = parse(readFileSync(csv, 'utf8')) as string[][];
      const cells = tables.get(sheet)!;
      original.forEach((row, r) => {
        row.forEach((text, c) => {
          const cell = cells[r]?.[c];
          const where = `${sheet} row ${r} column ${original[0]![c]}`;
          if (text === '') expect(cell, where).toBeUndefined();
          else if (r > 0 && booleans.includes(original[0]![c]!)) {
            // Calc has no boolean type: a boolean is the number 1 or 0 shown as TRUE or FALSE.
            const yes = text === 'true' || text === '1';
            expect(cell, where).toEqual({
              type: 'float',
              value: yes ? '1' : '0',
              shown: yes ? 'TRUE' : 'FALSE',
            });
          } else if (r > 0 && NUMBER.test(text)) {
            expect(cell?.type, where).toBe('float');
            expect(Number(cell?.value), where).toBe(Number(text));
          } else expect(cell, where).toEqual({ type: 'string', value: text, shown: text });
        });
      });
    };
    check('compare', join(cmp, 'compare.csv'), ['excludes_zero']);
    for (const side of ['a', 'b'])
      for (const table of ['summary', 'joiners', 'sizes', 'params'])
        check(`${side.toUpperCase()} ${table}`, join(cmp, side, `${table}.csv`));
  });
});

/** A cell as LibreOffice stores it: its value type, its value, and the text it shows. */
interface FodsCell {
  type: string;
  value: string;
  shown: string;
}

/** The sheets of a flat ODF spreadsheet: per sheet, rows of cells with their type and value. */
function readFods(xml: string): Map<string, (FodsCell | undefined)[][]> {
  const unescapeXml = (t: string) =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const sheets = new Map<string, (FodsCell | undefined)[][]>();
  for (const table of xml.matchAll(/<table:table table:name="([^"]*)"[^>]*>(.*?)<\/table:table>/gs)) {
    const rows: (FodsCell | undefined)[][] = [];
    for (const row of table[2]!.matchAll(/<table:table-row[^>]*?(?:\/>|>(.*?)<\/table:table-row>)/gs)) {
      const cells: (FodsCell | undefined)[] = [];
      for (const c of (row[1] ?? '').matchAll(
        /<table:table-cell([^>]*?)(?:\/>|>(.*?)<\/table:table-cell>)/gs,
      )) {
        const attrs = c[1]!;
        const repeat = Number(/table:number-columns-repeated="(\d+)"/.exec(attrs)?.[1] ?? 1);
        const type = /office:value-type="(\w+)"/.exec(attrs)?.[1];
        const shown = unescapeXml(
          [...(c[2] ?? '').matchAll(/<text:p>(.*?)<\/text:p>/gs)].map((m) => m[1]).join('\n'),
        );
        const value = type === 'float' ? /office:value="([^"]*)"/.exec(attrs)![1]! : shown;
        for (let k = 0; k < Math.min(repeat, 1000); k++)
          cells.push(type ? { type, value, shown } : undefined);
      }
      rows.push(cells);
    }
    sheets.set(unescapeXml(table[1]!), rows);
  }
  return sheets;
}
