import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_FACES } from './commands.js';
import { examples, quietOption } from './options.js';
import { writeViews } from './views.js';

interface XlsxArgs {
  dir: string;
  quiet: boolean;
}

export const xlsxCommand: CommandModule<object, XlsxArgs> = {
  ...COMMAND_FACES.xlsx,
  builder: (y: Argv) =>
    y
      .positional('dir', {
        describe: 'an output folder of entangle run, merge, compare or backtest',
        type: 'string',
        demandOption: true,
      })
      .option('quiet', quietOption)
      .example(
        examples(['$0 xlsx results/tvl', 'a workbook of a finished run']),
      ) as unknown as Argv<XlsxArgs>,
  handler: async (args: ArgumentsCamelCase<XlsxArgs>) => {
    await writeViews(args.dir, { xlsx: true, quiet: args.quiet });
  },
};
