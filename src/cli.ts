#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { exitCodeFor, guardOutput, reportError } from './cli/exit.js';

/** Each command lives in its own module under cli/; this file only wires them together. */
async function main(): Promise<void> {
  guardOutput();
  const commands = await Promise.all([
    import('./cli/run.js').then((m) => m.runCommand),
    import('./cli/validate.js').then((m) => m.validateCommand),
    import('./cli/generate.js').then((m) => m.generateCommand),
    import('./cli/merge.js').then((m) => m.mergeCommand),
    import('./cli/compare.js').then((m) => m.compareCommand),
    import('./cli/slurm.js').then((m) => m.slurmCommand),
    import('./cli/import.js').then((m) => m.importCommand),
    import('./cli/backtest.js').then((m) => m.backtestCommand),
    import('./cli/report.js').then((m) => m.reportCommand),
    import('./cli/xlsx.js').then((m) => m.xlsxCommand),
    import('./cli/trace.js').then((m) => m.traceCommand),
    import('./cli/sensitivity.js').then((m) => m.sensitivityCommand),
  ]);
  let cli = yargs(hideBin(process.argv))
    .scriptName('entangle')
    .usage(
      '$0 <command> [options]\n\nDoes a local war stay contained, or do alliance commitments drag the state system in?',
    )
    .strict()
    // Numbers reach the options' coerce functions as typed (yargs' own parsing would turn
    // "abc" into NaN and a repeated "--workers 2 --workers 1" into 3); the last one given wins.
    .parserConfiguration({ 'parse-numbers': false })
    .demandCommand(1, 'Name a command: entangle --help lists them.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .help()
    .version();
  for (const command of commands) cli = cli.command(command as never);
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
