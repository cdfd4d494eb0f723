import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { quietOption } from './options.js';
import { writeViews } from './views.js';

interface XlsxArgs {
  dir: string;
  quiet: boolean;
}

export const xlsxCommand: CommandModule<object, XlsxArgs> = {
  command: 'xlsx <dir>',
  describe: 'Write DIR/results.xlsx: every table of DIR as a sheet, numbers as numbers whatever the locale',
  builder: (y: Argv) =>
    y
      .positional('dir', {
        describe: 'an output folder of entangle run, merge, compare or backtest',
        type: 'string',
        demandOption: true,
      })
      .option('quiet', quietOption)
      .example('$0 xlsx results/tvl', 'a workbook of a finished run') as unknown as Argv<XlsxArgs>,
  handler: async (args: ArgumentsCamelCase<XlsxArgs>) => {
    await writeViews(args.dir, { xlsx: true, quiet: args.quiet });
  },
};
