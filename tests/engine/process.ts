/**
 * Real entangle processes for the fault and resume tests: start the built CLI, watch its
 * output folder, signal or kill it, and compare the folders it leaves.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');

/** The result files a run publishes (runs.csv with --runs-csv). */
export const RESULT_CSVS = ['summary.csv', 'joiners.csv', 'sizes.csv', 'runs.csv'];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
}

const started: ChildProcess[] = [];

/** Runs `entangle ARGS…` to its end, synchronously (for tests that run it step after step). */
export function entangleSync(
  args: string[],
  timeoutMs = 120_000,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** As entangleSync, throwing with its stderr unless it exits 0. */
export function okSync(args: string[], timeoutMs = 120_000): { stdout: string; stderr: string } {
  const r = entangleSync(args, timeoutMs);
  if (r.status !== 0) throw new Error(`entangle ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r;
}

export type CsvRow = Record<string, string>;
/** A CSV file's rows as objects keyed by its header. */
export const readCsv = (file: string): CsvRow[] =>
  parse(readFileSync(file, 'utf8'), { columns: true }) as CsvRow[];

/** Starts `entangle ARGS…` in the repository root. */
export function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `entangle ARGS…` to its end (killed, and reported as hung, after `limitMs`). */
export async function entangle(
  args: string[],
  env: Record<string, string> = {},
  limitMs = 120_000,
): Promise<Exit & { stdout: string; stderr: string; hung: boolean }> {
  const r = start(args, env);
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    r.child.kill('SIGKILL');
  }, limitMs);
  const exit = await r.exited;
  clearTimeout(timer);
  return { ...exit, stdout: r.stdout(), stderr: r.stderr(), hung };
}

/** Kills every process these helpers started that is still running (for afterAll). */
export function killAll(): void {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Waits until `ok()` holds, failing if the process exits first or `timeoutMs` passes. */
export async function waitFor(
  what: string,
  ok: () => boolean,
  r: Running,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (r.child.exitCode !== null || r.child.signalCode !== null)
      throw new Error(
        `the run exited (${r.child.exitCode ?? r.child.signalCode}) before ${what}: ${r.stderr()}`,
      );
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Rejects if the promise has not settled within `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no exit within ${ms} ms`)), ms),
    ),
  ]);
}

/** Files of a folder (none if it does not exist). */
export const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

/** Temporary files (NAME.tmp-PID) left in a folder. */
export const tempFiles = (dir: string): string[] => filesIn(dir).filter((f) => /\.tmp-\d+$/.test(f));

/** A folder's manifest.json. */
export function manifest(dir: string): Record<string, unknown> & { run: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}

/** The manifest without what legitimately differs between runs (`run`: when, where, how). */
export function manifestWithoutRun(dir: string): Record<string, unknown> {
  const { run: _run, ...rest } = manifest(dir);
  return rest;
}

/** The bytes of a folder's result CSVs that exist. */
export function resultBytes(dir: string): Record<string, string> {
  return Object.fromEntries(
    RESULT_CSVS.filter((f) => existsSync(join(dir, f))).map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

/** The first line of a process's stderr, and whether it held anything else or a stack trace. */
export function oneLine(stderr: string): { line: string; lines: number; stack: boolean } {
  const lines = stderr.trimEnd().split('\n');
  return { line: lines[0] ?? '', lines: lines.length, stack: /^\s+at /m.test(stderr) };
}
