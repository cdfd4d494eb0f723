import { InputError } from '../errors.js';

/** The one place that maps errors to exit codes: 2 for the user's mistakes, 1 for failures. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof InputError) return 2;
  if (err instanceof Error && err.name === 'UsageError') return 2;
  if (err instanceof Error && err.name === 'YError') return 2;
  return 1;
}

/** Failures that are not bugs (a failed batch, a failed write): their message alone, one line. */
const PLAIN_FAILURES = new Set(['RunFailure', 'OutputError']);

/** Prints a user's mistake or a failure as its plain message; anything else (a bug) in full. */
export function reportError(err: unknown): void {
  if (exitCodeFor(err) === 2 || (err instanceof Error && PLAIN_FAILURES.has(err.name))) {
    process.stderr.write(`entangle: ${(err as Error).message}\n`);
  } else {
    process.stderr.write(
      `entangle: unexpected error (a bug, please report it):\n${(err as Error)?.stack ?? String(err)}\n`,
    );
  }
}

/**
 * Makes a closed stdout or stderr (`entangle run … | head -1`) end the command quietly: what
 * would be printed is dropped, the work goes on to complete its files on disk, and no stack
 * trace appears.
 */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
      stream.write = (() => true) as typeof stream.write;
    });
  }
}
