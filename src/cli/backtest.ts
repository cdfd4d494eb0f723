import { relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultWorkers } from '../engine/coordinator.js';
import { InputError } from '../errors.js';
import {
  type BacktestScores,
  backtestSpec,
  CANDIDATE_SETS,
  type CandidateSet,
  prepareBacktest,
  readWars,
  STATE_COLUMNS,
  SUMMARY_COLUMNS,
  scoreBacktest,
} from '../experiment/backtest.js';
import { nestOverrides } from '../experiment/overrides.js';
import { csvText } from '../output/csv.js';
import { textFile } from '../output/publish.js';
import { COMMAND_FACES } from './commands.js';
import { executePlan } from './execute.js';
import {
  DEFAULT_SEED,
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
  wars: string;
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

export const backtestCommand: CommandModule<object, BacktestArgs> = {
  ...COMMAND_FACES.backtest,
  builder: (y: Argv) =>
    y
      .positional('wars', {
        describe:
          'wars file in the layout of data/wars/training_wars.csv: war_label, start_date, init_a_ccode (the ' +
          'initiator: COW Initiator = 1), init_a_side, init_b_ccode (the state attacked), init_b_side and ' +
          'joiners ("ccode:ABB:sideN:YYYY-MM-DD;…"); other columns are ignored',
        type: 'string',
        demandOption: true,
      })
      .option('runs', {
        describe: `runs per war [default: ${DEFAULT_BACKTEST_RUNS}]`,
        coerce: wholeNumber('runs', 1),
      })
      .option('seed', { ...seedOption, describe: `master seed [default: ${DEFAULT_SEED}]` })
      .option('workers', workersOption)
      .option('states', {
        describe:
          'which states are scored (never the two initial belligerents): "relevant" = those in an alliance ' +
          'with, or with a land border to, an initial belligerent on the start date; "all" = every system member',
        type: 'string',
        default: 'relevant',
        coerce: candidateSet,
      })
      .option('data', {
        describe: "folder with cow/ and atop/ (default: entangle's own data/)",
        type: 'string',
      })
      .option('out', { describe: 'output folder [default: results/backtest-<timestamp>/]', type: 'string' })
      .option('param', paramOption('every war'))
      .option('xlsx', xlsxOption)
      .option('quiet', quietOption)
      .option('force', forceOption)
      .epilog(
        'A state "entered" if the wars file lists it as a joiner, whenever during the war it joined (Italy in ' +
          '1915 counts for 1914). The naive rule predicts entry for a state with a defense or offense ' +
          'commitment toward an initial belligerent; the base rate is the share of scored states that entered ' +
          'over all wars of the file (in-sample). Writes backtest.csv (one row per war and state) and ' +
          'backtest-summary.csv (one row per war, then one overall: Brier scores of the model, base rate and ' +
          'naive rule, AUC of the model and naive rule).',
      )
      .example(
        examples(
          ['$0 backtest data/wars/training_wars.csv', 'the four training wars, 20,000 runs each'],
          [
            '$0 backtest data/wars/training_wars.csv --states all --runs 5000 \\\n  --out results/bt',
            'every system member',
          ],
        ),
      ) as unknown as Argv<BacktestArgs>,
  handler: async (args: ArgumentsCamelCase<BacktestArgs>) => {
    await backtestHandler(args);
  },
};

/** `--states` (a yargs `choices` error would take two lines). */
function candidateSet(raw: unknown): CandidateSet {
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
  const wars = readWars(args.wars);
  const prepared = prepareBacktest(wars, {
    file: args.wars,
    states,
    ...(args.data !== undefined ? { dataDir: args.data } : {}),
  });
  const spec = backtestSpec(prepared, args.wars, params ? { params } : {});
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
      `entangle: backtest of ${wars.length} war${wars.length > 1 ? 's' : ''} × ${runs} runs, seed ${seed}, ` +
      `${workers} worker${workers > 1 ? 's' : ''}, states: ${states}${paramsText ? `, ${paramsText}` : ''}`,
    // The workbook of the backtest's files, when asked for.
    views: () => writeViews(outDir, { xlsx: args.xlsx, quiet: args.quiet }),
    outputs: (outcome) => {
      const done = plan.cells.filter((cell) => outcome.aggregates[cell.index]!.runs === cell.runs);
      if (done.length === 0) return [];
      const result = scoreBacktest(
        done.map((cell) => prepared[cell.index]!),
        done.map((cell) => ({ stateIds: cell.stateIds, aggregate: outcome.aggregates[cell.index]! })),
        { seed, runs, states, params: paramsText },
      );
      scored = result;
      return [
        textFile('backtest.csv', () => csvText(STATE_COLUMNS, result.stateRows)),
        textFile('backtest-summary.csv', () => csvText(SUMMARY_COLUMNS, result.summaryRows)),
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
    const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
    const row = (name: string, s: BacktestScores) => [
      name,
      s.candidates,
      s.entered,
      f(s.brierModel),
      f(s.brierBase),
      f(s.brierNaive),
      f(s.aucModel),
    ];
    const table = textTable(
      ['war', 'states', 'entered', 'brier_model', 'brier_base', 'brier_naive', 'auc_model'],
      [...scored.wars.map((w) => row(w.war.war.label, w.scores)), row('overall', scored.overall)],
    );
    process.stdout.write(
      `${table}\n\nBase rate ${f(scored.baseRate)} (share of scored states that entered, all wars, in-sample). ` +
        `Lower Brier is better; AUC 0.5 is chance.\n` +
        (result.complete
          ? `Results in ${where}/ (${result.files.join(', ')})\n`
          : `Interrupted: ${scored.wars.length} of ${wars.length} wars finished and scored, in ${where}/ (manifest.json says "complete": false)\n`),
    );
  }
}
