import { basename, extname, join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultWorkers } from '../engine/pool.js';
import { InputError } from '../errors.js';
import { COMPARE_COLUMNS, comparisonRows } from '../experiment/comparison.js';
import { planInfo } from '../experiment/plan.js';
import { writeCsv } from '../output/csv.js';
import { COMMAND_FACES } from './commands.js';
import { executePlan } from './execute.js';
import {
  defaultOutDir,
  examples,
  forceOption,
  paramOption,
  paramOverrides,
  quietOption,
  runSettings,
  runsOption,
  seedOption,
  workersOption,
} from './options.js';
import { loadExperiment, planOf } from './setup.js';
import { layoutTable, outcomeLabel, percent } from './table.js';
import { reportOption, writeViews, xlsxOption } from './views.js';

interface CompareArgs {
  a: string;
  b: string;
  runs?: number;
  seed?: number;
  workers?: number;
  out?: string;
  param?: string[];
  report: boolean;
  xlsx: boolean;
  quiet: boolean;
  force: boolean;
}

/** The outcomes in the table (compare.csv has them all); P(deterred) too where either side deterred. */
const HEADLINE = ['contained', 'great_power_war', 'world_war', 'participants'];

export const compareCommand: CommandModule<object, CompareArgs> = {
  ...COMMAND_FACES.compare,
  builder: (y: Argv) =>
    y
      .positional('a', { describe: 'first scenario or experiment file', type: 'string', demandOption: true })
      .positional('b', {
        describe: 'second scenario or experiment file (same number of cells)',
        type: 'string',
        demandOption: true,
      })
      .option('runs', runsOption)
      .option('seed', seedOption)
      .option('workers', workersOption)
      .option('out', {
        describe: "output folder: compare.csv, and a/ and b/ with each side's results",
        type: 'string',
      })
      .option('param', paramOption("every cell of both sides (over the scenarios' own params)"))
      .option('report', reportOption)
      .option('xlsx', xlsxOption)
      .option('quiet', quietOption)
      .option('force', forceOption)
      .example(
        examples([
          '$0 compare configs/tight.yaml configs/loose.yaml --runs 50000',
          'tight blocs against a loose web',
        ]),
      ) as unknown as Argv<CompareArgs>,
  handler: async (args: ArgumentsCamelCase<CompareArgs>) => {
    const startedAt = new Date();
    const specA = loadExperiment(args.a);
    const specB = loadExperiment(args.b);
    const { runs, seed } = runSettings(args, specA, specB);
    const workers = args.workers ?? defaultWorkers();
    const planA = planOf(
      specA,
      { runs, seed, params: paramOverrides(args.param, specA) },
      { runsCsv: false, workers },
    );
    const planB = planOf(
      specB,
      { runs, seed, params: paramOverrides(args.param, specB) },
      { runsCsv: false, workers },
    );
    if (planA.cells.length !== planB.cells.length) {
      throw new InputError(
        `${args.b}: has ${planB.cells.length} cells but ${args.a} has ${planA.cells.length}; expected the same number, compared cell by cell`,
      );
    }
    const out =
      args.out ??
      defaultOutDir(
        `compare-${basename(args.a, extname(args.a))}-vs-${basename(args.b, extname(args.b))}`,
        startedAt,
      );
    const common = {
      workers,
      quiet: args.quiet,
      runsCsv: false,
      startedAt,
      mode: args.force ? ('force' as const) : ('new' as const),
    };
    const a = await executePlan(planA, specA, { ...common, outDir: join(out, 'a') });
    if (!a.complete) {
      process.exitCode = 130;
      return;
    }
    const b = await executePlan(planB, specB, { ...common, outDir: join(out, 'b') });
    if (!b.complete) {
      process.exitCode = 130;
      return;
    }
    const rows = comparisonRows(planInfo(planA), a.aggregates, planInfo(planB), b.aggregates);
    writeCsv(join(out, 'compare.csv'), COMPARE_COLUMNS, rows);
    // Views of compare.csv and both sides (report.html, results.xlsx), when asked for.
    await writeViews(out, args);
    if (args.quiet) return;
    const deterred = rows.some((r) => r.outcome === 'deterred' && (Number(r.a) > 0 || Number(r.b) > 0));
    const shown = rows.filter(
      (r) => HEADLINE.includes(String(r.outcome)) || (deterred && r.outcome === 'deterred'),
    );
    const fmt = (r: (typeof rows)[number], v: unknown) =>
      r.statistic === 'share' ? percent(Number(v)) : Number(v).toFixed(2);
    process.stdout.write(
      `A: ${specA.name}\nB: ${specB.name}\n${runs} runs per cell, seed ${seed} for both (common random numbers)\n\n` +
        layoutTable(
          [
            { label: 'cell', align: 'right' },
            { label: 'outcome', align: 'left' },
            { label: 'A', align: 'right' },
            { label: 'B', align: 'right' },
            { label: 'B − A', align: 'right' },
            { label: '95% CI', align: 'right', priority: 2 },
            { label: 'differs', align: 'left', priority: 1 },
          ],
          shown.map((r) => [
            String(r.cell),
            outcomeLabel(String(r.outcome)),
            fmt(r, r.a),
            fmt(r, r.b),
            fmt(r, r.difference),
            r.difference_lo === undefined ? '' : `[${fmt(r, r.difference_lo)}, ${fmt(r, r.difference_hi)}]`,
            r.excludes_zero ? 'yes' : 'no',
          ]),
        ) +
        `\n\nAll outcomes in ${relative(process.cwd(), join(out, 'compare.csv'))}; each side's results in a/ and b/\n`,
    );
  },
};
