import { wilson } from '../../experiment/wilson.js';
import { numberOf, type ResultFolder } from '../read-results.js';
import type { Chart, ChartKind } from './chart.js';
import { styled } from './style.js';

/**
 * The columns a backtest's calibration.csv must have (one row per bin of predicted chance):
 * `bin_lo`, `bin_hi` (the bin's bounds), `predicted_mean` (mean predicted chance of entering of
 * the states in it), `observed_share` (share of them that entered) and `n` (states in it).
 * Optional: `observed_lo`, `observed_hi` (an interval; else Wilson's from n), and `war` or
 * `states` (one series per value, e.g. per war or per candidate set).
 */
export const CALIBRATION_COLUMNS = ['bin_lo', 'bin_hi', 'predicted_mean', 'observed_share', 'n'] as const;

const SERIES_COLUMNS = ['war', 'states'];

/** The backtest's calibration plot, from calibration.csv: predicted chance against observed share. */
export const calibration: ChartKind = {
  section: 'Calibration against history',
  charts(results) {
    return results.folders.flatMap((folder) => chartOf(folder));
  },
};

function chartOf(folder: ResultFolder): Chart[] {
  const table = folder.table('calibration.csv');
  if (!table || !CALIBRATION_COLUMNS.every((c) => table.columns.includes(c))) return [];
  const series = SERIES_COLUMNS.find((c) => table.columns.includes(c));
  const values = table.rows.flatMap((r) => {
    const predicted = numberOf(r.predicted_mean);
    const observed = numberOf(r.observed_share);
    const n = numberOf(r.n) ?? 0;
    if (predicted === undefined || observed === undefined || n === 0) return [];
    const w = wilson(Math.round(observed * n), n);
    return [
      {
        series: series ? String(r[series]) : 'all states',
        bin: `${r.bin_lo}–${r.bin_hi}`,
        predicted,
        observed,
        lo: numberOf(r.observed_lo) ?? w.lo,
        hi: numberOf(r.observed_hi) ?? w.hi,
        n,
      },
    ];
  });
  if (values.length === 0) return [];
  const axis = { format: '%' };
  const x = {
    field: 'predicted',
    type: 'quantitative',
    title: 'Predicted chance of entering (mean in the bin)',
    scale: { domain: [0, 1] },
    axis,
  };
  const y = {
    field: 'observed',
    type: 'quantitative',
    title: 'Share that entered',
    scale: { domain: [0, 1] },
    axis,
  };
  const color = { field: 'series', type: 'nominal', title: series ?? null, legend: series ? {} : null };
  const title = 'Predicted against observed entry into historical wars';
  return [
    {
      name: `${folder.path ? `${folder.path}-` : ''}calibration`,
      title,
      caption:
        'States binned by the predicted chance of entering (calibration.csv); each point is a bin, sized by its number of states, with a 95 % interval for the observed share. A calibrated model lies on the diagonal.',
      spec: styled(title, undefined, {
        width: 360,
        height: 360,
        layer: [
          {
            data: { values: [{ p: 0 }, { p: 1 }] },
            mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
            encoding: {
              x: { field: 'p', type: 'quantitative', title: x.title, scale: x.scale, axis },
              y: { field: 'p', type: 'quantitative', title: y.title, scale: y.scale, axis },
            },
          },
          {
            data: { values },
            mark: { type: 'rule' },
            encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
          },
          {
            data: { values },
            mark: { type: 'point', filled: true },
            encoding: {
              x,
              y,
              color,
              size: { field: 'n', type: 'quantitative', title: 'States in bin' },
              tooltip: [
                { field: 'bin' },
                { field: 'predicted', format: '.3f' },
                { field: 'observed', format: '.3f' },
                { field: 'n' },
              ],
            },
          },
        ],
      }),
    },
  ];
}
