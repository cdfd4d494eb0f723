import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { quietOption } from './options.js';
import { writeViews } from './views.js';

interface ReportArgs {
  dir: string;
  quiet: boolean;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <dir>',
  describe:
    'Write DIR/report.html (charts and what was run) and each chart as an SVG file, from the files in DIR',
  builder: (y: Argv) =>
    y
      .positional('dir', {
        describe: 'an output folder of entangle run, merge, compare or backtest',
        type: 'string',
        demandOption: true,
      })
      .option('quiet', quietOption)
      .example('$0 report results/tvl', 'charts of a finished run') as unknown as Argv<ReportArgs>,
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    await writeViews(args.dir, { report: true, quiet: args.quiet });
  },
};
