import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultWorkers, runPlan } from '../engine/coordinator.js';
import { InputError } from '../errors.js';
import {
  backtestSpec,
  CANDIDATE_SETS,
  type CandidateSet,
  casePredictions,
  prepareWarsFiles,
} from '../experiment/backtest.js';
import { reachableStates } from '../experiment/backtest-reach.js';
import {
  CALIBRATION_COLUMNS,
  STATE_COLUMNS,
  SUMMARY_COLUMNS,
  scoreBacktest,
} from '../experiment/backtest-report.js';
import type { Scores } from '../experiment/backtest-scores.js';
import { buildPlan } from '../experiment/plan.js';
import { writeCsv } from '../output/csv.js';
import { VERSION } from '../version.js';
import { COMMAND_FACES } from './commands.js';
import { DEFAULT_SEED, examples, lastText, paramOption, parseParams, wholeNumber } from './options.js';
import { createProgress } from './progress.js';
import { textTable } from './table.js';
import { writeViews, xlsxOption } from './views.js';

/** Runs per war unless --runs says otherwise. */
export const DEFAULT_BACKTEST_RUNS = 20_000;

interface BacktestArgs {
  wars: string[];
  runs?: number;
  seed?: number;
  workers?: number;
  states: CandidateSet;
  data?: string;
  out?: string;
  param?: string[];
  xlsx: boolean;
  quiet: boolean;
}

/** What `--help` says a wars file holds (backtest and calibrate). */
export const WARS_FILE_HELP =
  'wars file(s) in the layout of data/wars/training_wars.csv: war_label, start_date, init_a_ccode (the ' +
  'initiator: COW Initiator = 1), init_a_side, init_b_ccode (the state attacked) and joiners ' +
  '("ccode:ABB:sideN:YYYY-MM-DD;…", a state that switched sides listed once per side); other columns are ignored';

/** What `--help` says of --states (backtest and calibrate). */
export const STATES_HELP =
  'which states are scored (never the two initial belligerents): "all" = every system member; "relevant" = ' +
  'those in an alliance with, or with a land border to, an initial belligerent on the start date';

export const backtestCommand: CommandModule<object, BacktestArgs> = {
  ...COMMAND_FACES.backtest,
  builder: (y: Argv) =>
    y
      .positional('wars', { describe: WARS_FILE_HELP, type: 'string', array: true, demandOption: true })
      .option('runs', {
        describe: `runs per war [default: ${DEFAULT_BACKTEST_RUNS}]`,
        coerce: wholeNumber('runs', 1),
      })
      .option('seed', { describe: `master seed [default: ${DEFAULT_SEED}]`, coerce: wholeNumber('seed', 0) })
      .option('workers', {
        describe: 'worker threads [default: SLURM_CPUS_PER_TASK, else every core]',
        coerce: wholeNumber('workers', 1, 1024),
      })
      .option('states', { describe: STATES_HELP, type: 'string', default: 'all', coerce: candidateSet })
      .option('data', {
        describe: "folder with cow/ and atop/ (default: entangle's own data/)",
        type: 'string',
      })
      .option('out', { describe: 'output folder [default: results/backtest-<timestamp>/]', type: 'string' })
      .option('param', paramOption('every war'))
      .option('xlsx', xlsxOption)
      .option('quiet', { alias: 'q', describe: 'print nothing but errors', type: 'boolean', default: false })
      .epilog(
        'A state "entered" if the wars file lists it as a joiner, whenever during the war it joined (Italy in ' +
          '1915 counts for 1914); a state listed twice (it switched sides) is scored on its first entry. ' +
          'Yardsticks: the base rate (share of scored states that entered, all wars, in-sample), the naive rule ' +
          '(entry for a state with a defense or offense commitment toward an initial belligerent), capability ' +
          'alone (AUC: states ranked by CINC share; Brier: a logistic fit of entry on log CINC share, in-sample). ' +
          'Side-aware scores count an entry only on the side it was predicted. Writes backtest.csv (one row per ' +
          'war and state), backtest-summary.csv (one row per war, then one overall) and calibration.csv.',
      )
      .example(
        examples(
          ['$0 backtest data/wars/training_wars.csv', 'the four training wars, 20,000 runs each'],
          [
            '$0 backtest data/wars/training_wars.csv \\\n  data/wars/development_wars.csv --runs 5000 --out results/bt',
            'all 87 wars',
          ],
        ),
      ) as unknown as Argv<BacktestArgs>,
  handler: async (args: ArgumentsCamelCase<BacktestArgs>) => {
    await backtestHandler(args);
  },
};

/** `--states` (a yargs `choices` error would take two lines). */
export function candidateSet(raw: unknown): CandidateSet {
  const text = lastText(raw).trim();
  if (!(CANDIDATE_SETS as readonly string[]).includes(text)) {
    throw new InputError(`--states: expected ${CANDIDATE_SETS.join(' or ')}, got "${text}"`);
  }
  return text as CandidateSet;
}

/** A default output folder, results/NAME-<timestamp>/. */
export function timestampedFolder(name: string, at: Date): string {
  return join('results', `${name}-${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`);
}

async function backtestHandler(args: BacktestArgs): Promise<void> {
  const startedAt = new Date();
  const runs = args.runs ?? DEFAULT_BACKTEST_RUNS;
  const seed = args.seed ?? DEFAULT_SEED;
  const { params, text: paramsText } = parseParams(args.param);
  const prepared = prepareWarsFiles(args.wars, {
    states: args.states,
    ...(args.data !== undefined ? { dataDir: args.data } : {}),
  });
  const plan = buildPlan(backtestSpec(prepared, args.wars.join(' '), params), {
    runs,
    seed,
    version: VERSION,
  });
  const workers = args.workers ?? defaultWorkers();
  const outDir = args.out ?? timestampedFolder('backtest', startedAt);
  mkdirSync(outDir, { recursive: true });
  if (!args.quiet) {
    const n = prepared.length;
    process.stderr.write(
      `entangle: backtest of ${n} war${n > 1 ? 's' : ''} × ${runs} runs, seed ${seed}, ` +
        `${workers} worker${workers > 1 ? 's' : ''}, states: ${args.states}${paramsText ? `, ${paramsText}` : ''}\n`,
    );
  }

  const progress = createProgress(
    { quiet: args.quiet, tty: process.stderr.isTTY === true },
    { planned: plan.cells.map((c) => c.runs), scenarios: plan.cells.map((c) => c.scenario) },
  );
  const result = await runPlan(plan, {
    workers,
    onProgress: (done, all, batch) => progress.update(done, all, batch),
  }).finally(() => progress.stop());

  const scored = scoreBacktest(
    prepared,
    prepared.map((w, i) =>
      casePredictions(w, { stateIds: plan.cells[i]!.stateIds, aggregate: result.aggregates[i]! }),
    ),
    {
      seed,
      runs,
      states: args.states,
      params: paramsText,
      reachable: prepared.map((w, i) => reachableStates(w.scenario, plan.cells[i]!.params)),
    },
  );
  writeCsv(join(outDir, 'backtest.csv'), STATE_COLUMNS, scored.stateRows);
  writeCsv(join(outDir, 'backtest-summary.csv'), SUMMARY_COLUMNS, scored.summaryRows);
  writeCsv(join(outDir, 'calibration.csv'), CALIBRATION_COLUMNS, scored.calibrationRows);
  if (!args.quiet) {
    const wars =
      scored.wars.length <= 12 ? scored.wars.map((w) => ({ name: w.war.war.label, s: w.scores })) : [];
    process.stdout.write(
      `${scoresTable([...wars, { name: 'overall', s: scored.overall }])}\n\n` +
        `Base rate ${scored.yardsticks.baseRate.toFixed(3)} (in-sample). Lower Brier is better; AUC 0.5 is chance; ` +
        '"capability" Brier is fitted in-sample.\n' +
        `Results in ${relative(process.cwd(), outDir) || '.'}/ (backtest.csv, backtest-summary.csv, calibration.csv)\n`,
    );
  }
  // The workbook of the backtest's files, when asked for.
  await writeViews(outDir, { xlsx: args.xlsx, quiet: args.quiet });
}

/** The terminal table of scores: model against the yardsticks, one row per war and overall. */
export function scoresTable(rows: { name: string; s: Scores }[]): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
  return textTable(
    ['', 'states', 'entered', 'expected', 'brier', 'base', 'naive', 'capab.', 'auc', 'naive', 'capab.'],
    rows.map(({ name, s }) => [
      name,
      s.candidates,
      s.entered,
      s.expected.toFixed(1),
      f(s.brier.model),
      f(s.brier.base),
      f(s.brier.naive),
      f(s.brier.capability),
      f(s.auc.model),
      f(s.auc.naive),
      f(s.auc.capability),
    ]),
  );
}
