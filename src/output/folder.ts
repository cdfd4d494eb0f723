/**
 * The output folder of a run, before anything is computed: created, probed, locked against a
 * second entangle writing into it, cleaned of what a killed process left, and checked for
 * older results (refused, replaced with --force, or continued with --resume).
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fsCause, InputError, writeFailure } from '../errors.js';
import { TEMP_NAME } from './atomic.js';

export const MANIFEST_FILE = 'manifest.json';
export const CHECKPOINT_FILE = 'checkpoint.json';
/** The runs.csv rows of a run not yet published (kept with the checkpoint). */
export const RUNS_WORK_FILE = 'checkpoint-runs.csv';
const LOCK_FILE = '.entangle.lock';

/** Files entangle's commands write into an output folder (besides those a manifest lists). */
export const RESULT_FILES: readonly string[] = [
  'summary.csv',
  'joiners.csv',
  'sizes.csv',
  'runs.csv',
  'partial.json',
  'params.csv',
  'compare.csv',
  'backtest.csv',
  'backtest-summary.csv',
  'sensitivity.csv',
  'sensitivity-s2.csv',
  'report.html',
  'results.xlsx',
  MANIFEST_FILE,
  CHECKPOINT_FILE,
  RUNS_WORK_FILE,
];

/** `new`: refuse a folder holding results; `force`: remove them first; `resume`: continue the run there. */
export type FolderMode = 'new' | 'force' | 'resume';

/** An output folder this process holds: `release` gives it up (also done at exit). */
export interface OutputFolder {
  dir: string;
  release(): void;
}

/** The files a folder's manifest lists, or none when it has no readable manifest. */
export function manifestFiles(dir: string): string[] {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { files?: unknown };
    return Array.isArray(m.files)
      ? m.files.filter((f): f is string => typeof f === 'string' && !f.includes('/'))
      : [];
  } catch {
    return [];
  }
}

/** What a folder holds of entangle's: its manifest's files and every known result file present. */
export function entangleFiles(dir: string): string[] {
  const names = existsSync(dir) ? readdirSync(dir) : [];
  const present = new Set(names);
  // The report's charts, chart-NAME.svg, are named after what the folder holds.
  const charts = names.filter((f) => /^chart-.+\.svg$/.test(f));
  return [...new Set([...manifestFiles(dir), ...RESULT_FILES, ...charts])].filter((f) => present.has(f));
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock (writing it is the probe that the folder can be written). */
function lock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0)
        throw new InputError(
          `${dir}: cannot write into the output folder: ${fsCause(err)}; expected a folder entangle can write`,
        );
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid))
        throw new InputError(
          `${dir}: another entangle (process ${pid}) is writing into this folder; wait for it to finish, or choose another --out`,
        );
      rmSync(path, { force: true }); // left by a process that was killed
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } catch (err) {
      closeSync(fd);
      rmSync(path, { force: true });
      throw new InputError(
        `${dir}: cannot write into the output folder: ${fsCause(err)}; expected a folder entangle can write`,
      );
    }
    closeSync(fd);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      process.off('exit', release);
      rmSync(path, { force: true });
    };
    process.on('exit', release);
    return release;
  }
}

/**
 * Creates a folder and its missing parents one level at a time: a recursive mkdir reports a
 * read-only file system as ENOENT, this reports the real cause.
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
}

/**
 * Opens `dir` as the output folder of a command. `command` names the command in the hint of a
 * refusal; `resumable` says whether it offers --resume.
 */
export function openOutputFolder(
  dir: string,
  mode: FolderMode,
  hint: { resumable: boolean } = { resumable: false },
): OutputFolder {
  try {
    makeFolder(dir);
  } catch (err) {
    throw new InputError(
      `${dir}: cannot create the output folder: ${fsCause(err)}; expected a folder entangle can write`,
    );
  }
  const release = lock(dir);
  try {
    // Temporary files of a killed process (nobody else writes here while we hold the lock).
    for (const name of readdirSync(dir)) if (TEMP_NAME.test(name)) rmSync(join(dir, name), { force: true });
    const found = entangleFiles(dir);
    if (mode === 'new' && found.length > 0) {
      const interrupted = found.includes(CHECKPOINT_FILE) || found.includes(RUNS_WORK_FILE);
      throw new InputError(
        interrupted
          ? `${dir}: holds an interrupted run (${CHECKPOINT_FILE}); --resume ${dir} continues it, --force replaces it`
          : `${dir}: holds the results of an earlier run (${found.slice(0, 3).join(', ')}${found.length > 3 ? ', …' : ''}); ` +
              `${hint.resumable ? `--resume ${dir} continues it if it was interrupted, ` : ''}--force replaces it, or choose another --out`,
      );
    }
    if (mode === 'force') removeResults(dir);
  } catch (err) {
    release();
    throw err;
  }
  return { dir, release };
}

/** Removes a folder's results whole, the manifest first (so no moment shows a manifest without its files). */
export function removeResults(dir: string, keep: readonly string[] = []): void {
  const files = [MANIFEST_FILE, ...entangleFiles(dir).filter((f) => !keep.includes(f))];
  for (const f of files) {
    try {
      rmSync(join(dir, f), { force: true });
    } catch (err) {
      throw writeFailure(join(dir, f), err);
    }
  }
}
