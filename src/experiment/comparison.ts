import { BOOLEAN_FIELDS, type CellAggregate, COUNT_FIELDS } from './aggregate.js';
import { excludesZero, newcombeDiff, welchDiff } from './compare.js';
import type { PlanInfo } from './plan.js';
import type { Row } from './summary.js';
import { histogramMoments } from './summary.js';

export const COMPARE_COLUMNS = [
  'cell',
  'scenario_a',
  'scenario_b',
  'outcome',
  'statistic',
  'a',
  'b',
  'difference',
  'difference_lo',
  'difference_hi',
  'excludes_zero',
  'runs_a',
  'runs_b',
];

/**
 * compare.csv rows: for each pair of cells (cell i of A with cell i of B), every 0/1 outcome as a
 * share with Newcombe's interval for the difference B − A, and every count as a mean with
 * Welch's interval. Both sides run under the same seed, so run r of A and of B share a random
 * stream (common random numbers): the intervals, which assume independent samples, are then
 * conservative.
 */
export function comparisonRows(
  planA: PlanInfo,
  a: CellAggregate[],
  planB: PlanInfo,
  b: CellAggregate[],
): Row[] {
  const rows: Row[] = [];
  planA.cells.forEach((cellA, i) => {
    const cellB = planB.cells[i]!;
    const x = a[i]!;
    const y = b[i]!;
    const base = {
      cell: i,
      scenario_a: cellA.scenario,
      scenario_b: cellB.scenario,
      runs_a: x.runs,
      runs_b: y.runs,
    };
    for (const f of BOOLEAN_FIELDS) {
      const d = newcombeDiff(y.trueCount(f), y.runs, x.trueCount(f), x.runs);
      rows.push({
        ...base,
        outcome: f,
        statistic: 'share',
        a: x.trueCount(f) / x.runs,
        b: y.trueCount(f) / y.runs,
        difference: d.diff,
        difference_lo: d.lo,
        difference_hi: d.hi,
        excludes_zero: excludesZero(d),
      });
    }
    for (const f of COUNT_FIELDS) {
      const ma = histogramMoments(x.histogram(f));
      const mb = histogramMoments(y.histogram(f));
      const d = welchDiff(mb.mean, mb.sd, mb.n, ma.mean, ma.sd, ma.n);
      const defined = Number.isFinite(d.lo) && Number.isFinite(d.hi);
      rows.push({
        ...base,
        outcome: f,
        statistic: 'mean',
        a: ma.mean,
        b: mb.mean,
        difference: d.diff,
        difference_lo: defined ? d.lo : undefined,
        difference_hi: defined ? d.hi : undefined,
        excludes_zero: defined ? excludesZero(d) : d.diff !== 0,
      });
    }
  });
  return rows;
}
