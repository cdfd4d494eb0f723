#!/usr/bin/env node
import type { CommandModule } from 'yargs';
import { exitCodeFor, reportError } from './cli/exit.js';

/**
 * The commands: each lives in its own module under cli/ (options, examples, handler); its
 * usage line and one-line description live here, so that `entangle --help` lists them all
 * without loading any. Start-up then loads yargs and the one module the command line names,
 * and that module what its command needs (the simulator, piscina, zod…).
 * A new command: one entry here, its module exporting a CommandModule without command/describe.
 */
const COMMANDS: Record<string, { command: string; describe: string; load: () => Promise<CommandModule> }> = {
  run: {
    command: 'run <file>',
    describe: 'Play a crisis out many times (a scenario or an experiment file) and write CSV results',
    load: async () => (await import('./cli/run.js')).runCommand as CommandModule,
  },
  validate: {
    command: 'validate <file>',
    describe: 'Check a scenario or experiment file and say what it contains, without running it',
    load: async () => (await import('./cli/validate.js')).validateCommand as CommandModule,
  },
  generate: {
    command: 'generate <generator>',
    describe: 'Generate a state system (tight or loose blocs) and write it as a scenario file',
    load: async () => (await import('./cli/generate.js')).generateCommand as CommandModule,
  },
  merge: {
    command: 'merge <dirs..>',
    describe: 'Combine the output folders of `run --shard` into the files one unsharded run would write',
    load: async () => (await import('./cli/merge.js')).mergeCommand as CommandModule,
  },
  compare: {
    command: 'compare <a> <b>',
    describe: 'Run two scenarios or experiments under the same seed and runs, and test their differences',
    load: async () => (await import('./cli/compare.js')).compareCommand as CommandModule,
  },
  slurm: {
    command: 'slurm <file>',
    describe: 'Write Slurm batch scripts that run an experiment as a job array of shards, then merge them',
    load: async () => (await import('./cli/slurm.js')).slurmCommand as CommandModule,
  },
  import: {
    command: 'import <source>',
    describe:
      'Make a scenario file from historical data (cow: Correlates of War states, capabilities, borders, alliances; ATOP treaty terms)',
    load: async () => (await import('./cli/import.js')).importCommand as CommandModule,
  },
  backtest: {
    command: 'backtest <wars>',
    describe:
      'Play historical wars out from their start date and score the predicted joiners against history',
    load: async () => (await import('./cli/backtest.js')).backtestCommand as CommandModule,
  },
  trace: {
    command: 'trace <file>',
    describe:
      'Replay one run (the same draws as in the experiment) and tell, step by step, why the war spread',
    load: async () => (await import('./cli/trace.js')).traceCommand as CommandModule,
  },
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
    ...table(Object.values(COMMANDS).map((c) => [`entangle ${c.command}`, c.describe])),
    '',
    'Options:',
    ...table(OPTIONS),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
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
  const chosen = named !== undefined && Object.hasOwn(COMMANDS, named) ? named : undefined;
  const [{ default: yargs }, loaded] = await Promise.all([
    import('yargs'),
    chosen ? COMMANDS[chosen]!.load() : undefined,
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
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const face = { command: entry.command, describe: entry.describe };
    // Commands not named are listed by their usage line and description only.
    cli = cli.command((name === chosen ? { ...loaded, ...face } : face) as never);
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
