/**
 * Sensitivity designs over an experiment's factors (the sweep's names with their ranges):
 * the points a plan runs as cells, and the record of the design that manifest.json keeps so
 * that `entangle sensitivity` can tell which cell plays which part.
 */
import { formatPath, InputError } from '../errors.js';
import type { SamplingDesign } from '../scenario/design.js';
import { MAX_RANGE_VALUES } from './grid.js';
import { morrisDesign } from './morris.js';
import { saltelliCellsPerBase, saltelliDesign } from './saltelli.js';
import { SOBOL_MAX_DIMENSIONS } from './sobol-sequence.js';

/** One factor of a design: a swept name and its range. */
export interface Factor {
  name: string;
  from: number;
  to: number;
}

/** A design as the plan and manifest.json record it: the design and its factors in sweep order. */
export type DesignRecord = SamplingDesign & { factors: Factor[] };

/** Most cells one scenario of a design may have (as for a full grid). */
export const MAX_DESIGN_CELLS = MAX_RANGE_VALUES * 10;

/** The design's record over the sweep's ranges, checked: every factor a range of positive width. */
export function designRecord(
  design: SamplingDesign,
  sweep: Readonly<Record<string, unknown>>,
  file?: string,
): DesignRecord {
  const fail = (path: PropertyKey[], message: string): never => {
    throw new InputError(`${file === undefined ? '' : `${file}: `}${formatPath(path)}: ${message}`);
  };
  const what = design.kind === 'sobol' ? 'a Sobol design' : 'a Morris design';
  const factors = Object.entries(sweep).map(([name, range]) => {
    const { from, to } = range as { from: number; to: number };
    if (!(to > from)) fail(['sweep', name], `${what} needs a range with to above from, got ${from} to ${to}`);
    return { name, from, to };
  });
  const d = factors.length;
  if (design.kind === 'sobol' && 2 * d > SOBOL_MAX_DIMENSIONS)
    fail(['sweep'], `a Sobol design takes at most ${SOBOL_MAX_DIMENSIONS / 2} factors, got ${d}`);
  const cells = designCells({ ...design, factors });
  if (cells > MAX_DESIGN_CELLS)
    fail(['design'], `the design has ${cells} cells per scenario, more than ${MAX_DESIGN_CELLS}`);
  return { ...design, factors };
}

/** Cells per scenario: N·(D + 2) for Sobol (N·(2D + 2) with second order), R·(D + 1) for Morris. */
export function designCells(record: DesignRecord): number {
  const d = record.factors.length;
  return record.kind === 'sobol'
    ? record.n * saltelliCellsPerBase(d, record.secondOrder)
    : record.trajectories * (d + 1);
}

/**
 * The design's points, by factor name, scaled from the unit cube to the factors' ranges
 * (cell order: Saltelli's blocks of saltelli.ts, or Morris trajectories one after another).
 * The seed drives the scrambling of the Sobol sequence and the Morris trajectories.
 */
export function designPoints(record: DesignRecord, seed: number): Record<string, number>[] {
  const d = record.factors.length;
  const unit =
    record.kind === 'sobol'
      ? saltelliDesign(d, record.n, {
          secondOrder: record.secondOrder,
          ...(record.scramble ? { scramble: { seed } } : {}),
        })
      : morrisDesign(d, record.trajectories, record.levels, seed).points;
  return unit.map((u) => {
    const point: Record<string, number> = {};
    record.factors.forEach(({ name, from, to }, i) => {
      // u = 1 (a Morris point at the top level) must give `to` exactly, not a rounding below it.
      point[name] = u[i] === 1 ? to : Math.min(to, from + u[i]! * (to - from));
    });
    return point;
  });
}

/** One line for `validate` and the run's log: "Sobol design, N = 1024 over 10 factors (12288 cells)". */
export function describeDesign(record: DesignRecord): string {
  const d = record.factors.length;
  const cells = designCells(record);
  return record.kind === 'sobol'
    ? `Sobol design (Saltelli), N = ${record.n}${record.secondOrder ? ', second order' : ''}${record.scramble ? ', scrambled' : ''}, over ${d} factors: ${cells} cells`
    : `Morris design, ${record.trajectories} trajectories on ${record.levels} levels over ${d} factors: ${cells} cells`;
}
