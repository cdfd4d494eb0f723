import { numberOf, type Value } from '../read-results.js';
import type { Chart, ChartKind } from './chart.js';
import { cellLabels, folderNaming } from './labels.js';
import { styled } from './style.js';

/** Up to this many cells the heat table prints each share in its square. */
const NUMBERS_UP_TO = 12;

/** A state as charts name it: its name and id, or its id when the name is missing or the same. */
function stateName(id: Value, name: Value): string {
  return name !== undefined && name !== id ? `${name} (${id})` : String(id);
}

/**
 * Each state's chance of entering the war, from joiners.csv: for one cell, bars sorted from the
 * likeliest entrant down, split by side; for several cells, a heat table of states × cells.
 */
export const stateEntry: ChartKind = {
  section: 'Who enters the war',
  charts(results) {
    const charts: Chart[] = [];
    for (const folder of results.folders) {
      const joiners = folder.table('joiners.csv');
      if (!joiners || joiners.rows.length === 0) continue;
      const labels = cellLabels(folder);
      const { prefix, suffix } = folderNaming(folder);
      const cells = new Set(joiners.rows.map((r) => numberOf(r.cell)));
      if (cells.size === 1) {
        const values = joiners.rows.flatMap((r) => {
          const state = stateName(r.state, r.state_name);
          const total = numberOf(r.p_enters) ?? 0;
          return [
            {
              state,
              side: "on the initiator's side",
              share: numberOf(r.p_initiator_side) ?? 0,
              total,
              order: 0,
            },
            { state, side: "on the target's side", share: numberOf(r.p_target_side) ?? 0, total, order: 1 },
          ];
        });
        const title = `Each state's chance of entering the war${suffix}`;
        charts.push({
          name: `${prefix}state-entry`,
          title,
          caption:
            'Share of runs in which each state was at war, split by side (joiners.csv); the initiator and the target are at war in every run in which it breaks out.',
          spec: styled(title, labels.get([...cells][0] ?? 0), {
            width: 460,
            height: { step: 14 },
            data: { values },
            mark: { type: 'bar' },
            encoding: {
              y: {
                field: 'state',
                type: 'nominal',
                title: null,
                sort: { field: 'total', op: 'max', order: 'descending' },
              },
              x: {
                field: 'share',
                type: 'quantitative',
                stack: 'zero',
                title: 'Share of runs in which the state entered',
                scale: { domain: [0, 1] },
                axis: { format: '%', orient: 'top' },
              },
              color: {
                field: 'side',
                type: 'nominal',
                title: 'Entered',
                scale: { range: ['#c0392b', '#2e86c1'] },
                legend: { orient: 'bottom' },
              },
              order: { field: 'order' },
              tooltip: [
                { field: 'state' },
                { field: 'side' },
                { field: 'share', format: '.3f' },
                { field: 'total', title: 'either side', format: '.3f' },
              ],
            },
          }),
        });
        continue;
      }
      const values = joiners.rows.map((r) => {
        const cell = numberOf(r.cell) ?? 0;
        const share = numberOf(r.p_enters);
        return {
          cell,
          label: labels.get(cell) ?? `${cell}`,
          state: stateName(r.state, r.state_name),
          share,
          text: share === undefined ? '' : share.toFixed(2).replace(/^0/, ''),
        };
      });
      // Past NUMBERS_UP_TO cells the columns are too narrow for names: cells go by number.
      const few = cells.size <= NUMBERS_UP_TO;
      const x = few
        ? {
            field: 'label',
            type: 'nominal',
            title: 'Cell',
            sort: { field: 'cell', op: 'min' },
            axis: { labelAngle: -40, orient: 'top' },
          }
        : {
            field: 'cell',
            type: 'ordinal',
            title: 'Cell (numbered as in summary.csv)',
            axis: { labelAngle: 0, orient: 'top', labelOverlap: 'parity' },
          };
      const y = {
        field: 'state',
        type: 'nominal',
        title: null,
        sort: { field: 'share', op: 'mean', order: 'descending' },
      };
      const layer: Record<string, unknown>[] = [
        {
          mark: { type: 'rect' },
          encoding: {
            x,
            y,
            color: {
              field: 'share',
              type: 'quantitative',
              title: 'Share of runs',
              scale: { scheme: 'orangered', domain: [0, 1] },
              legend: { format: '%' },
            },
            tooltip: [
              { field: 'state' },
              { field: 'label', title: 'cell' },
              { field: 'share', format: '.3f' },
            ],
          },
        },
      ];
      if (few) {
        layer.push({
          mark: { type: 'text', fontSize: 9 },
          encoding: {
            x,
            y,
            text: { field: 'text' },
            color: { condition: { test: 'datum.share > 0.6', value: 'white' }, value: 'black' },
          },
        });
      }
      const title = `Each state's chance of entering the war, cell by cell${suffix}`;
      charts.push({
        name: `${prefix}state-entry`,
        title,
        caption:
          'Share of runs in which each state was at war, on either side (joiners.csv), one column per cell; states sorted by their mean share over the cells, blank where a cell\u2019s system lacks the state.',
        spec: styled(title, undefined, {
          width: { step: few ? 34 : 14 },
          height: { step: 13 },
          data: { values },
          layer,
        }),
      });
    }
    return charts;
  },
};
