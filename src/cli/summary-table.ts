import type { CellAggregate } from '../experiment/aggregate.js';
import type { PlanInfo } from '../experiment/plan.js';
import { type Row, summaryColumns, summaryRow } from '../experiment/summary.js';
import { type Column, layoutTable, OUTCOME_LABELS, percent, terminalWidth } from './table.js';

/**
 * The scenario column: as wide as the longest name up to 40 characters (two fifths of a wider
 * terminal), and no narrower than 20 while other columns can go.
 */
const scenarioWidth = (width: number) => ({ min: 20, max: Math.max(40, Math.floor(width * 0.4)) });

/**
 * The short table printed after a run (and a merge): the main results per cell from the
 * summary.csv row of each, laid out for `width` columns. Kept first: the cell, its scenario and
 * swept values, then P(contained), P(great-power war), mean participants, P(world war),
 * P(deterred) (earlier when any run was deterred), the runs when cells differ in them; a wider
 * terminal adds each share's 95 % interval.
 */
export function summaryTable(plan: PlanInfo, aggregates: CellAggregate[], width = terminalWidth()): string {
  const summaries = plan.cells.map((c) => summaryRow(plan, c, aggregates[c.index]!));
  const has = new Set(summaryColumns(plan));
  const runsDiffer = new Set(summaries.map((s) => s.runs)).size > 1;
  const deterredSeen = summaries.some((s) => Number(s.p_deterred ?? 0) > 0);

  const columns: (Column & { cell: (s: Row) => string })[] = [
    { label: 'cell', align: 'right', cell: (s) => String(s.cell) },
    { label: 'scenario', align: 'left', shrink: scenarioWidth(width), cell: (s) => String(s.scenario) },
    ...plan.sweepKeys.map((k) => ({
      label: k,
      align: 'right' as const,
      cell: (s: Row) => String(s[k] ?? ''),
    })),
    { label: 'runs', align: 'right', priority: runsDiffer ? 0 : 30, cell: (s) => String(s.runs) },
  ];
  // Shares in the order they read, each with its interval beside it (the first to go).
  const shares: [field: string, priority: number][] = [
    ['contained', 1],
    ['deterred', deterredSeen ? 2 : 20],
    ['great_power_war', 3],
    ['world_war', 5],
  ];
  for (const [field, priority] of shares) {
    if (!has.has(`p_${field}`)) continue;
    const p = (s: Row, end = '') => s[`p_${field}${end}`] as number | undefined;
    columns.push(
      {
        label: OUTCOME_LABELS[field]!,
        align: 'right',
        priority,
        cell: (s) => (p(s) === undefined ? '' : percent(p(s)!)),
      },
      {
        label: '95% CI',
        align: 'right',
        priority: 40 + priority,
        cell: (s) =>
          p(s) === undefined ? '' : `${(p(s, '_lo')! * 100).toFixed(1)}–${percent(p(s, '_hi')!)}`,
      },
    );
  }
  columns.push({
    label: OUTCOME_LABELS.participants!,
    align: 'right',
    priority: 4,
    cell: (s) => (s.participants_mean === undefined ? '' : Number(s.participants_mean).toFixed(2)),
  });
  return layoutTable(
    columns,
    summaries.map((s) => columns.map((c) => c.cell(s))),
    width,
  );
}
