import { join } from 'node:path';
import { CHART_KINDS, type Chart } from './charts/index.js';
import { writeFileAtomic } from './csv.js';
import { type Results, readResults } from './read-results.js';
import { reportHtml } from './report-html.js';
import { renderSvg } from './report-render.js';

/** The report's file name inside the results folder. */
export const REPORT_FILE = 'report.html';

/** A chart drawn for the report: the chart, its SVG, and its SVG file's name beside the report. */
export interface DrawnChart {
  chart: Chart;
  svg: string;
  file: string;
}

/** One section of the report: a chart kind's heading and its charts. */
export interface ReportSection {
  heading: string;
  charts: DrawnChart[];
}

/** Every chart of a results folder, drawn, by section (sections without charts left out). */
export async function drawCharts(results: Results): Promise<ReportSection[]> {
  const sections: ReportSection[] = [];
  for (const kind of CHART_KINDS) {
    const charts: DrawnChart[] = [];
    for (const chart of kind.charts(results)) {
      const { svg } = await renderSvg(chart.spec);
      charts.push({ chart, svg, file: `chart-${chart.name}.svg` });
    }
    if (charts.length > 0) sections.push({ heading: kind.section, charts });
  }
  return sections;
}

/**
 * Writes DIR/report.html (one self-contained file: inline SVG and CSS, no scripts, nothing
 * fetched) and each chart as DIR/chart-NAME.svg, from the files in DIR; the report last.
 * Returns the names of the files written. The same files give the same bytes.
 */
export async function writeReport(dir: string): Promise<string[]> {
  const results = readResults(dir);
  const sections = await drawCharts(results);
  const files: string[] = [];
  for (const s of sections) {
    for (const c of s.charts) {
      writeFileAtomic(join(dir, c.file), `${c.svg}\n`);
      files.push(c.file);
    }
  }
  writeFileAtomic(join(dir, REPORT_FILE), reportHtml(results, sections));
  files.push(REPORT_FILE);
  return files;
}
