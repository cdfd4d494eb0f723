import { InputError } from '../errors.js';

/** The one place that maps errors to exit codes: 2 for the user's mistakes, 1 for failures. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof InputError) return 2;
  if (err instanceof Error && err.name === 'UsageError') return 2;
  if (err instanceof Error && err.name === 'YError') return 2;
  return 1;
}

/** Prints a user's mistake as its plain message; anything else (a bug or a failed run) in full. */
export function reportError(err: unknown): void {
  if (exitCodeFor(err) === 2) {
    process.stderr.write(`entangle: ${(err as Error).message}\n`);
  } else if (err instanceof Error && err.name === 'RunFailure') {
    process.stderr.write(`entangle: ${err.message}\n`);
  } else {
    process.stderr.write(
      `entangle: unexpected error (a bug, please report it):\n${(err as Error)?.stack ?? String(err)}\n`,
    );
  }
}
