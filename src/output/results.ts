import type { CellAggregate } from '../experiment/aggregate.js';
import type { PlanInfo } from '../experiment/plan.js';
import {
  JOINERS_COLUMNS,
  joinersRows,
  PARAMS_COLUMNS,
  paramsRows,
  SIZES_COLUMNS,
  sizesRows,
  summaryColumns,
  summaryRow,
} from '../experiment/summary.js';
import { csvText } from './csv.js';
import { type OutputFile, textFile } from './publish.js';

/** summary.csv, joiners.csv, sizes.csv and params.csv of every cell, as files of one publication. */
export function resultFiles(plan: PlanInfo, aggregates: CellAggregate[]): OutputFile[] {
  return [
    textFile('summary.csv', () =>
      csvText(
        summaryColumns(plan),
        plan.cells.map((c) => summaryRow(plan, c, aggregates[c.index]!)),
      ),
    ),
    textFile('joiners.csv', () =>
      csvText(
        JOINERS_COLUMNS,
        plan.cells.flatMap((c) => joinersRows(c, aggregates[c.index]!)),
      ),
    ),
    textFile('sizes.csv', () =>
      csvText(
        SIZES_COLUMNS,
        plan.cells.flatMap((c) => sizesRows(c, aggregates[c.index]!)),
      ),
    ),
    textFile('params.csv', () => csvText(PARAMS_COLUMNS, paramsRows(plan))),
  ];
}
