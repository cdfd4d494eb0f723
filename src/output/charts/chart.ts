import type { TopLevelSpec } from 'vega-lite';
import type { Results } from '../read-results.js';

/** One chart of the report, declared as a Vega-Lite spec (rendered to SVG by report-render.ts). */
export interface Chart {
  /** File stem of its SVG, unique within a report (`war-sizes`, `a-war-sizes`, …): [a-z0-9-]. */
  name: string;
  /** What it shows, in words a reader of the paper would use (also the chart's own title). */
  title: string;
  /** One or two sentences printed below it in the report: how to read it. */
  caption: string;
  spec: TopLevelSpec;
}

/**
 * A kind of chart: a pure function from the files of a results folder to its charts (none when
 * the files it draws on are absent). Adding a kind is a file exporting one of these and a line
 * in CHART_KINDS (index.ts); the report gives each kind a section, in registration order.
 */
export interface ChartKind {
  /** Heading of the report section that holds this kind's charts. */
  section: string;
  charts(results: Results): Chart[];
}
