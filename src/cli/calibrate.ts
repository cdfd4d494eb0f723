import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { runPlan } from '../engine/coordinator.js';
import { defaultWorkers } from '../engine/pool.js';
import { freshRunState } from '../engine/run-state.js';
import { InputError } from '../errors.js';
import {
  backtestSpec,
  type CandidateSet,
  casePredictions,
  prepareWarsFiles,
} from '../experiment/backtest.js';
import { CALIBRATION_COLUMNS, calibrationRows } from '../experiment/backtest-report.js';
import { assignFolds, CRITERIA, type Criterion, crossValidate, readSpace } from '../experiment/calibrate.js';
import {
  CASE_COLUMNS,
  calibratePointRows,
  calibrateSummaryRows,
  caseRows,
  foldColumns,
  foldRows,
  pointColumns,
  summaryColumns,
} from '../experiment/calibrate-report.js';
import { flattenOverrides, nestOverrides } from '../experiment/overrides.js';
import { buildPlan } from '../experiment/plan.js';
import { writeCsv } from '../output/csv.js';
import { VERSION } from '../version.js';
import { scoresTable, statesOption, WARS_FILE_HELP } from './backtest.js';
import { COMMAND_FACES } from './commands.js';
import {
  DEFAULT_SEED,
  dataOption,
  defaultOutDir,
  examples,
  lastText,
  quietOption,
  seedOption,
  wholeNumber,
  workersOption,
} from './options.js';
import { createProgress } from './progress.js';

/** Runs per war and point, and folds, unless the command line says otherwise. */
export const DEFAULT_CALIBRATE_RUNS = 1000;
export const DEFAULT_FOLDS = 5;

interface CalibrateArgs {
  wars: string[];
  space: string;
  folds?: number;
  criterion: Criterion;
  runs?: number;
  seed?: number;
  workers?: number;
  states: CandidateSet;
  data?: string;
  out?: string;
  quiet: boolean;
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  ...COMMAND_FACES.calibrate,
  builder: (y: Argv) =>
    y
      .positional('wars', { describe: WARS_FILE_HELP, type: 'string', array: true, demandOption: true })
      .option('space', {
        describe:
          'parameter space file (YAML or JSON): sweep: { NAME: [values] or { from, to, step } } as in an experiment ' +
          'file, optionally design: { lhs: N } (N Latin hypercube points over the ranges) and params (fixed overrides)',
        type: 'string',
        demandOption: true,
      })
      .option('folds', {
        describe: `folds of whole wars [default: ${DEFAULT_FOLDS}]`,
        coerce: wholeNumber('folds', 2),
      })
      .option('criterion', {
        describe:
          'how a point is chosen on the wars it is fitted to: "brier" = lowest Brier score; "auc" = highest AUC ' +
          "among the points whose Brier score is below the base rate's and capability's (else lowest Brier)",
        type: 'string',
        default: 'brier',
        coerce: criterion,
      })
      .option('runs', {
        describe: `runs per war and point [default: ${DEFAULT_CALIBRATE_RUNS}]`,
        coerce: wholeNumber('runs', 1),
      })
      .option('seed', {
        ...seedOption,
        describe: `master seed: runs, folds and Latin hypercube [default: ${DEFAULT_SEED}]`,
      })
      .option('workers', workersOption)
      .option('states', statesOption)
      .option('data', dataOption)
      .option('out', { describe: 'output folder [default: results/calibrate-<timestamp>/]', type: 'string' })
      .option('quiet', quietOption)
      .epilog(
        "Point 0 is the defaults (with the space file's params); points 1… are the space's. Every point plays " +
          "every war with the same random streams (the backtest's, for the same seed and runs). The wars are dealt " +
          'into folds (wars with joiners first, shuffled by the seed); for each fold the point the criterion ' +
          "prefers on the other folds is scored on the fold. Writes calibrate-points.csv (every point's " +
          'in-fold and out-of-fold scores), calibrate-folds.csv (the point each fold chose), ' +
          'calibrate-summary.csv (cross-validated, defaults and best point against the yardsticks), ' +
          'calibrate-cases.csv (the cross-validated chance of every state) and calibration.csv (those binned).',
      )
      .example(
        examples([
          '$0 calibrate data/wars/training_wars.csv \\\n  data/wars/development_wars.csv \\\n  --space configs/calibration-space.yaml --runs 400 --criterion auc',
          'the calibration README.md reports on (stage 2), 5 folds',
        ]),
      ) as unknown as Argv<CalibrateArgs>,
  handler: async (args: ArgumentsCamelCase<CalibrateArgs>) => {
    await calibrateHandler(args);
  },
};

async function calibrateHandler(args: CalibrateArgs): Promise<void> {
  const startedAt = new Date();
  const runs = args.runs ?? DEFAULT_CALIBRATE_RUNS;
  const seed = args.seed ?? DEFAULT_SEED;
  const space = readSpace(args.space, seed);
  const prepared = prepareWarsFiles(args.wars, {
    states: args.states,
    ...(args.data !== undefined ? { dataDir: args.data } : {}),
  });
  const folds = assignFolds(prepared, args.folds ?? DEFAULT_FOLDS, seed);
  const workers = args.workers ?? defaultWorkers();
  const outDir = args.out ?? defaultOutDir('calibrate', startedAt);
  mkdirSync(outDir, { recursive: true });
  // Point 0: the defaults under the space's fixed params; then the space's points.
  const points = [{}, ...space.points];
  const total = points.length * prepared.length * runs;
  if (!args.quiet) {
    process.stderr.write(
      `entangle: calibrate: ${points.length} points (defaults + ${space.points.length}) × ${prepared.length} wars × ` +
        `${runs} runs, ${Math.max(...folds) + 1} folds, seed ${seed}, ${workers} worker${workers > 1 ? 's' : ''}\n`,
    );
  }

  // One progress line over every point: cell p × wars + w is war w at point p.
  const progress = createProgress(
    { quiet: args.quiet, tty: process.stderr.isTTY === true },
    {
      planned: points.flatMap(() => prepared.map(() => runs)),
      scenarios: points.flatMap((_, p) => prepared.map(() => `point ${p}`)),
    },
  );
  const predictions = [];
  try {
    for (const [p, point] of points.entries()) {
      // One plan per point, cells = wars in order: every point draws the same streams.
      const params = nestOverrides(new Map([...flattenOverrides(space.params), ...Object.entries(point)]));
      const plan = buildPlan(backtestSpec(prepared, args.space, params), { runs, seed, version: VERSION });
      const done = p * prepared.length * runs;
      const result = freshRunState(plan);
      await runPlan(plan, result, {
        workers,
        onProgress: (n, _, batch) =>
          progress.update(done + n, total, { cell: p * prepared.length + batch.cell, count: batch.count }),
      });
      predictions.push(
        prepared.map((w, i) =>
          casePredictions(w, { stateIds: plan.cells[i]!.stateIds, aggregate: result.aggregates[i]! }),
        ),
      );
    }
  } finally {
    progress.stop();
  }

  const cv = crossValidate(prepared, predictions, folds, args.criterion);
  const keys = space.keys;
  writeCsv(
    join(outDir, 'calibrate-points.csv'),
    pointColumns(keys),
    calibratePointRows(cv, space, points, keys),
  );
  writeCsv(
    join(outDir, 'calibrate-folds.csv'),
    foldColumns(keys),
    foldRows(cv, prepared, space, points, keys),
  );
  writeCsv(
    join(outDir, 'calibrate-summary.csv'),
    summaryColumns(keys),
    calibrateSummaryRows(cv, space, points, keys, { seed, runs, states: args.states }),
  );
  writeCsv(join(outDir, 'calibrate-cases.csv'), CASE_COLUMNS, caseRows(cv, prepared));
  writeCsv(join(outDir, 'calibration.csv'), CALIBRATION_COLUMNS, calibrationRows(cv.crossValidatedCases));
  if (!args.quiet) {
    const bestPoint = keys.map((k) => `${k}=${(points[cv.best] as Record<string, number>)[k] ?? 'default'}`);
    process.stdout.write(
      `${scoresTable([
        { name: 'defaults', s: cv.allWars[0]! },
        { name: 'cross-validated', s: cv.crossValidated },
        { name: `best point (${cv.best}), in-sample`, s: cv.allWars[cv.best]! },
      ])}\n\n` +
        `Out of fold: base rate Brier ${cv.yardsticksOutOfFold.brierBase.toFixed(4)}, capability Brier ` +
        `${cv.yardsticksOutOfFold.brierCapability.toFixed(4)} (fitted without the fold).\n` +
        `Best point on all wars (${cv.criterion}): ${cv.best === 0 ? 'the defaults' : bestPoint.join(' ')}. Change a default only ` +
        'where the cross-validated score beats the defaults.\n' +
        `Results in ${relative(process.cwd(), outDir) || '.'}/ (calibrate-points.csv, calibrate-folds.csv, ` +
        'calibrate-summary.csv, calibrate-cases.csv, calibration.csv)\n',
    );
  }
}

/** `--criterion` (a yargs `choices` error would take two lines). */
function criterion(raw: unknown): Criterion {
  const text = lastText(raw).trim();
  if (!(CRITERIA as readonly string[]).includes(text))
    throw new InputError(`--criterion: expected ${CRITERIA.join(' or ')}, got "${text}"`);
  return text as Criterion;
}
