import { numberOf } from '../read-results.js';
import type { Chart, ChartKind } from './chart.js';
import { cellLabels, folderNaming } from './labels.js';
import { styled } from './style.js';

/** Up to this many cells are drawn as small multiples; more as one heat table (cells × size). */
const SMALL_MULTIPLES = 16;

const X_TITLE = 'States at war (initiator and target included)';

/**
 * The distribution of war size per cell, from sizes.csv: bars of the share of runs ending
 * with each number of states at war (one panel per cell), or a heat table for many cells.
 */
export const warSizes: ChartKind = {
  section: 'How large the war grows',
  charts(results) {
    const charts: Chart[] = [];
    for (const folder of results.folders) {
      const sizes = folder.table('sizes.csv');
      if (!sizes || sizes.rows.length === 0) continue;
      const labels = cellLabels(folder);
      const { prefix, suffix } = folderNaming(folder);
      const values = sizes.rows.map((r) => {
        const cell = numberOf(r.cell) ?? 0;
        const size = numberOf(r.participants) ?? 0;
        // Each bar spans its whole number ± 0.45, so a quantitative axis keeps the gaps honest.
        return {
          cell,
          label: labels.get(cell) ?? `${cell}`,
          from: size - 0.45,
          to: size + 0.45,
          size,
          share: r.share,
        };
      });
      const cells = new Set(values.map((v) => v.cell)).size;
      const x = {
        field: 'from',
        type: 'quantitative',
        title: X_TITLE,
        axis: { tickMinStep: 1, format: 'd' },
      };
      const y = { field: 'share', type: 'quantitative', title: 'Share of runs', axis: { format: '%' } };
      const tooltip = [
        { field: 'label', title: 'cell' },
        { field: 'size', title: 'states at war' },
        { field: 'share', title: 'share of runs', format: '.2%' },
      ];
      const title = `How many states go to war${suffix}`;
      let spec: Record<string, unknown>;
      if (cells === 1) {
        spec = {
          width: 520,
          height: 220,
          data: { values },
          mark: { type: 'rect', color: '#4c78a8' },
          encoding: { x, x2: { field: 'to' }, y, y2: { datum: 0 }, tooltip },
        };
      } else if (cells <= SMALL_MULTIPLES) {
        spec = {
          data: { values },
          facet: {
            field: 'label',
            type: 'nominal',
            title: null,
            sort: { field: 'cell', op: 'min' },
            header: { labelAnchor: 'start' },
          },
          columns: cells <= 4 ? 2 : 3,
          resolve: { axis: { x: 'independent' } },
          spec: {
            width: cells <= 4 ? 320 : 250,
            height: 110,
            mark: { type: 'rect', color: '#4c78a8' },
            encoding: { x, x2: { field: 'to' }, y, y2: { datum: 0 }, tooltip },
          },
        };
      } else {
        spec = {
          width: 520,
          data: { values },
          mark: { type: 'rect' },
          encoding: {
            x,
            x2: { field: 'to' },
            y: { field: 'label', type: 'ordinal', title: 'Cell', sort: { field: 'cell', op: 'min' } },
            color: {
              field: 'share',
              type: 'quantitative',
              title: 'Share of runs',
              scale: { scheme: 'blues' },
              legend: { format: '%' },
            },
            tooltip,
          },
        };
      }
      charts.push({
        name: `${prefix}war-sizes`,
        title,
        caption:
          'Share of runs ending with each number of states at war (sizes.csv). Two states means the war ' +
          'stayed between the initiator and the target; deterred runs, with no war, count as zero.',
        spec: styled(title, cells === 1 ? labels.get(values[0]!.cell) : undefined, spec),
      });
    }
    return charts;
  },
};
