import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { blocsSpecSchema } from '../scenario/blocs-spec.js';
import {
  type BlocsSpec,
  DEFAULT_PARETO_SHAPE,
  DEFAULT_SYSTEM_SEED,
  defaultGreatPowers,
  systemFor,
} from '../scenario/generators.js';
import { scenarioToYaml } from '../scenario/write.js';
import { VERSION } from '../version.js';
import { COMMAND_FACES } from './commands.js';
import { examples, realNumber, wholeNumber } from './options.js';

interface GenerateArgs {
  generator: string;
  states: number;
  blocs?: number;
  greatPowers?: number;
  tightness: number;
  seed?: number;
  capability?: 'pareto' | 'uniform' | 'equal';
  shape?: number;
  reliability: boolean;
  name?: string;
  out?: string;
}

/** The command-line option behind each field of a BlocsSpec, for error messages. */
const OPTION_OF: Record<string, string> = {
  states: '--states',
  blocs: '--blocs',
  greatPowers: '--great-powers',
  tightness: '--tightness',
  systemSeed: '--seed',
  capability: '--capability',
  shape: '--shape',
  name: '--name',
};

/** `entangle generate blocs …`: writes a generated system as an ordinary scenario file. */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  ...COMMAND_FACES.generate,
  builder: (y: Argv) =>
    y
      .positional('generator', { describe: 'the generator', choices: ['blocs'], demandOption: true })
      .option('states', {
        describe: 'number of states',
        coerce: wholeNumber('states', 4),
        demandOption: true,
      })
      .option('blocs', { describe: 'number of blocs [default: 2]', coerce: wholeNumber('blocs', 2) })
      .option('great-powers', {
        describe: 'number of great powers [default: states / 5, rounded]',
        coerce: wholeNumber('great-powers', 0),
      })
      .option('tightness', {
        describe:
          'τ from 0 (a loose web of conditional, cross-cutting ties) to 1 (two rigid blocs of automatic defense pacts)',
        coerce: realNumber('tightness', 0, 1),
        demandOption: true,
      })
      .option('seed', {
        describe: `system seed: the same seed gives the same system [default: ${DEFAULT_SYSTEM_SEED}]`,
        coerce: wholeNumber('seed', 0),
      })
      .option('capability', {
        describe: 'capability distribution [default: pareto]',
        choices: ['pareto', 'uniform', 'equal'],
      })
      .option('shape', {
        describe: `shape of the pareto distribution [default: ${DEFAULT_PARETO_SHAPE}]`,
        coerce: realNumber('shape', Number.MIN_VALUE, 1e6),
      })
      .option('reliability', {
        describe:
          'give pacts explicit reliabilities from τ (--no-reliability leaves them to the reliability.* parameters)',
        type: 'boolean',
        default: true,
      })
      .option('name', { describe: 'scenario name [default: the generator and its numbers]', type: 'string' })
      .option('out', { describe: 'file to write [default: standard output]', type: 'string' })
      .example(
        examples(
          [
            '$0 generate blocs --states 30 --great-powers 6 --tightness 0.9 \\\n  --seed 7 --out tight.yaml',
            'two tight blocs of 30 states',
          ],
          ['$0 generate blocs --states 30 --tightness 0.1', 'a loose system, printed'],
        ),
      ) as unknown as Argv<GenerateArgs>,
  handler: (args: ArgumentsCamelCase<GenerateArgs>) => {
    const spec = specOf(args);
    const scenario = systemFor(spec, 0, 0, 0);
    const text = scenarioToYaml(scenario, headerOf(spec));
    if (args.out === undefined) {
      process.stdout.write(text);
    } else {
      writeFileAtomic(args.out, text);
      const g = scenario.states.filter((s) => s.greatPower).length;
      process.stdout.write(
        `${args.out}: ${scenario.states.length} states (${g} great powers), ${scenario.alliances.length} alliances, tightness ${spec.tightness}\n`,
      );
    }
  },
};

/** The spec of the options, checked as an experiment file's entry would be (cross-field limits included). */
function specOf(args: GenerateArgs): BlocsSpec {
  if (args.shape !== undefined && (args.capability ?? 'pareto') !== 'pareto') {
    throw new InputError('--shape: only the pareto capability distribution has a shape');
  }
  const spec: BlocsSpec = {
    generator: 'blocs',
    states: args.states,
    ...(args.blocs !== undefined ? { blocs: args.blocs } : {}),
    greatPowers: args.greatPowers ?? defaultGreatPowers(args.states),
    ...(args.capability === undefined && args.shape === undefined
      ? {}
      : {
          capability:
            args.shape !== undefined
              ? { distribution: 'pareto' as const, shape: args.shape }
              : args.capability!,
        }),
    tightness: args.tightness,
    systemSeed: args.seed ?? DEFAULT_SYSTEM_SEED,
    ...(args.reliability ? {} : { reliability: false }),
    ...(args.name !== undefined ? { name: args.name } : {}),
  };
  const result = blocsSpecSchema.safeParse(spec);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const field = issue.path.map(String).find((p) => p in OPTION_OF) ?? String(issue.path[0] ?? 'generate');
      return `${OPTION_OF[field] ?? field}: ${issue.message}`;
    });
    throw new InputError(lines.join('\n'));
  }
  return spec;
}

/** Says where the file came from and how to get the same system in an experiment. */
function headerOf(spec: BlocsSpec): string {
  const entry = Object.entries(spec)
    .map(
      ([k, v]) =>
        `${k}: ${
          typeof v === 'object'
            ? `{ ${Object.entries(v)
                .map(([a, b]) => `${a}: ${b}`)
                .join(', ')} }`
            : typeof v === 'string' && k === 'name'
              ? JSON.stringify(v)
              : v
        }`,
    )
    .join(', ');
  return [
    `Generated by entangle ${VERSION}: the blocs generator (docs/MODEL.md, "Systems: tight and loose"), tightness ${spec.tightness}.`,
    'The same system, in an experiment file:',
    `  scenarios: [{ ${entry} }]`,
  ].join('\n');
}
