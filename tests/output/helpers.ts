import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const exec = promisify(execFile);

/** Runs the built CLI; resolves with its exit code and output (a non-zero exit does not throw). */
export async function entangle(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Writes a small experiment: tight.yaml and loose.yaml under offenseDominance 0, 0.5, 1. */
export function writeSweepExperiment(dir: string): string {
  const file = join(dir, 'sweep.yaml');
  writeFileSync(
    file,
    [
      'name: small sweep',
      'scenarios:',
      `  - ${join(ROOT, 'configs/tight.yaml')}`,
      `  - ${join(ROOT, 'configs/loose.yaml')}`,
      'sweep:',
      '  offenseDominance: [0, 0.5, 1]',
      '',
    ].join('\n'),
  );
  return file;
}

/** A CSV file as header and rows of raw text. */
export function readCsvText(file: string): { header: string[]; rows: string[][] } {
  const records = parse(readFileSync(file, 'utf8')) as string[][];
  return { header: records[0] ?? [], rows: records.slice(1) };
}

/** One cell of a sheet as stored in the workbook's XML: its type attribute and its value. */
export interface XlsxCell {
  /** `t` attribute: 's' shared string, 'b' boolean, undefined a number. */
  type: string | undefined;
  /** The value: the shared string's text for 's', else the raw `<v>` text. */
  value: string;
}

/** A sheet of a workbook, read from its XML: cells by row and column (0-based), and the XML. */
export interface XlsxSheet {
  name: string;
  xml: string;
  rows: XlsxCell[][];
}

const column = (ref: string) =>
  [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

/** Reads a workbook's sheets straight from the zip (independent of the library that wrote it). */
export function readXlsx(file: string): XlsxSheet[] {
  const files = unzipSync(new Uint8Array(readFileSync(file)));
  const text = (name: string) => strFromU8(files[name]!);
  const unescapeXml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  const shared = files['xl/sharedStrings.xml']
    ? [...text('xl/sharedStrings.xml').matchAll(/<si>(.*?)<\/si>/gs)].map((m) =>
        unescapeXml([...m[1]!.matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join('')),
      )
    : [];
  const workbook = text('xl/workbook.xml');
  const rels = text('xl/_rels/workbook.xml.rels');
  return [
    ...workbook.matchAll(
      /<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"|<sheet [^>]*r:id="([^"]*)"[^>]*name="([^"]*)"/g,
    ),
  ].map((m) => {
    const name = unescapeXml(m[1] ?? m[4]!);
    const id = m[2] ?? m[3]!;
    const target = new RegExp(`Id="${id}"[^>]*Target="([^"]*)"|Target="([^"]*)"[^>]*Id="${id}"`).exec(rels)!;
    const path = `xl/${(target[1] ?? target[2]!).replace(/^\/?xl\//, '')}`;
    const xml = text(path);
    const rows: XlsxCell[][] = [];
    for (const row of xml.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/gs)) {
      const cells: XlsxCell[] = [];
      for (const c of row[2]!.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
        const type = /t="(\w+)"/.exec(c[2]!)?.[1];
        const raw = /<v>(.*?)<\/v>/s.exec(c[3] ?? '')?.[1] ?? '';
        cells[column(c[1]!)] = { type, value: type === 's' ? shared[Number(raw)]! : unescapeXml(raw) };
      }
      rows[Number(row[1]) - 1] = cells;
    }
    return { name, xml, rows };
  });
}
