/**
 * Each command's usage line and one-line description: `entangle --help` lists them from here
 * without loading any command's module, and each module (cli/run.ts, …) takes its own.
 */
export const COMMAND_FACES = {
  run: {
    command: 'run <file>',
    describe: 'Play a crisis out many times (a scenario or an experiment file) and write CSV results',
  },
  validate: {
    command: 'validate <file>',
    describe: 'Check a scenario or experiment file and say what it contains, without running it',
  },
  generate: {
    command: 'generate <generator>',
    describe: 'Generate a state system (tight or loose blocs) and write it as a scenario file',
  },
  merge: {
    command: 'merge <dirs..>',
    describe: 'Combine the output folders of `run --shard` into the files one unsharded run would write',
  },
  compare: {
    command: 'compare <a> <b>',
    describe: 'Run two scenarios or experiments under the same seed and runs, and test their differences',
  },
  slurm: {
    command: 'slurm <file>',
    describe: 'Write Slurm batch scripts that run an experiment as a job array of shards, then merge them',
  },
  import: {
    command: 'import <source>',
    describe:
      'Make a scenario file from historical data (cow: Correlates of War states, capabilities, borders, alliances; ATOP treaty terms)',
  },
  backtest: {
    command: 'backtest <wars>',
    describe:
      'Play historical wars out from their start date and score the predicted joiners against history',
  },
  trace: {
    command: 'trace <file>',
    describe:
      'Replay one run (the same draws as in the experiment) and tell, step by step, why the war spread',
  },
  report: {
    command: 'report <dir>',
    describe:
      'Write DIR/report.html (charts and what was run) and each chart as an SVG file, from the files in DIR',
  },
  xlsx: {
    command: 'xlsx <dir>',
    describe: 'Write DIR/results.xlsx: every table of DIR as a sheet, numbers as numbers whatever the locale',
  },
  sensitivity: {
    command: 'sensitivity <dir>',
    describe: 'Sobol or Morris sensitivity indices of a run of such a design: sensitivity.csv in its folder',
  },
} as const satisfies Record<string, { command: string; describe: string }>;
