import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, fsCause, InputError } from '../errors.js';

/**
 * Reads a text file; a file that cannot be read is the user's error, naming it (and, for a
 * missing file, `expected` says what should be there).
 */
export function readTextFile(file: string, expected?: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    // A byte-order mark (Windows editors write one) is not part of the text.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputError(`${file}: file not found${expected ? `; expected ${expected}` : ''}`);
    }
    throw new InputError(`${file}: cannot read the file: ${fsCause(err)}`);
  }
}

/** Reads a YAML or JSON file into plain data; syntax errors name the file and the line. */
export function readStructuredFile(file: string): unknown {
  return parseStructuredText(readTextFile(file), file);
}

/** Parses YAML or JSON text (JSON is chosen by a .json extension; YAML otherwise). */
export function parseStructuredText(text: string, file: string): unknown {
  if (text.trim() === '')
    throw new InputError(`${file}: the file is empty; expected a scenario or experiment`);
  if (extname(file).toLowerCase() === '.json') {
    return parseJson(text, file);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : 'somewhere';
    throw new InputError(
      `${file}: YAML syntax error at ${where}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  let data: unknown;
  try {
    // The yaml library refuses aliases that expand exponentially ("billion laughs").
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new InputError(
      `${file}: ${err instanceof ReferenceError ? 'too many YAML aliases (*name) expanding into each other' : `cannot read the YAML: ${(err as Error).message.split('\n')[0]}`}; expected plain data`,
    );
  }
  if (data === null || data === undefined)
    throw new InputError(`${file}: the file holds no data; expected a mapping`);
  return data;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: JSON syntax error: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Reads a JSON file entangle wrote (partial.json, checkpoint.json); `what` says what it should be. */
export function readJsonFile(file: string, what: string): unknown {
  const text = readTextFile(file, what);
  if (text.trim() === '') throw new InputError(`${file}: the file is empty; expected ${what}`);
  return parseJson(text, file);
}

/**
 * Validates data against a zod schema. The first issue becomes one InputError line, with how
 * many more there are; `at` is where the data sits in the file (for a part of a file checked
 * on its own).
 */
export function parseWith<T extends z.ZodType>(
  schema: T,
  data: unknown,
  file: string,
  at: readonly PropertyKey[] = [],
): z.infer<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 1).map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(schema, issue.path);
      message =
        `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` +
        (allowed ? `; expected ${allowed.length > 1 ? 'one of ' : ''}${allowed.join(', ')}` : '');
    }
    return `${file}: ${formatPath([...at, ...issue.path])}: ${message}`;
  });
  const more = result.error.issues.length - lines.length;
  throw new InputError(lines[0]! + (more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''));
}

/** The keys a strict object schema allows at `path` (through optional, preprocess, arrays), for messages. */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  type Def = {
    type: string;
    innerType?: Node;
    out?: Node;
    shape?: Record<string, Node>;
    element?: Node;
    items?: Node[];
    valueType?: Node;
  };
  type Node = { _zod?: { def?: Def } } | undefined;
  const unwrap = (node: Node): Node => {
    let n = node;
    for (
      let def = n?._zod?.def;
      def &&
      (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'pipe');
      def = n?._zod?.def
    ) {
      n = def.type === 'pipe' ? def.out : def.innerType;
    }
    return n;
  };
  let node = unwrap(schema as unknown as Node);
  for (const part of path) {
    const def = node?._zod?.def;
    if (def?.type === 'object') node = def.shape?.[String(part)];
    else if (def?.type === 'array') node = def.element;
    else if (def?.type === 'tuple') node = def.items?.[Number(part)];
    else if (def?.type === 'record') node = def.valueType;
    else return undefined;
    node = unwrap(node);
  }
  const def = node?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}
