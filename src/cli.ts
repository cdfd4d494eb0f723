#!/usr/bin/env node
// First: V8's settings must be in place before anything hot is compiled.
import './v8-flags.js';
import type { CommandModule } from 'yargs';
import { COMMAND_FACES } from './cli/commands.js';
import { exitCodeFor, guardOutput, reportError } from './cli/exit.js';

/**
 * The commands, each in its own module under cli/, loaded when the command line names it:
 * start-up loads yargs and that one module, and the module what its command needs when it runs
 * (the simulator, piscina, zod…). A new command: its face in cli/commands.ts, its loader here.
 */
const COMMANDS: Record<keyof typeof COMMAND_FACES, () => Promise<CommandModule>> = {
  run: async () => (await import('./cli/run.js')).runCommand as CommandModule,
  validate: async () => (await import('./cli/validate.js')).validateCommand as CommandModule,
  generate: async () => (await import('./cli/generate.js')).generateCommand as CommandModule,
  merge: async () => (await import('./cli/merge.js')).mergeCommand as CommandModule,
  compare: async () => (await import('./cli/compare.js')).compareCommand as CommandModule,
  slurm: async () => (await import('./cli/slurm.js')).slurmCommand as CommandModule,
  import: async () => (await import('./cli/import.js')).importCommand as CommandModule,
  backtest: async () => (await import('./cli/backtest.js')).backtestCommand as CommandModule,
  calibrate: async () => (await import('./cli/calibrate.js')).calibrateCommand as CommandModule,
  trace: async () => (await import('./cli/trace.js')).traceCommand as CommandModule,
  report: async () => (await import('./cli/report.js')).reportCommand as CommandModule,
  xlsx: async () => (await import('./cli/xlsx.js')).xlsxCommand as CommandModule,
  sensitivity: async () => (await import('./cli/sensitivity.js')).sensitivityCommand as CommandModule,
};

const USAGE = '$0 <command> [options]';
const ABOUT = 'Does a local war stay contained, or do alliance commitments drag the state system in?';
const OPTIONS: [string, string][] = [
  ['--help', "Show help (a command's options: entangle <command> --help)"],
  ['--version', 'Show the version number'],
];

/** Words of `text` on lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * `entangle --help`, written without loading yargs (which alone costs node's whole start-up
 * twice over): the commands and the two options, in yargs' two-column layout.
 */
function topLevelHelp(width: number): string {
  const table = (rows: [string, string][]) => {
    const left = Math.max(...rows.map(([l]) => l.length)) + 4;
    return rows.flatMap(([l, r]) =>
      wrap(r, Math.max(20, width - left)).map(
        (line, i) => `${i === 0 ? `  ${l}`.padEnd(left) : ' '.repeat(left)}${line}`,
      ),
    );
  };
  return [
    USAGE.replace('$0', 'entangle'),
    '',
    ...wrap(ABOUT, width),
    '',
    'Commands:',
    ...table(Object.values(COMMAND_FACES).map((c) => [`entangle ${c.command}`, c.describe])),
    '',
    'Options:',
    ...table(OPTIONS),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  guardOutput();
  const args = process.argv.slice(2);
  // Answered before yargs loads, at node's own speed: what a script or a newcomer asks first.
  if (args.length === 1 && args[0] === '--version') {
    const { VERSION } = await import('./version.js');
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (args.length === 1 && args[0] === '--help') {
    process.stdout.write(topLevelHelp(Math.min(110, process.stdout.columns || 80)));
    return;
  }
  // The command is the first word that is not an option: the top level has no option taking a value.
  const named = args.find((a) => !a.startsWith('-'));
  const chosen =
    named !== undefined && Object.hasOwn(COMMANDS, named) ? (named as keyof typeof COMMANDS) : undefined;
  const [{ default: yargs }, loaded] = await Promise.all([
    import('yargs'),
    chosen ? COMMANDS[chosen]() : undefined,
  ]);
  let cli = yargs(args)
    .scriptName('entangle')
    .usage(`${USAGE}\n\n${ABOUT}`)
    .strict()
    // Numbers reach the options' coerce functions as typed (yargs' own parsing would turn
    // "abc" into NaN and a repeated "--workers 2 --workers 1" into 3); the last one given wins.
    .parserConfiguration({ 'parse-numbers': false })
    .demandCommand(1, 'Name a command: entangle --help lists them.')
    .recommendCommands()
    // Piped help (into less, a file) is laid out for 80 columns, as on a plain terminal.
    .wrap(Math.min(110, process.stdout.columns || 80))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .help()
    // --version belongs to entangle, not to each command (answered above when it comes alone).
    .version(false)
    .option('version', { type: 'boolean', describe: OPTIONS[1]![1], global: false });
  for (const [name, face] of Object.entries(COMMAND_FACES)) {
    // Commands not named are listed by their usage line and description only.
    cli = cli.command((name === chosen ? loaded : face) as never);
  }
  await cli.parseAsync();
}

/** A command-line usage mistake reported by yargs (unknown option, missing argument). */
export class UsageError extends Error {
  override name = 'UsageError';
}

main().catch((err: unknown) => {
  reportError(err);
  process.exitCode = exitCodeFor(err);
});
