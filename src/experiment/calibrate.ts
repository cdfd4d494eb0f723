/**
 * Cross-validated calibration: a parameter space (a grid, or a Latin hypercube over ranges,
 * written as an experiment file's `sweep`) is searched for the point that predicts history
 * best, and the search itself is judged on wars it did not see. The wars are dealt into k
 * folds; for each fold the point the criterion prefers on the other folds (in-fold) is chosen
 * and scored on the fold (out-of-fold). Pooling every fold's out-of-fold predictions
 * gives the cross-validated score, to set against the defaults on the same wars. Pure logic:
 * the CLI runs the points on the engine.
 */
import { z } from 'zod';
import { formatPath, InputError } from '../errors.js';
import { cloneParams, PARAM_NAMES, resolveParams, setParam } from '../model/params.js';
import { RunRng } from '../model/rng.js';
import type { ModelParams, Scenario } from '../model/types.js';
import { parseWith, readStructuredFile } from '../scenario/read.js';
import { paramsSchema } from '../scenario/schema.js';
import type { BacktestWar, CasePrediction } from './backtest.js';
import { fitYardsticks, type ScoredCase, type Scores, scoreCases } from './backtest-scores.js';
import { expandGrid, latinHypercube, type SweepValues } from './grid.js';

/** Stream of the fold assignment (distinct from the model's, the systems' and the LHS's). */
export const STREAM_FOLDS = 0x464f4c44; // 'FOLD'

/** A parameter space file: a sweep (lists or ranges), an optional Latin hypercube, fixed params. */
export interface Space {
  file: string;
  /** Dotted parameter names, in file order. */
  keys: string[];
  /** The points, each a value for every key. */
  points: Record<string, number>[];
  /** Overrides for every point (and the base point), under the swept values. */
  params?: Scenario['params'];
}

const spaceSchema = z.strictObject({
  sweep: z.record(
    z.string(),
    z.union(
      [
        z.array(z.number({ error: 'expected a number' })).min(1, 'expected at least one value'),
        z.strictObject({ from: z.number(), to: z.number(), step: z.number().optional() }),
      ],
      { error: 'expected a list of numbers or a range { from, to, step }' },
    ),
    { error: 'expected sweep: a mapping of parameter names to values or ranges' },
  ),
  design: z
    .strictObject(
      { lhs: z.number().int('expected a whole number of points').min(1, 'expected at least one point') },
      { error: 'expected design: { lhs: N }' },
    )
    .optional(),
  params: paramsSchema.optional(),
});

/**
 * Reads a space file. The syntax is an experiment file's `sweep` (and `design: { lhs: N }`,
 * `params`): every combination of the lists and ranges, or N Latin hypercube points over the
 * ranges (drawn from `seed`).
 */
export function readSpace(file: string, seed: number): Space {
  const input = parseWith(spaceSchema, readStructuredFile(file), file);
  const fail = (path: PropertyKey[], message: string): never => {
    throw new InputError(`${file}: ${formatPath(path)}: ${message}`);
  };
  const keys = Object.keys(input.sweep);
  if (keys.length === 0) fail(['sweep'], 'expected at least one parameter to search');
  for (const key of keys) {
    if (!PARAM_NAMES.includes(key))
      fail(['sweep', key], `unknown parameter "${key}"; expected one of ${PARAM_NAMES.join(', ')}`);
    if (input.design !== undefined && Array.isArray(input.sweep[key]))
      fail(['sweep', key], 'a Latin hypercube design needs ranges { from, to }, not lists');
  }
  const points =
    input.design !== undefined
      ? latinHypercube(
          input.sweep as Record<string, { from: number; to: number }>,
          input.design.lhs,
          seed,
          file,
        )
      : expandGrid(input.sweep as Record<string, SweepValues>, file);
  // Every value must be one the parameter can take (a range may leave it, e.g. reliability 1.2).
  const base = cloneParams();
  points.forEach((point, p) => {
    for (const key of keys) {
      try {
        setParam(base, key, point[key]!);
        parseWith(paramsSchema, { [key]: point[key] }, file);
      } catch (err) {
        if (err instanceof InputError)
          fail(['sweep', key], `point ${p + 1} has ${key} = ${point[key]}, outside what it can take`);
        throw err;
      }
    }
  });
  return {
    file,
    keys,
    points,
    ...(input.params !== undefined ? { params: input.params as Scenario['params'] } : {}),
  };
}

/** The model parameters of a point: defaults, the space's fixed params, then the point's values. */
export function pointParams(space: Pick<Space, 'params'>, point: Record<string, number>): ModelParams {
  const params = resolveParams(space.params ?? {});
  for (const [k, v] of Object.entries(point)) setParam(params, k, v);
  return params;
}

/**
 * The fold (0 … k−1) of each war: wars with a joiner among their candidates are shuffled and
 * dealt round-robin first, then the others, so that every fold gets its share of wars with
 * something to predict. The same wars, k and seed give the same folds.
 */
export function assignFolds(wars: readonly BacktestWar[], k: number, seed: number): number[] {
  if (!Number.isInteger(k) || k < 2 || k > wars.length)
    throw new InputError(
      `--folds: expected a whole number from 2 to the number of wars (${wars.length}), got ${k}`,
    );
  const rng = new RunRng(seed, 0, 0, STREAM_FOLDS);
  const shuffled = (ids: number[]) => {
    for (let i = ids.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    return ids;
  };
  const index = wars.map((_, i) => i);
  const joined = (i: number) => wars[i]!.cases.some((c) => c.entered === 1);
  const order = [...shuffled(index.filter(joined)), ...shuffled(index.filter((i) => !joined(i)))];
  const folds = new Array<number>(wars.length);
  order.forEach((w, n) => {
    folds[w] = n % k;
  });
  return folds;
}

/** One point's scores on one fold: in-fold (the other folds) and out-of-fold (this fold). */
export interface FoldScores {
  point: number;
  fold: number;
  inFold: Scores;
  outOfFold: Scores;
}

/** Brier scores of the base rate and of capability alone, each fold fitted without it. */
export interface YardsticksOutOfFold {
  brierBase: number;
  brierCapability: number;
  brierSideBase: number;
  brierSideCapability: number;
}

/** What cross-validation found: per fold the point chosen, and the pooled out-of-fold scores. */
export interface CrossValidation {
  folds: number[];
  criterion: Criterion;
  pointScores: FoldScores[];
  /** The point scored on all wars (in-sample), one per point. */
  allWars: Scores[];
  chosen: { fold: number; point: number; inFold: Scores; outOfFold: Scores }[];
  /** Out-of-fold predictions pooled (each war under the point chosen without it). */
  crossValidated: Scores;
  crossValidatedCases: ScoredCase[];
  /** The fold and the war (index) of each of crossValidatedCases. */
  crossValidatedFolds: number[];
  crossValidatedWars: number[];
  /** The yardsticks (base rate, capability) fitted on the other folds and scored out of fold. */
  yardsticksOutOfFold: YardsticksOutOfFold;
  /** The point the criterion prefers on all wars: the candidate for new defaults. */
  best: number;
}

/**
 * How a point is chosen from its scores on the wars it is fitted to:
 * - `brier`: the lowest Brier score;
 * - `auc`: the highest AUC among the points whose Brier score is below both fitted yardsticks'
 *   (base rate and capability alone, fitted on the same wars), else the lowest Brier score.
 *   The goal in README.md ("Calibration"): ranking, without giving up calibration.
 * Ties go to the earlier point (the defaults come first).
 */
export type Criterion = 'brier' | 'auc';
export const CRITERIA: readonly Criterion[] = ['brier', 'auc'];

/** The index of the point the criterion prefers among `scores` (each under the same yardsticks). */
export function choosePoint(scores: readonly Scores[], criterion: Criterion): number {
  let lowest = 0;
  scores.forEach((s, p) => {
    if (s.brier.model < scores[lowest]!.brier.model) lowest = p;
  });
  if (criterion === 'brier') return lowest;
  let best = -1;
  scores.forEach((s, p) => {
    if (!(s.brier.model < Math.min(s.brier.base, s.brier.capability))) return;
    if (best < 0 || s.auc.model > scores[best]!.auc.model) best = p;
  });
  return best < 0 ? lowest : best;
}

/**
 * Scores every point on every fold and cross-validates the choice of point. `predictions[p][w]`
 * holds point p's chances for the cases of war w. In-fold and out-of-fold scores take the
 * yardsticks fitted on the in-fold wars (so `yardsticksOutOfFold` pools the out-of-fold ones);
 * the all-wars scores and the cross-validated ones take them fitted on all wars, as the
 * backtest does.
 */
export function crossValidate(
  wars: readonly BacktestWar[],
  predictions: readonly (readonly CasePrediction[][])[],
  folds: readonly number[],
  criterion: Criterion = 'brier',
): CrossValidation {
  const k = Math.max(...folds) + 1;
  const inSample = fitYardsticks(wars.flatMap((w) => w.cases));
  const cases = (p: number, keep: (w: number) => boolean): ScoredCase[] =>
    wars.flatMap((w, i) => (keep(i) ? w.cases.map((c, n) => ({ case: c, p: predictions[p]![i]![n]! })) : []));
  const pointScores: FoldScores[] = [];
  const allWars = predictions.map((_, p) =>
    scoreCases(
      cases(p, () => true),
      inSample,
    ),
  );
  const chosen: CrossValidation['chosen'] = [];
  const pooled: ScoredCase[] = [];
  const foldOf: number[] = [];
  const warOf: number[] = [];
  const yardstickParts: { n: number; s: Scores }[] = [];
  for (let f = 0; f < k; f++) {
    const training = fitYardsticks(wars.filter((_, w) => folds[w] !== f).flatMap((w) => w.cases));
    const onFold = predictions.map(
      (_, p): FoldScores => ({
        point: p,
        fold: f,
        inFold: scoreCases(
          cases(p, (w) => folds[w] !== f),
          training,
        ),
        outOfFold: scoreCases(
          cases(p, (w) => folds[w] === f),
          training,
        ),
      }),
    );
    pointScores.push(...onFold);
    const best = choosePoint(
      onFold.map((s) => s.inFold),
      criterion,
    );
    chosen.push({ fold: f, point: best, inFold: onFold[best]!.inFold, outOfFold: onFold[best]!.outOfFold });
    const held = cases(best, (w) => folds[w] === f);
    pooled.push(...held);
    foldOf.push(...held.map(() => f));
    warOf.push(...wars.flatMap((w, i) => (folds[i] === f ? w.cases.map(() => i) : [])));
    if (held.length > 0) yardstickParts.push({ n: held.length, s: onFold[best]!.outOfFold });
  }
  return {
    folds: [...folds],
    criterion,
    pointScores,
    allWars,
    chosen,
    crossValidated: scoreCases(pooled, inSample),
    crossValidatedCases: pooled,
    crossValidatedFolds: foldOf,
    crossValidatedWars: warOf,
    yardsticksOutOfFold: pooledBrier(yardstickParts),
    best: choosePoint(allWars, criterion),
  };
}

/**
 * The Brier scores of forecasts made without the fold: each fold's cases under yardsticks
 * fitted on the other folds, pooled. A Brier score is a mean over cases, so the pooled one is
 * the case-weighted mean of the folds' (side-aware: two cases per state, the same weights).
 */
function pooledBrier(parts: { n: number; s: Scores }[]): YardsticksOutOfFold {
  const n = parts.reduce((a, p) => a + p.n, 0);
  const mean = (get: (s: Scores) => number) => parts.reduce((a, p) => a + get(p.s) * p.n, 0) / n;
  return {
    brierBase: mean((s) => s.brier.base),
    brierCapability: mean((s) => s.brier.capability),
    brierSideBase: mean((s) => s.brierSide.base),
    brierSideCapability: mean((s) => s.brierSide.capability),
  };
}
