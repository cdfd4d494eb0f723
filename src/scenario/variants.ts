/**
 * What-if treaties: a scenario entry of an experiment may carry `variants`, each the scenario
 * with some treaties added, removed or changed, borders added or removed, or states'
 * capabilities changed. Each variant is a scenario of its own (its own cells) beside the
 * original, named `<scenario> / <variant>` in the scenario column. Applying a variant is pure:
 * scenario + variant → scenario, checked as a scenario file would be.
 */
import { z } from 'zod';
import { formatPath, InputError } from '../errors.js';
import type { Alliance, Scenario } from '../model/types.js';
import { scenarioFromData } from './load.js';
import { parseWith } from './read.js';
import { allianceSchema, stateSchema } from './schema.js';
import { type AllianceRef, findAlliance, parseRefText, refLabel } from './variants-match.js';

const id = z.string({ error: 'expected a state id (text)' }).min(1, 'expected a non-empty state id');
const borders = (what: string) =>
  z.array(z.tuple([id, id], { error: 'expected a pair of state ids, e.g. [AAA, BBB]' }), {
    error: `expected a list of borders to ${what}: pairs of state ids`,
  });

const refSchema = z.union(
  [z.string().min(1), z.strictObject({ cow: z.number().int() }), z.strictObject({ atop: z.number().int() })],
  { error: 'expected an alliance name, { cow: N } or { atop: N }' },
);

/** New terms for an alliance; null drops a term (reliability back to its type's default, no guarantors). */
const changeSchema = allianceSchema.omit({ name: true, cow: true, atop: true }).partial().extend({
  reliability: allianceSchema.shape.reliability.unwrap().nullable().optional(),
  guarantors: allianceSchema.shape.guarantors.unwrap().nullable().optional(),
  adversaries: allianceSchema.shape.adversaries.unwrap().nullable().optional(),
});

const variantSchema = z.strictObject({
  name: z.string({ error: 'expected a variant name (text)' }).min(1, 'expected a non-empty variant name'),
  add: z.array(allianceSchema, { error: 'expected a list of alliances to add' }).optional(),
  remove: z.array(refSchema, { error: 'expected a list of alliances to remove' }).optional(),
  change: z
    .record(z.string(), changeSchema, {
      error: 'expected a mapping of alliance names (or cow=N, atop=N) to new terms',
    })
    .optional(),
  addBorders: borders('add').optional(),
  removeBorders: borders('remove').optional(),
  states: z
    .record(
      z.string(),
      z.strictObject({
        capability: stateSchema.shape.capability.optional(),
        greatPower: stateSchema.shape.greatPower,
      }),
      { error: 'expected a mapping of state ids to { capability, greatPower }' },
    )
    .optional(),
});

/** A scenario file entry of an experiment written as a mapping: `{ file, name?, variants? }`. */
const fileEntrySchema = z.strictObject({
  file: z.string({ error: 'expected a scenario file name' }).min(1, 'expected a scenario file name'),
  name: z.string({ error: 'expected a name (text)' }).min(1, 'expected a non-empty name').optional(),
  variants: z
    .array(variantSchema, { error: 'expected a list of variants' })
    .min(1, 'expected at least one variant')
    .optional(),
});

/** One what-if: a name and the edits that make it. */
export type Variant = z.infer<typeof variantSchema>;

/** A scenario file entry with its variants, as read from an experiment file. */
export type FileEntry = z.infer<typeof fileEntrySchema>;

/** Where a variant's scenario came from, for `validate`. */
export interface VariantInfo {
  /** The original scenario's name. */
  of: string;
  name: string;
  /** What the variant changes, one phrase per edit. */
  changes: string[];
}

/** True for a scenario entry written as a mapping with a `file` (a generator has `generator`). */
export function isFileEntry(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry) && 'file' in entry;
}

/** Checks a `{ file, name?, variants? }` entry at `path` of experiment `file`. */
export function parseFileEntry(entry: unknown, file: string, path: readonly PropertyKey[]): FileEntry {
  const parsed = parseWith(fileEntrySchema, entry, file, path);
  const seen = new Set<string>();
  parsed.variants?.forEach((v, k) => {
    if (seen.has(v.name))
      throw new InputError(
        `${file}: ${formatPath([...path, 'variants', k, 'name'])}: variant "${v.name}" is named twice; expected each name once`,
      );
    seen.add(v.name);
  });
  return parsed;
}

/**
 * The original scenario (renamed when the entry has a `name`) and then each variant applied to
 * it, named `<name> / <variant>`.
 */
export function expandVariants(
  base: Scenario,
  entry: FileEntry,
  file: string,
  path: readonly PropertyKey[],
): { scenario: Scenario; variant?: VariantInfo }[] {
  const original = entry.name !== undefined ? { ...base, name: entry.name } : base;
  return [
    { scenario: original },
    ...(entry.variants ?? []).map((variant, k) => ({
      scenario: applyVariant(original, variant, file, [...path, 'variants', k]),
      variant: { of: original.name, name: variant.name, changes: describeVariant(original, variant) },
    })),
  ];
}

/**
 * The scenario with the variant's edits, in this order: remove, change, add alliances (every
 * name refers to the original's alliances), remove and add borders, change states. Mistakes
 * throw an InputError naming `file` and the edit's place under `path`.
 */
export function applyVariant(
  base: Scenario,
  variant: Variant,
  file: string,
  path: readonly PropertyKey[],
): Scenario {
  const fail = (at: PropertyKey[], message: string): never => {
    throw new InputError(`${file}: ${formatPath([...path, ...at])}: ${message}`);
  };
  const ids = new Set(base.states.map((s) => s.id));
  const known = (at: PropertyKey[], state: string) => {
    if (!ids.has(state)) fail(at, `unknown state id "${state}"; expected one of the scenario's state ids`);
  };
  const knownAll = (at: PropertyKey[], list: readonly string[] | null | undefined) =>
    list?.forEach((s, k) => {
      known([...at, k], s);
    });
  const resolve = (at: PropertyKey[], ref: AllianceRef): number => {
    const found = findAlliance(base, ref);
    return typeof found === 'string' ? fail(at, found) : found;
  };

  const removed = new Set<number>();
  variant.remove?.forEach((ref, k) => {
    const i = resolve(['remove', k], ref);
    if (removed.has(i)) fail(['remove', k], `"${base.alliances[i]!.name}" is removed twice`);
    removed.add(i);
  });
  const changed = new Map<number, NonNullable<Variant['change']>[string]>();
  for (const [key, terms] of Object.entries(variant.change ?? {})) {
    const i = resolve(['change', key], parseRefText(key));
    const name = base.alliances[i]!.name;
    if (removed.has(i))
      fail(['change', key], `"${name}" is also removed; expected to change it or remove it`);
    if (changed.has(i)) fail(['change', key], `"${name}" is changed twice`);
    for (const field of ['members', 'guarantors', 'adversaries'] as const)
      knownAll(['change', key, field], terms[field]);
    changed.set(i, terms);
  }
  variant.add?.forEach((a, k) => {
    for (const field of ['members', 'guarantors', 'adversaries'] as const)
      knownAll(['add', k, field], a[field]);
  });
  const alliances: Alliance[] = [];
  base.alliances.forEach((a, i) => {
    if (removed.has(i)) return;
    const terms = changed.get(i);
    alliances.push(terms ? withTerms(a, terms) : a);
  });
  for (const a of variant.add ?? []) alliances.push(a as Alliance);

  const border = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
  const dropped = new Set<string>();
  variant.removeBorders?.forEach(([a, b], k) => {
    known(['removeBorders', k, 0], a);
    known(['removeBorders', k, 1], b);
    if (!base.borders.some(([x, y]) => border(x, y) === border(a, b)))
      fail(['removeBorders', k], `the scenario has no border between ${a} and ${b}`);
    dropped.add(border(a, b));
  });
  const edgesLeft = base.borders.filter(([a, b]) => !dropped.has(border(a, b)));
  variant.addBorders?.forEach(([a, b], k) => {
    known(['addBorders', k, 0], a);
    known(['addBorders', k, 1], b);
    if (edgesLeft.some(([x, y]) => border(x, y) === border(a, b)))
      fail(['addBorders', k], `${a} and ${b} already share a border`);
    edgesLeft.push([a, b]);
  });

  for (const state of Object.keys(variant.states ?? {})) known(['states', state], state);
  const states = base.states.map((s) => {
    const edit = variant.states?.[s.id];
    if (!edit) return s;
    return {
      ...s,
      ...(edit.capability !== undefined ? { capability: edit.capability } : {}),
      ...(edit.greatPower !== undefined ? { greatPower: edit.greatPower } : {}),
    };
  });

  const edited: Scenario = {
    ...base,
    name: `${base.name} / ${variant.name}`,
    states,
    borders: edgesLeft,
    alliances,
  };
  // What the edits above cannot see alone (guarantors among members, a border to itself, …) is
  // checked as in a scenario file; an alliance is shown by its name, not its new position.
  try {
    return scenarioFromData(edited, `${file}: ${formatPath(path)} ("${variant.name}")`);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new InputError(
      err.message.replace(
        /alliances\[(\d+)\]/g,
        (_, n: string) => `alliance "${alliances[Number(n)]?.name ?? n}"`,
      ),
    );
  }
}

/** An alliance with new terms; null drops the term. */
function withTerms(alliance: Alliance, terms: NonNullable<Variant['change']>[string]): Alliance {
  const out: Record<string, unknown> = { ...alliance };
  for (const [key, value] of Object.entries(terms)) {
    if (value === undefined) continue;
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out as unknown as Alliance;
}

/** One phrase per edit of a variant, naming alliances as the scenario names them (for `validate`). */
export function describeVariant(base: Scenario, variant: Variant): string[] {
  const nameOf = (ref: AllianceRef) => {
    const i = findAlliance(base, ref);
    return typeof i === 'number' ? JSON.stringify(base.alliances[i]!.name) : refLabel(ref);
  };
  const terms = (t: Record<string, unknown>) =>
    Object.entries(t)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${v === null ? 'dropped' : Array.isArray(v) ? v.join('–') : String(v)}`)
      .join(', ');
  const pairs = (list: [string, string][]) => list.map(([a, b]) => `${a}–${b}`).join(', ');
  return [
    ...(variant.remove ?? []).map((ref) => `removes ${nameOf(ref)}`),
    ...Object.entries(variant.change ?? {}).map(
      ([key, t]) => `changes ${nameOf(parseRefText(key))} (${terms(t)})`,
    ),
    ...(variant.add ?? []).map(
      (a) =>
        `adds ${JSON.stringify(a.name)} (${a.type}: ${a.members.join('–')}${a.guarantors ? `, guarantors ${a.guarantors.join('–')}` : ''})`,
    ),
    ...(variant.removeBorders?.length ? [`removes borders ${pairs(variant.removeBorders)}`] : []),
    ...(variant.addBorders?.length ? [`adds borders ${pairs(variant.addBorders)}`] : []),
    ...Object.entries(variant.states ?? {}).map(([s, t]) => `changes ${s} (${terms(t)})`),
  ];
}
