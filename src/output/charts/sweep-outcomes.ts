import { Z95 } from '../../experiment/wilson.js';
import { numberOf, type Table } from '../read-results.js';
import type { Chart, ChartKind } from './chart.js';
import {
  folderNaming,
  MAIN_OUTCOMES,
  type Outcome,
  parameterLabel,
  parameterWords,
  slug,
  sweepKeys,
} from './labels.js';
import { styled } from './style.js';

interface Point {
  scenario: string;
  x: number;
  y: number;
  lo: number;
  hi: number;
  /** The other swept parameters of this cell, in words (a panel of a grid of several). */
  panel: string;
}

/**
 * Each main outcome against each swept parameter, from summary.csv, with its 95 % interval as a
 * band and one line per scenario. In a grid of several parameters, one panel per combination of
 * the others; in a Latin hypercube (the others vary from point to point) each point carries its
 * interval and the line is a smoothed (loess) trend.
 */
export const sweepOutcomes: ChartKind = {
  section: 'Outcomes across the sweep',
  charts(results) {
    const charts: Chart[] = [];
    for (const folder of results.folders) {
      const summary = folder.table('summary.csv');
      if (!summary) continue;
      const keys = sweepKeys(folder, summary).filter((k) => summary.columns.includes(k));
      if (keys.length === 0) continue;
      const { prefix, suffix } = folderNaming(folder);
      const hypercube = !isGrid(summary, keys);
      for (const key of keys) {
        for (const outcome of MAIN_OUTCOMES) {
          if (!summary.columns.includes(outcome.column)) continue;
          if (outcome.needs && !someAboveZero(folder.table('params.csv'), outcome.needs)) continue;
          const points = pointsOf(summary, key, keys, outcome);
          if (points.length === 0) continue;
          const title = `${outcome.label}, by ${parameterWords(key).toLowerCase()}${suffix}`;
          charts.push({
            name: `${prefix}sweep-${slug(outcome.column)}-by-${slug(key)}`,
            title,
            caption: hypercube
              ? `Each point is one cell of the Latin hypercube with its 95 % interval; the line is a loess trend per scenario (the other ${keys.length - 1} parameters vary from point to point).`
              : `One line per scenario; the band is the 95 % interval (Wilson for shares, normal for means)${keys.length > 1 ? '; one panel for each value of the other swept parameters' : ''}.`,
            spec: styled(
              title,
              undefined,
              hypercube ? hypercubeSpec(points, key, outcome) : gridSpec(points, key, outcome),
            ),
          });
        }
      }
    }
    return charts;
  },
};

/** Whether some cell's value of a parameter is above 0 (true when params.csv does not say). */
function someAboveZero(params: Table | undefined, name: string): boolean {
  if (!params?.columns.includes(name)) return true;
  return params.rows.some((r) => (numberOf(r[name]) ?? 0) > 0);
}

/** A full grid: within each scenario, as many cells as the product of each name's distinct values. */
function isGrid(summary: Table, keys: string[]): boolean {
  const byScenario = new Map<string, Record<string, unknown>[]>();
  for (const row of summary.rows) {
    const s = String(row.scenario);
    byScenario.set(s, [...(byScenario.get(s) ?? []), row]);
  }
  for (const rows of byScenario.values()) {
    const product = keys.reduce((p, k) => p * new Set(rows.map((r) => r[k])).size, 1);
    if (product !== rows.length) return false;
  }
  return true;
}

function pointsOf(summary: Table, key: string, keys: string[], outcome: Outcome): Point[] {
  const others = keys.filter((k) => k !== key);
  const points: Point[] = [];
  for (const row of summary.rows) {
    const x = numberOf(row[key]);
    const y = numberOf(row[outcome.column]);
    if (x === undefined || y === undefined) continue;
    let lo: number | undefined;
    let hi: number | undefined;
    if (outcome.share) {
      lo = numberOf(row[`${outcome.column}_lo`]);
      hi = numberOf(row[`${outcome.column}_hi`]);
    } else {
      const sd = numberOf(row[outcome.column.replace(/_mean$/, '_sd')]);
      const n = numberOf(row.runs);
      if (sd !== undefined && n !== undefined && n > 0) {
        lo = y - (Z95 * sd) / Math.sqrt(n);
        hi = y + (Z95 * sd) / Math.sqrt(n);
      }
    }
    points.push({
      scenario: String(row.scenario ?? ''),
      x,
      y,
      lo: lo ?? y,
      hi: hi ?? y,
      panel: others.map((k) => `${k} = ${row[k]}`).join(', '),
    });
  }
  return points;
}

/** Encodings shared by the layers; `panels`: small multiples, too narrow for a long axis title. */
function axes(key: string, outcome: Outcome, panels = false) {
  const format = outcome.share ? '%' : undefined;
  return {
    x: {
      field: 'x',
      type: 'quantitative',
      title: panels ? key : parameterLabel(key),
      scale: { zero: false },
    },
    y: {
      field: 'y',
      type: 'quantitative',
      title: outcome.axis,
      ...(outcome.share ? { scale: { domain: [0, 1] } } : {}),
      axis: format ? { format } : {},
    },
    // The band and the line share the legend: solid symbols, not the band's pale ones.
    color: {
      field: 'scenario',
      type: 'nominal',
      title: 'Scenario',
      legend: { orient: 'bottom', direction: 'vertical', symbolOpacity: 1 },
    },
    tooltip: [
      { field: 'scenario' },
      { field: 'x', title: key },
      { field: 'y', title: outcome.column, format: outcome.share ? '.3f' : '.2f' },
      { field: 'lo', title: '95 % from', format: outcome.share ? '.3f' : '.2f' },
      { field: 'hi', title: '95 % to', format: outcome.share ? '.3f' : '.2f' },
    ],
  };
}

function gridSpec(points: Point[], key: string, outcome: Outcome): Record<string, unknown> {
  const panels = new Set(points.map((p) => p.panel));
  const { x, y, color, tooltip } = axes(key, outcome, panels.size > 1);
  const layer = {
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: y.title },
          y2: { field: 'hi' },
          color,
        },
      },
      { mark: { type: 'line', point: true }, encoding: { x, y, color, tooltip } },
    ],
  };
  if (panels.size <= 1) return { width: 460, height: 260, data: { values: points }, ...layer };
  return {
    data: { values: points },
    facet: { field: 'panel', type: 'nominal', title: null, header: { labelAnchor: 'start' } },
    columns: 3,
    spec: { width: 220, height: 150, ...layer },
  };
}

function hypercubeSpec(points: Point[], key: string, outcome: Outcome): Record<string, unknown> {
  const { x, y, color, tooltip } = axes(key, outcome);
  return {
    width: 460,
    height: 260,
    data: { values: points },
    layer: [
      {
        mark: { type: 'rule', opacity: 0.4 },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: y.title },
          y2: { field: 'hi' },
          color,
        },
      },
      { mark: { type: 'point', filled: true, size: 18 }, encoding: { x, y, color, tooltip } },
      {
        transform: [{ loess: 'y', on: 'x', groupby: ['scenario'] }],
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: { field: 'y', type: 'quantitative' }, color },
      },
    ],
  };
}
