import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
import { writeCsv } from './csv.js';

/** Writes summary.csv, joiners.csv, sizes.csv and params.csv for every cell into `dir` (each atomically). */
export function writeResultCsvs(dir: string, plan: PlanInfo, aggregates: CellAggregate[]): string[] {
  mkdirSync(dir, { recursive: true });
  writeCsv(
    join(dir, 'summary.csv'),
    summaryColumns(plan),
    plan.cells.map((c) => summaryRow(plan, c, aggregates[c.index]!)),
  );
  writeCsv(
    join(dir, 'joiners.csv'),
    JOINERS_COLUMNS,
    plan.cells.flatMap((c) => joinersRows(c, aggregates[c.index]!)),
  );
  writeCsv(
    join(dir, 'sizes.csv'),
    SIZES_COLUMNS,
    plan.cells.flatMap((c) => sizesRows(c, aggregates[c.index]!)),
  );
  writeCsv(join(dir, 'params.csv'), PARAMS_COLUMNS, paramsRows(plan));
  return ['summary.csv', 'joiners.csv', 'sizes.csv', 'params.csv'];
}
