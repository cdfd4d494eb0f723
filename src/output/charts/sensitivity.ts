/**
 * The chart of a sensitivity analysis, as a Vega-Lite (v6) specification built from the rows
 * of sensitivity.csv: for a Sobol design, per output, a bar for each parameter's first-order
 * (S1) and total (ST) index with its 95 % interval; for a Morris design, mu_star with its
 * interval. A pure function of the rows: the report compiles and renders it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from '../../experiment/summary.js';
import type { Chart, ChartKind } from './chart.js';

/** A Vega-Lite specification as plain JSON (the report compiles it with vega-lite). */
export type VegaLiteSpec = Record<string, unknown>;

/** One bar of the chart: an index of one parameter for one output. */
interface Bar {
  scenario: string;
  output: string;
  parameter: string;
  index: string;
  value: number;
  lo: number | null;
  hi: number | null;
}

/** A number from a row built in memory or read back from sensitivity.csv (text; empty = none). */
function num(x: Row[string]): number | null {
  const value = typeof x === 'string' && x.trim() !== '' ? Number(x) : x;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The bars of the rows (Sobol rows have S1 and ST, Morris rows mu_star), in the rows' order;
 * rows of an output that does not vary (no index) are left out.
 */
export function sensitivityBars(rows: readonly Row[]): Bar[] {
  const morris = rows.some((r) => 'mu_star' in r);
  const indices: [string, string][] = morris
    ? [['mu_star', 'μ*']]
    : [
        ['S1', 'S1 (first order)'],
        ['ST', 'ST (total)'],
      ];
  const bars: Bar[] = [];
  for (const r of rows) {
    for (const [column, label] of indices) {
      const value = num(r[column]);
      if (value === null) continue;
      bars.push({
        scenario: String(r.scenario),
        output: String(r.output),
        parameter: String(r.parameter),
        index: label,
        value,
        lo: num(r[`${column}_lo`]),
        hi: num(r[`${column}_hi`]),
      });
    }
  }
  return bars;
}

/**
 * A horizontal bar chart per output (one panel each, rows of panels; one column per scenario
 * when there are several), parameters in the rows' order, each index a coloured bar with a
 * black rule for its 95 % bootstrap interval.
 */
export function sensitivityChart(rows: readonly Row[], options: { title?: string } = {}): VegaLiteSpec {
  const bars = sensitivityBars(rows);
  const morris = rows.some((r) => 'mu_star' in r);
  const scenarios = new Set(bars.map((b) => b.scenario));
  const parameter = { field: 'parameter', type: 'nominal', sort: null, title: null };
  const offset = { field: 'index', type: 'nominal', sort: null };
  const axisTitle = morris
    ? 'μ*: mean absolute elementary effect over the range (95% interval)'
    : 'Sobol index: share of the variance (95% interval)';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values: bars },
    facet: {
      row: {
        field: 'output',
        type: 'nominal',
        sort: null,
        title: null,
        header: { labelAngle: 0, labelAlign: 'left' },
      },
      ...(scenarios.size > 1
        ? { column: { field: 'scenario', type: 'nominal', sort: null, title: null } }
        : {}),
    },
    spec: {
      width: 320,
      height: { step: morris ? 16 : 24 },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            y: parameter,
            yOffset: offset,
            x: { field: 'value', type: 'quantitative', title: axisTitle },
            color: { field: 'index', type: 'nominal', sort: null, title: null, legend: { orient: 'top' } },
          },
        },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: {
            y: parameter,
            yOffset: offset,
            x: { field: 'lo', type: 'quantitative' },
            x2: { field: 'hi' },
          },
        },
      ],
    },
  };
}

/** The report's section for sensitivity analyses: one chart per folder holding sensitivity.csv. */
export const sensitivity: ChartKind = {
  section: 'Which parameters matter',
  charts(results) {
    return results.folders.flatMap((folder, i): Chart[] => {
      const table = folder.table('sensitivity.csv');
      if (!table || table.rows.length === 0) return [];
      const morris = table.columns.includes('mu_star');
      return [
        {
          name: `${results.folders.length > 1 ? `${String.fromCharCode(97 + i)}-` : ''}sensitivity`,
          title: morris
            ? 'Elementary effects (Morris): how much each parameter moves each outcome'
            : 'Sobol indices: the share of each outcome’s variance due to each parameter',
          caption: morris
            ? 'μ* is the mean absolute change of the outcome over a parameter’s range; bars with intervals near 0 mark parameters that do not matter.'
            : 'S1: the parameter alone; ST: with its interactions. An inert parameter’s ST is about the noise share printed with the run, not 0.',
          spec: sensitivityChart(table.rows as Row[]) as unknown as TopLevelSpec,
        },
      ];
    });
  },
};
