import { numberOf, type Value } from '../read-results.js';
import type { Chart, ChartKind } from './chart.js';
import { outcomeLabel } from './labels.js';
import { styled } from './style.js';

/**
 * An outcome that is the same sure thing on both sides (never, or in every run; a count that is
 * always 0) says nothing about the difference: left out of the chart, not of compare.csv.
 */
function settled(r: Record<string, Value>): boolean {
  const a = numberOf(r.a);
  const b = numberOf(r.b);
  return a === b && (a === 0 || (r.statistic === 'share' && a === 1));
}

/** Up to this many cell pairs share one panel (offset and coloured); more get a panel per outcome. */
const ONE_PANEL = 6;

/**
 * The differences B − A of a comparison, from compare.csv, each with its 95 % interval (Newcombe
 * for shares, Welch for means): one chart for the shares, one for the means.
 */
export const compareDifferences: ChartKind = {
  section: 'Differences between the two sides',
  charts(results) {
    const compare = results.folders[0]?.table('compare.csv');
    if (!compare) return [];
    const charts: Chart[] = [];
    const first = compare.rows[0];
    const sides = first ? `B: ${first.scenario_b} against A: ${first.scenario_a}` : undefined;
    for (const statistic of ['share', 'mean'] as const) {
      const values = compare.rows
        .filter((r) => r.statistic === statistic && numberOf(r.difference) !== undefined && !settled(r))
        .map((r) => ({
          cell: numberOf(r.cell) ?? 0,
          pair: `${r.cell}: ${r.scenario_b} − ${r.scenario_a}`,
          outcome: outcomeLabel(String(r.outcome)),
          difference: numberOf(r.difference),
          lo: numberOf(r.difference_lo) ?? numberOf(r.difference),
          hi: numberOf(r.difference_hi) ?? numberOf(r.difference),
          a: numberOf(r.a),
          b: numberOf(r.b),
          differs: r.excludes_zero === true ? 'interval excludes 0' : 'interval includes 0',
        }));
      if (values.length === 0) continue;
      const share = statistic === 'share';
      const format = share ? '+.1%' : '+.2f';
      const x = {
        field: 'difference',
        type: 'quantitative',
        title: share ? 'Difference B − A (percentage points)' : 'Difference B − A (mean per run)',
        axis: { format: share ? '+%' : '+' },
      };
      const tooltip = [
        { field: 'pair', title: 'cells' },
        { field: 'outcome' },
        { field: 'a', title: 'A', format: share ? '.3f' : '.2f' },
        { field: 'b', title: 'B', format: share ? '.3f' : '.2f' },
        { field: 'difference', title: 'B − A', format },
        { field: 'lo', title: '95 % from', format },
        { field: 'hi', title: '95 % to', format },
      ];
      const pairs = new Set(values.map((v) => v.cell)).size;
      const few = pairs <= ONE_PANEL;
      const y = few
        ? { field: 'outcome', type: 'nominal', title: null, sort: null }
        : { field: 'pair', type: 'nominal', title: null, sort: { field: 'cell', op: 'min' } };
      const byPair = few && pairs > 1;
      const colour = byPair
        ? {
            field: 'pair',
            type: 'nominal',
            title: 'Cells',
            legend: { orient: 'bottom', direction: 'vertical' },
          }
        : {
            field: 'differs',
            type: 'nominal',
            title: null,
            scale: { domain: ['interval excludes 0', 'interval includes 0'], range: ['#c0392b', '#7f8c8d'] },
            legend: { orient: 'bottom' },
          };
      const offset = byPair ? { yOffset: { field: 'pair', sort: { field: 'cell', op: 'min' } } } : {};
      const layers = {
        layer: [
          { mark: { type: 'rule', color: '#333' }, encoding: { x: { datum: 0, type: 'quantitative' } } },
          {
            mark: { type: 'rule', strokeWidth: 2 },
            encoding: { x: { ...x, field: 'lo' }, x2: { field: 'hi' }, y, color: colour, ...offset },
          },
          {
            mark: { type: 'point', filled: true, size: 50 },
            encoding: { x, y, color: colour, ...offset, tooltip },
          },
        ],
      };
      const title = share
        ? 'Differences in the chance of each outcome'
        : 'Differences in mean counts per run';
      const spec = few
        ? { width: 460, height: { step: byPair ? 14 * pairs + 6 : 22 }, data: { values }, ...layers }
        : {
            data: { values },
            facet: { field: 'outcome', type: 'nominal', title: null, sort: null },
            columns: 3,
            resolve: { scale: { x: 'independent' } },
            spec: { width: 220, height: { step: 14 }, ...layers },
          };
      charts.push({
        name: `compare-${statistic === 'share' ? 'shares' : 'means'}`,
        title,
        caption: share
          ? 'B − A for each 0/1 outcome with its 95 % Newcombe interval (compare.csv); outcomes certain on both sides are left out. Both sides ran under the same seed, so the intervals are conservative.'
          : 'B − A for each count with its 95 % Welch interval (compare.csv); counts that are 0 on both sides are left out, and there is no interval where neither side varies.',
        spec: styled(title, sides, spec),
      });
    }
    return charts;
  },
};
