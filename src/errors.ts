/**
 * A mistake the user can fix (bad file, unknown id, impossible option). The CLI prints its
 * message alone, without a stack trace, and exits with code 2. The message names the file,
 * the place in it and what was expected, e.g. `tight.yaml: alliances[2].members[1]: unknown state id "XYZ"`.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/**
 * A file or folder that could not be written or read back during a run (disk full, no
 * permission, folder removed): one line naming the path and the cause, exit code 1.
 */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Formats a path inside a file the way every message shows it: `alliances[2].members[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'a folder is in the way',
  EEXIST: 'something is in the way',
  ENOENT: 'the folder does not exist (removed during the run?)',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** The cause of a file-system error in words, with its code: "no space left on the device (ENOSPC)". */
export function fsCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === undefined) return String((err as Error)?.message ?? err);
  return `${CAUSES[code] ?? (err as Error).message.split('\n')[0]} (${code})`;
}

/** An OutputError for a failed write of `path`, e.g. `results/x/runs.csv: cannot write: permission denied (EACCES)`. */
export function writeFailure(path: string, err: unknown, hint?: string): OutputError {
  if (err instanceof OutputError || err instanceof InputError) return err as OutputError;
  return new OutputError(`${path}: cannot write: ${fsCause(err)}${hint ? `; ${hint}` : ''}`);
}
