import type { CellAggregate } from '../experiment/aggregate.js';
import type { PlanInfo } from '../experiment/plan.js';
import { histogramMoments } from '../experiment/summary.js';
import { percent, textTable } from './table.js';

/** The short table printed after a run: the main results per cell. */
export function summaryTable(plan: PlanInfo, aggregates: CellAggregate[]): string {
  const header = [
    'cell',
    'scenario',
    ...plan.sweepKeys,
    'runs',
    'P(contained)',
    'P(great-power war)',
    'P(world war)',
    'mean participants',
  ];
  const rows = plan.cells.map((c) => {
    const a = aggregates[c.index]!;
    const share = (f: Parameters<CellAggregate['trueCount']>[0]) =>
      a.runs > 0 ? percent(a.trueCount(f) / a.runs) : '';
    const mean = histogramMoments(a.histogram('participants')).mean;
    return [
      c.index,
      c.scenario.length > 40 ? `${c.scenario.slice(0, 39)}…` : c.scenario,
      ...plan.sweepKeys.map((k) => c.point[k]!),
      a.runs,
      share('contained'),
      share('great_power_war'),
      share('world_war'),
      a.runs > 0 ? mean.toFixed(2) : '',
    ];
  });
  return textTable(header, rows);
}
