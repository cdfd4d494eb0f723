import { join, relative } from 'node:path';

/** `--report` of run and compare. */
export const reportOption = {
  describe: 'also write report.html (charts and what was run) and each chart as an SVG file',
  type: 'boolean' as const,
  default: false,
};

/** `--xlsx` of run, compare, merge and backtest. */
export const xlsxOption = {
  describe: 'also write results.xlsx: every table as a sheet, numbers as numbers in any locale',
  type: 'boolean' as const,
  default: false,
};

/**
 * Writes the views of a results folder that were asked for (report.html and its SVG charts,
 * results.xlsx), from the files already in it, and says where they went. Returns their names.
 */
export async function writeViews(dir: string, want: { report?: boolean; xlsx?: boolean; quiet?: boolean }) {
  const files: string[] = [];
  const where = (file: string) => relative(process.cwd(), join(dir, file)) || file;
  // Loaded only when asked for: the charting libraries take a while to load.
  if (want.report) {
    const { REPORT_FILE, writeReport } = await import('../output/report.js');
    const written = await writeReport(dir);
    files.push(...written);
    const charts = written.length - 1;
    const drawn =
      charts === 0
        ? 'no charts: none of its files makes one'
        : `${charts} chart${charts === 1 ? '' : 's'}, each also as chart-*.svg`;
    if (!want.quiet) process.stdout.write(`Report in ${where(REPORT_FILE)} (${drawn})\n`);
  }
  if (want.xlsx) {
    const { writeWorkbook } = await import('../output/xlsx.js');
    const file = await writeWorkbook(dir);
    files.push(file);
    if (!want.quiet) process.stdout.write(`Workbook in ${where(file)}\n`);
  }
  return files;
}
