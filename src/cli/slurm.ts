import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic.js';
import { VERSION } from '../version.js';
import { COMMAND_FACES } from './commands.js';
import {
  examples,
  lastText,
  runSettings,
  runsOption,
  seedOption,
  shellQuote,
  slug,
  wholeNumber,
} from './options.js';
import { loadExperiment, planOf } from './setup.js';

interface SlurmArgs {
  file: string;
  shards: number;
  cpusPerTask: number;
  partition?: string;
  time?: string;
  account?: string;
  mem?: string;
  runs?: number;
  seed?: number;
  runsCsv: boolean;
  out?: string;
  entangle?: string;
}

export const ARRAY_SCRIPT = 'array.sbatch';
export const MERGE_SCRIPT = 'merge.sbatch';
export const SUBMIT_SCRIPT = 'submit.sh';

export const slurmCommand: CommandModule<object, SlurmArgs> = {
  ...COMMAND_FACES.slurm,
  builder: (y: Argv) =>
    y
      .positional('file', {
        describe: 'scenario or experiment file (YAML or JSON)',
        type: 'string',
        demandOption: true,
      })
      .option('shards', {
        describe:
          'array tasks, each running one shard (clusters cap array sizes: see MaxArraySize in scontrol show config)',
        demandOption: true,
        coerce: wholeNumber('shards', 1),
      })
      .option('cpus-per-task', {
        describe: 'cores per array task (each task runs that many workers)',
        demandOption: true,
        coerce: wholeNumber('cpus-per-task', 1, 1024),
      })
      .option('partition', {
        describe: 'Slurm partition (#SBATCH --partition)',
        coerce: sbatchValue('partition', /^[^\s'"\\]+$/, 'a partition name'),
      })
      .option('time', {
        describe: 'time limit per task (#SBATCH --time), e.g. 30, 2:00:00 or 1-12:00:00',
        coerce: sbatchValue(
          'time',
          /^(?:(?:\d+-)?\d+(?::\d+){0,2}|unlimited|infinite)$/i,
          'a Slurm time such as 30, 2:00:00 or 1-12:00:00',
        ),
      })
      .option('account', {
        describe: 'account to charge (#SBATCH --account)',
        coerce: sbatchValue('account', /^[^\s'"\\]+$/, 'an account name'),
      })
      .option('mem', {
        describe: 'memory per task (#SBATCH --mem), e.g. 4G',
        coerce: sbatchValue('mem', /^\d+[KMGT]?$/i, 'a size such as 4G or 4000M'),
      })
      .option('runs', runsOption)
      .option('seed', seedOption)
      .option('runs-csv', {
        describe: 'also write runs.csv, one row per run',
        type: 'boolean',
        default: false,
      })
      .option('out', {
        describe: 'folder for the scripts, logs, shards and merged results [default: results/<name>-slurm/]',
        type: 'string',
      })
      .option('entangle', {
        describe:
          'command that runs entangle in the jobs [default: this node and this installation, by absolute path]',
        coerce: sbatchValue(
          'entangle',
          /^[^\n\r]*\S[^\n\r]*$/,
          'a one-line command such as "entangle" or "npx entangle"',
        ),
      })
      .example(
        examples(
          [
            '$0 slurm configs/europe-1914.yaml --shards 64 --cpus-per-task 8 \\\n  --time 1:00:00 --out results/july',
            'scripts for 64 array tasks of 8 cores each in results/july/',
          ],
          ['bash results/july/submit.sh', 'then submit them (the merge runs when every shard has succeeded)'],
        ),
      ) as unknown as Argv<SlurmArgs>,
  handler: (args: ArgumentsCamelCase<SlurmArgs>) => {
    writeSlurmScripts(args);
  },
};

/** A string option that ends up in an #SBATCH line or a script: one checked token, no surprises. */
function sbatchValue(option: string, pattern: RegExp, expected: string) {
  return (raw: unknown): string | undefined => {
    if (raw === undefined) return undefined;
    const text = lastText(raw).trim();
    if (!pattern.test(text)) throw new InputError(`--${option}: expected ${expected}, got "${text}"`);
    return text;
  };
}

/** Quotes a value on an #SBATCH line (sbatch strips double quotes there). */
function sbatchQuote(value: string): string {
  if (value.includes('"') || /[\n\r]/.test(value))
    throw new InputError(
      `cannot put ${JSON.stringify(value)} on an #SBATCH line: it holds a double quote or a line break`,
    );
  return /\s/.test(value) ? `"${value}"` : value;
}

/** This installation's CLI: the running node and dist/cli.js, both by absolute path. */
function defaultEntangle(): string {
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  return `${shellQuote(process.execPath)} ${shellQuote(cli)}`;
}

function writeSlurmScripts(args: SlurmArgs): void {
  // Check the experiment before writing anything: a mistake should surface here, not in 64 logs.
  const spec = loadExperiment(args.file);
  const { runs, seed } = runSettings(args, spec);
  // Each shard runs on its own cores: the plan's size is checked per shard, with its workers.
  const plan = planOf(
    spec,
    { runs, seed },
    { shard: { index: 0, count: args.shards }, runsCsv: args.runsCsv, workers: args.cpusPerTask },
  );

  const file = resolve(args.file);
  const dir = resolve(args.out ?? join('results', `${slug(spec.name, 'experiment')}-slurm`));
  const shardsDir = join(dir, 'shards');
  const logsDir = join(dir, 'logs');
  const mergedDir = join(dir, 'merged');
  const entangle = args.entangle ?? defaultEntangle();
  const name = `entangle-${slug(spec.name, 'experiment')}`;

  const header = (jobName: string, output: string, extra: string[]) =>
    [
      '#!/bin/bash',
      `#SBATCH --job-name=${sbatchQuote(jobName)}`,
      ...extra,
      `#SBATCH --output=${sbatchQuote(output)}`,
      // the working folder of `entangle slurm`, so files the experiment names resolve as they did here
      `#SBATCH --chdir=${sbatchQuote(process.cwd())}`,
      ...(args.partition ? [`#SBATCH --partition=${args.partition}`] : []),
      ...(args.account ? [`#SBATCH --account=${args.account}`] : []),
      ...(args.time ? [`#SBATCH --time=${args.time}`] : []),
      ...(args.mem ? [`#SBATCH --mem=${args.mem}`] : []),
    ].join('\n');

  const runOptions = [
    ...(args.runs !== undefined ? ['--runs', String(args.runs)] : []),
    ...(args.seed !== undefined ? ['--seed', String(args.seed)] : []),
    ...(args.runsCsv ? ['--runs-csv'] : []),
  ];
  const arrayScript = `${header(name, join(logsDir, 'shard-%a.out'), [
    `#SBATCH --array=0-${args.shards - 1}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${args.cpusPerTask}`,
  ])}
#
# Written by \`entangle slurm\` (entangle ${VERSION}): array task i runs shard i of ${args.shards} of
# ${file}
# into ${shardsDir}/i/ with as many workers as --cpus-per-task gives it. To rerun some
# shards only: sbatch --array=5,17 ${shellQuote(join(dir, ARRAY_SCRIPT))}
# (the shard is named as i/${args.shards}, not --shard auto, which would count only the tasks resubmitted).
# A shard stopped before (time limit, preemption, a failure) continues from its checkpoint;
# a shard that finished before is run again from the start.
: "\${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is a job array}"
set -euo pipefail
out=${shellQuote(shardsDir)}/"$SLURM_ARRAY_TASK_ID"
if [ -f "$out/checkpoint.json" ]; then
  ${entangle} run ${shellQuote(file)} --resume "$out" --quiet
else
  ${entangle} run ${shellQuote(file)} --shard "$SLURM_ARRAY_TASK_ID/${args.shards}" --out "$out" --force --quiet${runOptions.map((o) => ` ${o}`).join('')}
fi
`;

  const mergeScript = `${header(`${name}-merge`, join(logsDir, 'merge.out'), ['#SBATCH --ntasks=1', '#SBATCH --cpus-per-task=1'])}
#
# Written by \`entangle slurm\` (entangle ${VERSION}): combines the shards in ${shardsDir}/
# into the files one unsharded run writes, in ${mergedDir}/.
set -euo pipefail
${entangle} merge ${shellQuote(shardsDir)}/* --out ${shellQuote(mergedDir)}
`;

  const submitScript = `#!/usr/bin/env bash
# Written by \`entangle slurm\` (entangle ${VERSION}): submits the array of ${args.shards} shards, then the
# merge, which starts once every shard has succeeded. Options given to this script are passed to
# both sbatch calls (e.g. --qos=...).
set -euo pipefail
mkdir -p ${shellQuote(logsDir)} ${shellQuote(shardsDir)}
array=$(sbatch --parsable "$@" ${shellQuote(join(dir, ARRAY_SCRIPT))})
array=\${array%%;*}
merge=$(sbatch --parsable "$@" --dependency=afterok:"$array" ${shellQuote(join(dir, MERGE_SCRIPT))})
merge=\${merge%%;*}
echo "array job $array: ${args.shards} shards into ${shardsDir}/ (logs in ${logsDir}/)"
echo "merge job $merge: after every shard succeeds, into ${mergedDir}/"
`;

  mkdirSync(logsDir, { recursive: true });
  mkdirSync(shardsDir, { recursive: true });
  writeFileAtomic(join(dir, ARRAY_SCRIPT), arrayScript);
  writeFileAtomic(join(dir, MERGE_SCRIPT), mergeScript);
  writeFileAtomic(join(dir, SUBMIT_SCRIPT), submitScript);
  chmodSync(join(dir, SUBMIT_SCRIPT), 0o755);

  const show = (p: string) => {
    const rel = relative(process.cwd(), p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };
  const lines = [
    `entangle: ${spec.name}: ${plan.cells.length} cell${plan.cells.length > 1 ? 's' : ''} × ${plan.runs} runs as ${args.shards} array tasks of ${args.cpusPerTask} core${args.cpusPerTask > 1 ? 's' : ''}`,
    `Wrote ${show(join(dir, ARRAY_SCRIPT))}, ${show(join(dir, MERGE_SCRIPT))} and ${show(join(dir, SUBMIT_SCRIPT))}.`,
  ];
  const batches = Math.min(...plan.cells.map((c) => c.batches));
  if (args.shards > batches) {
    lines.push(
      `Note: a cell has only ${batches} batch${batches > 1 ? 'es' : ''} of ${plan.batchSize} runs, so some of the ${args.shards} shards have little or nothing to do; fewer shards would do.`,
    );
  }
  const earlier = existsSync(shardsDir) ? readdirSync(shardsDir).length : 0;
  if (earlier > 0) {
    lines.push(
      `Note: ${show(shardsDir)}/ already holds ${earlier} folder${earlier > 1 ? 's' : ''} from an earlier submission; the merge reads every folder there, so remove them if this is a different run.`,
    );
  }
  lines.push(
    '',
    'Submit with:',
    `  bash ${shellQuote(show(join(dir, SUBMIT_SCRIPT)))}`,
    'which runs',
    `  sbatch --parsable ${shellQuote(join(dir, ARRAY_SCRIPT))}`,
    `  sbatch --parsable --dependency=afterok:<array job id> ${shellQuote(join(dir, MERGE_SCRIPT))}`,
    `Shards go to ${show(shardsDir)}/, logs to ${show(logsDir)}/, and the merged results to ${show(mergedDir)}/.`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
