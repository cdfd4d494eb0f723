import { relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultWorkers } from '../engine/pool.js';
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
import { nestOverrides } from '../experiment/overrides.js';
import { csvText } from '../output/csv.js';
import { textFile } from '../output/publish.js';
import { COMMAND_FACES } from './commands.js';
import { executePlan } from './execute.js';
import {
  DEFAULT_SEED,
  dataOption,
  defaultOutDir,
  examples,
  forceOption,
  lastText,
  paramOption,
  parseParams,
  quietOption,
  seedOption,
  wholeNumber,
  workersOption,
} from './options.js';
import { planOf } from './setup.js';
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
  force: boolean;
}

/** What `--help` says a wars file holds (backtest and calibrate). */
export const WARS_FILE_HELP =
  'wars file(s) in the layout of data/wars/training_wars.csv: war_label, start_date, init_a_ccode (the ' +
  'initiator: COW Initiator = 1), init_a_side, init_b_ccode (the state attacked) and joiners ' +
  '("ccode:ABB:sideN:YYYY-MM-DD;…", a state that switched sides listed once per side); other columns are ignored';

/** --states (backtest and calibrate). */
export const statesOption = {
  describe:
    'which states are scored (never the two initial belligerents): "all" = every system member; "relevant" = ' +
    'those in an alliance with, or with a land border to, an initial belligerent on the start date',
  type: 'string',
  default: 'all',
  coerce: candidateSet,
} as const;

export const backtestCommand: CommandModule<object, BacktestArgs> = {
  ...COMMAND_FACES.backtest,
  builder: (y: Argv) =>
    y
      .positional('wars', { describe: WARS_FILE_HELP, type: 'string', array: true, demandOption: true })
      .option('runs', {
        describe: `runs per war [default: ${DEFAULT_BACKTEST_RUNS}]`,
        coerce: wholeNumber('runs', 1),
      })
      .option('seed', { ...seedOption, describe: `master seed [default: ${DEFAULT_SEED}]` })
      .option('workers', workersOption)
      .option('states', statesOption)
      .option('data', dataOption)
      .option('out', { describe: 'output folder [default: results/backtest-<timestamp>/]', type: 'string' })
      .option('param', paramOption('every war'))
      .option('xlsx', xlsxOption)
      .option('quiet', quietOption)
      .option('force', forceOption)
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

async function backtestHandler(args: BacktestArgs): Promise<void> {
  const startedAt = new Date();
  const runs = args.runs ?? DEFAULT_BACKTEST_RUNS;
  const seed = args.seed ?? DEFAULT_SEED;
  const states = args.states;
  const { values, text: paramsText } = parseParams(args.param);
  const params = Object.keys(values).length > 0 ? nestOverrides(values) : undefined;
  const prepared = prepareWarsFiles(args.wars, {
    states,
    ...(args.data !== undefined ? { dataDir: args.data } : {}),
  });
  // The manifest records the first wars file as the input and the others beside it.
  const spec = backtestSpec(prepared, args.wars[0]!, params);
  const workers = args.workers ?? defaultWorkers();
  const plan = planOf(spec, { runs, seed }, { runsCsv: false, workers });
  const outDir = args.out ?? defaultOutDir('backtest', startedAt);

  // Ctrl-C keeps the wars whose runs all finished (cells are merged in order, war by war).
  let scored: ReturnType<typeof scoreBacktest> | undefined;
  const result = await executePlan(plan, spec, {
    workers,
    outDir,
    quiet: args.quiet,
    runsCsv: false,
    startedAt,
    mode: args.force ? 'force' : 'new',
    headline:
      `entangle: backtest of ${prepared.length} war${prepared.length > 1 ? 's' : ''} × ${runs} runs, seed ${seed}, ` +
      `${workers} worker${workers > 1 ? 's' : ''}, states: ${states}${paramsText ? `, ${paramsText}` : ''}`,
    // The workbook of the backtest's files, when asked for.
    views: () => writeViews(outDir, { xlsx: args.xlsx, quiet: args.quiet }),
    outputs: (outcome) => {
      const done = plan.cells.filter((cell) => outcome.aggregates[cell.index]!.runs === cell.runs);
      if (done.length === 0) return [];
      const result = scoreBacktest(
        done.map((cell) => prepared[cell.index]!),
        done.map((cell) =>
          casePredictions(prepared[cell.index]!, {
            stateIds: cell.stateIds,
            aggregate: outcome.aggregates[cell.index]!,
          }),
        ),
        {
          seed,
          runs,
          states,
          params: paramsText,
          reachable: done.map((cell) => reachableStates(prepared[cell.index]!.scenario, cell.params)),
        },
      );
      scored = result;
      return [
        textFile('backtest.csv', () => csvText(STATE_COLUMNS, result.stateRows)),
        textFile('backtest-summary.csv', () => csvText(SUMMARY_COLUMNS, result.summaryRows)),
        textFile('calibration.csv', () => csvText(CALIBRATION_COLUMNS, result.calibrationRows)),
      ];
    },
  });
  if (!result.complete) process.exitCode = 130;

  if (!args.quiet) {
    const where = relative(process.cwd(), outDir) || '.';
    if (!scored) {
      process.stdout.write(
        `\nInterrupted before any war finished; nothing scored (${where}/manifest.json)\n`,
      );
      return;
    }
    const wars =
      scored.wars.length <= 12 ? scored.wars.map((w) => ({ name: w.war.war.label, s: w.scores })) : [];
    const table = scoresTable([...wars, { name: 'overall', s: scored.overall }]);
    process.stdout.write(
      `${table}\n\nBase rate ${scored.yardsticks.baseRate.toFixed(3)} (in-sample). Lower Brier is better; AUC 0.5 ` +
        'is chance; "capability" Brier is fitted in-sample.\n' +
        (result.complete
          ? `Results in ${where}/ (${result.files.join(', ')})\n`
          : `Interrupted: ${scored.wars.length} of ${prepared.length} wars finished and scored, in ${where}/ (manifest.json says "complete": false)\n`),
    );
  }
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
