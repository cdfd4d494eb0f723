import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_FACES } from './commands.js';
import { examples, quietOption } from './options.js';
import { writeViews } from './views.js';

interface ReportArgs {
  dir: string;
  quiet: boolean;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  ...COMMAND_FACES.report,
  builder: (y: Argv) =>
    y
      .positional('dir', {
        describe: 'an output folder of entangle run, merge, compare or backtest',
        type: 'string',
        demandOption: true,
      })
      .option('quiet', quietOption)
      .example(
        examples(['$0 report results/tvl', 'charts of a finished run']),
      ) as unknown as Argv<ReportArgs>,
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    await writeViews(args.dir, { report: true, quiet: args.quiet });
  },
};
