import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_FACES } from './commands.js';
import { examples, quietOption } from './options.js';
import { writeViews } from './views.js';

/** The arguments of a view command. */
export interface ViewArgs {
  dir: string;
  quiet: boolean;
}

/** `entangle report DIR` and `entangle xlsx DIR`: one view of a finished output folder. */
export function viewCommand(view: 'report' | 'xlsx', example: string): CommandModule<object, ViewArgs> {
  return {
    ...COMMAND_FACES[view],
    builder: (y: Argv) =>
      y
        .positional('dir', {
          describe: 'an output folder of entangle run, merge, compare or backtest',
          type: 'string',
          demandOption: true,
        })
        .option('quiet', quietOption)
        .example(examples([`$0 ${view} results/tvl`, example])) as unknown as Argv<ViewArgs>,
    handler: async (args: ArgumentsCamelCase<ViewArgs>) => {
      await writeViews(args.dir, { [view]: true, quiet: args.quiet });
    },
  };
}
