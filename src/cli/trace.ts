import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { buildPlan } from '../experiment/plan.js';
import { traceRun } from '../experiment/trace.js';
import { loadInput } from '../scenario/experiment.js';
import { VERSION } from '../version.js';
import { COMMAND_FACES } from './commands.js';
import { examples, runSettings, seedOption, wholeNumber } from './options.js';
import { traceStory } from './trace-story.js';

interface TraceArgs {
  file: string;
  run: number;
  cell?: number;
  seed?: number;
  json: boolean;
}

export const traceCommand: CommandModule<object, TraceArgs> = {
  ...COMMAND_FACES.trace,
  builder: (y: Argv) =>
    y
      .positional('file', { describe: 'scenario or experiment file', type: 'string', demandOption: true })
      .option('run', {
        describe: 'the run to replay (row `run` of runs.csv)',
        coerce: wholeNumber('run', 0),
        demandOption: true,
      })
      .option('cell', { describe: 'the cell (default 0)', coerce: wholeNumber('cell', 0) })
      .option('seed', seedOption)
      .option('json', {
        describe: 'print the events and the outcome as JSON',
        type: 'boolean',
        default: false,
      })
      .example(
        examples(['$0 trace configs/europe-1914.yaml --run 7', 'the story of run 7 of the July crisis']),
      ) as unknown as Argv<TraceArgs>,
  handler: (args: ArgumentsCamelCase<TraceArgs>) => {
    const spec = loadInput(args.file);
    const { runs, seed } = runSettings({ seed: args.seed }, spec);
    const plan = buildPlan(spec, { runs, seed, version: VERSION });
    const cell = args.cell ?? 0;
    if (cell >= plan.cells.length)
      throw new InputError(
        `--cell: expected a cell from 0 to ${plan.cells.length - 1} of ${args.file}, got ${cell}`,
      );
    const t = traceRun(plan, cell, args.run);
    if (!args.json) {
      process.stdout.write(`${traceStory(t)}\n`);
      return;
    }
    const ids = t.system.ids;
    const named = t.events.map((e) => {
      const out: Record<string, unknown> = { ...e };
      for (const k of ['state', 'obligor', 'partner'] as const)
        if (k in e) out[k] = ids[(e as unknown as Record<string, number>)[k]!];
      if (e.event === 'entry' && e.cause >= 0)
        out.cause = e.how === 2 ? allianceName(t, e.cause) : ids[e.cause];
      if (e.event === 'commitment') out.alliance = allianceName(t, e.commitment);
      return out;
    });
    process.stdout.write(
      `${JSON.stringify({ cell: t.cell, scenario: t.scenario.name, run: t.run, seed: t.seed, events: named, outcome: t.outcome }, null, 1)}\n`,
    );
  },
};

function allianceName(t: ReturnType<typeof traceRun>, c: number): string {
  return t.scenario.alliances[t.system.commitmentAlliance[c]!]?.name ?? '';
}
