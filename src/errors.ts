/**
 * A mistake the user can fix (bad file, unknown id, impossible option). The CLI prints its
 * message alone, without a stack trace, and exits with code 2. The message names the file,
 * the place in it and what was expected, e.g. `tight.yaml: alliances[2].members[1]: unknown state id "XYZ"`.
 */
export class InputError extends Error {
  override name = 'InputError';
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
