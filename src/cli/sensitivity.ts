import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { DEFAULT_RESAMPLES } from '../experiment/bootstrap.js';
import type { DesignRecord } from '../experiment/design.js';
import type { PlanInfo } from '../experiment/plan.js';
import { analyseDesign, S2_COLUMNS, type SensitivityResult } from '../experiment/sensitivity.js';
import { writeCsv } from '../output/csv.js';
import type { Manifest } from '../output/manifest.js';
import { parseCsvTable } from '../scenario/csv-table.js';
import { COMMAND_FACES } from './commands.js';
import { examples, quietOption, wholeNumber } from './options.js';
import { textTable } from './table.js';

interface SensitivityArgs {
  dir: string;
  resamples?: number;
  quiet: boolean;
}

export const SENSITIVITY_FILE = 'sensitivity.csv';
export const S2_FILE = 'sensitivity-s2.csv';

export const sensitivityCommand: CommandModule<object, SensitivityArgs> = {
  ...COMMAND_FACES.sensitivity,
  builder: (y: Argv) =>
    y
      .positional('dir', {
        describe:
          'output folder of a run (or merge) of an experiment with design: { sobol: N } or { morris: … }',
        type: 'string',
        demandOption: true,
      })
      .option('resamples', {
        describe: `bootstrap resamples for the 95% intervals [default: ${DEFAULT_RESAMPLES}]`,
        coerce: wholeNumber('resamples', 10, 1_000_000),
      })
      .option('quiet', quietOption)
      .example(
        examples([
          '$0 sensitivity results/sensitivity-1914-20250101-120000',
          'first-order and total indices of each parameter',
        ]),
      ) as unknown as Argv<SensitivityArgs>,
  handler: (args: ArgumentsCamelCase<SensitivityArgs>) => {
    const manifest = readManifest(args.dir);
    const { result, files } = writeSensitivity(args.dir, manifest.design!, {
      seed: manifest.seed,
      resamples: args.resamples ?? DEFAULT_RESAMPLES,
    });
    if (!args.quiet)
      process.stdout.write(`${sensitivityReport(manifest.design!, result, args.dir, files)}\n`);
  },
};

/**
 * After a complete, unsharded run (or merge) of a Sobol or Morris design: writes the analysis
 * beside summary.csv, prints its table unless quiet, and returns the files written (for the
 * manifest). Nothing for other plans. A failed analysis never costs the run its results: it is
 * reported, and `entangle sensitivity DIR` can redo it.
 */
export function sensitivityAfterRun(dir: string, plan: PlanInfo, quiet: boolean): string[] {
  if (!plan.design) return [];
  try {
    const { result, files } = writeSensitivity(dir, plan.design, {
      seed: plan.seed,
      resamples: DEFAULT_RESAMPLES,
    });
    if (!quiet) process.stdout.write(`${sensitivityReport(plan.design, result, dir, files)}\n\n`);
    return files;
  } catch (err) {
    process.stderr.write(
      `entangle: sensitivity analysis failed (${(err as Error).message}); the run's results are complete, retry with entangle sensitivity ${dir}\n`,
    );
    return [];
  }
}

/** Reads the folder's manifest.json and checks that it is a complete, unsharded run of a design. */
function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (err) {
    throw new InputError(
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${path}: no manifest; expected the output folder of an entangle run`
        : `${path}: cannot read it (${(err as Error).message})`,
    );
  }
  if (!manifest.design)
    throw new InputError(
      `${path}: design: the run has no Sobol or Morris design; expected a run of an experiment with design: { sobol: N } or { morris: { trajectories: R, levels: L } }`,
    );
  if (manifest.shard)
    throw new InputError(
      `${path}: shard: the results of shard ${manifest.shard.index} of ${manifest.shard.count}; merge the shards first (entangle merge), then analyse the merged folder`,
    );
  if (!manifest.complete)
    throw new InputError(
      `${path}: complete: false; expected a finished run (rerun it, or merge every shard)`,
    );
  return manifest;
}

/** Reads summary.csv of `dir`, runs the analysis and writes sensitivity.csv (and -s2.csv) atomically. */
export function writeSensitivity(
  dir: string,
  design: DesignRecord,
  options: { seed: number; resamples: number },
): { result: SensitivityResult; files: string[] } {
  const file = join(dir, 'summary.csv');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read it (${(err as Error).message})`);
  }
  const table = parseCsvTable(text, file, ['cell', 'scenario']);
  const result = analyseDesign(design, { file, ...table }, options);
  writeCsv(join(dir, 'sensitivity.csv'), result.columns, result.rows);
  const files = [SENSITIVITY_FILE];
  if (result.s2Rows) {
    writeCsv(join(dir, S2_FILE), S2_COLUMNS, result.s2Rows);
    files.push(S2_FILE);
  } else {
    // An older analysis of second order must not be taken for this one's.
    rmSync(join(dir, S2_FILE), { force: true });
  }
  return { result, files };
}

const fixed = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : '');
const interval = (lo: unknown, hi: unknown) =>
  typeof lo === 'number' && typeof hi === 'number' ? `[${fixed(lo)}, ${fixed(hi)}]` : '';

/** The terminal's view of an analysis: one table per scenario and the noise share of each output. */
export function sensitivityReport(
  design: DesignRecord,
  result: SensitivityResult,
  dir: string,
  files: string[],
): string {
  const sobol = design.kind === 'sobol';
  const header = sobol
    ? ['output', 'parameter', 'S1', 'S1 95% CI', 'ST', 'ST 95% CI']
    : ['output', 'parameter', 'mu', 'mu*', 'mu* 95% CI', 'sigma'];
  const parts: string[] = [];
  for (const scenario of [...new Set(result.rows.map((r) => String(r.scenario)))]) {
    const rows = result.rows.filter((r) => r.scenario === scenario);
    parts.push(
      `${sobol ? 'Sobol indices' : 'Morris elementary effects'} in ${scenario} (${design.factors.length} factors):`,
      textTable(
        header,
        rows.map((r) =>
          sobol
            ? [
                String(r.output),
                String(r.parameter),
                fixed(r.S1),
                interval(r.S1_lo, r.S1_hi),
                fixed(r.ST),
                interval(r.ST_lo, r.ST_hi),
              ]
            : [
                String(r.output),
                String(r.parameter),
                fixed(r.mu),
                fixed(r.mu_star),
                interval(r.mu_star_lo, r.mu_star_hi),
                fixed(r.sigma),
              ],
        ),
      ),
      `Noise share (Monte Carlo variance within cells / variance across cells): ${result.noise
        .filter((n) => n.scenario === scenario)
        .map((n) => `${n.output} ${n.share === undefined ? 'constant' : `${(n.share * 100).toFixed(1)}%`}`)
        .join(', ')}`,
    );
  }
  if (result.noise.some((n) => n.share !== undefined && n.share > 0.1))
    parts.push(
      'A noise share above 10% inflates the indices of parameters that do nothing (the ST of an inert parameter is about the noise share): run more runs per cell.',
    );
  parts.push(`Written to ${relative(process.cwd(), dir) || '.'}/ (${files.join(', ')})`);
  return parts.join('\n');
}
