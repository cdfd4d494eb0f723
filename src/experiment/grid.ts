/**
 * Sweeps: value ranges, full grids and Latin hypercube designs over named parameters (dotted
 * model parameter names or generator fields; which names are allowed is checked by the caller).
 */
import { formatPath, InputError } from '../errors.js';
import { RunRng } from '../model/rng.js';

/** A range as written in an experiment file; `step` is needed to expand it into values. */
export interface Range {
  from: number;
  to: number;
  step?: number;
}

/** One swept entry: a list of values or a range. */
export type SweepValues = number[] | Range;

/** Stream of the Latin hypercube's draws (distinct from the model's and the systems' streams). */
export const STREAM_LHS = 0x4c4853; // 'LHS'

/** Ranges longer than this are surely a typo (a step of 0.0001 for 0.001): refuse them. */
export const MAX_RANGE_VALUES = 100_000;

function fail(file: string | undefined, path: readonly PropertyKey[], message: string): never {
  throw new InputError(`${file === undefined ? '' : `${file}: `}${formatPath(path)}: ${message}`);
}

/** Decimal places of a number as JavaScript prints it (1e-7 has 7, 0.25 has 2, 12 has 0). */
function decimals(x: number): number {
  const s = String(Math.abs(x));
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const exponent = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const places = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, places - exponent);
}

function checkNumber(x: unknown, file: string | undefined, path: readonly PropertyKey[]): number {
  if (typeof x !== 'number' || !Number.isFinite(x))
    fail(file, path, `expected a number, got ${JSON.stringify(x) ?? String(x)}`);
  return x;
}

/**
 * The values from, from + step, … up to `to`, which is included when a whole number of steps
 * reaches it. Values are computed on integers scaled by 10^decimals, so 0 to 1 by 0.1 gives
 * exactly 0, 0.1, 0.2, 0.3, … (not 0.30000000000000004). Mistakes throw an InputError naming
 * `file` and `path` (the range's place in the file).
 */
export function expandRange(range: Range, file?: string, path: readonly PropertyKey[] = []): number[] {
  if (typeof range !== 'object' || range === null) fail(file, path, 'expected a range { from, to, step }');
  const from = checkNumber(range.from, file, [...path, 'from']);
  const to = checkNumber(range.to, file, [...path, 'to']);
  if (range.step === undefined) fail(file, [...path, 'step'], 'expected a step for the range');
  const step = checkNumber(range.step, file, [...path, 'step']);
  if (step <= 0) fail(file, [...path, 'step'], `expected a step > 0, got ${step}`);
  if (to < from) fail(file, path, `empty range: to (${to}) is below from (${from})`);

  const d = Math.max(decimals(from), decimals(to), decimals(step));
  const scale = 10 ** d;
  const f = Math.round(from * scale);
  const t = Math.round(to * scale);
  const s = Math.round(step * scale);
  const exact =
    d <= 15 && s > 0 && Number.isSafeInteger(f) && Number.isSafeInteger(t) && Number.isSafeInteger(s);
  // Past 15 decimals (or beyond 2^53) integers cannot carry the values; fall back to a tolerance.
  const count = exact ? Math.floor((t - f) / s) + 1 : Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_RANGE_VALUES) {
    fail(file, path, `the range has ${count} values, more than ${MAX_RANGE_VALUES}; expected a larger step`);
  }
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = exact ? (f + i * s) / scale : from + i * step;
  return values;
}

/**
 * Every combination of the swept values, as points name → value, in row-major order: the
 * first name is the outermost loop, the last name varies fastest. An empty sweep is one point
 * with no values. Lists are used as given; ranges are expanded by expandRange.
 */
export function expandGrid(
  sweep: Readonly<Record<string, SweepValues>>,
  file?: string,
  path: readonly PropertyKey[] = ['sweep'],
): Record<string, number>[] {
  const keys = Object.keys(sweep);
  const axes = keys.map((key) => {
    const entry = sweep[key]!;
    if (Array.isArray(entry)) {
      if (entry.length === 0) fail(file, [...path, key], 'expected at least one value');
      for (let i = 0; i < entry.length; i++) checkNumber(entry[i], file, [...path, key, i]);
      return entry;
    }
    return expandRange(entry, file, [...path, key]);
  });
  let total = 1;
  for (const axis of axes) total *= axis.length;
  if (total > MAX_RANGE_VALUES * 10) {
    fail(
      file,
      path,
      `the sweep has ${total} combinations, more than ${MAX_RANGE_VALUES * 10}; expected fewer values`,
    );
  }
  const points: Record<string, number>[] = new Array(total);
  const index = new Array<number>(keys.length).fill(0);
  for (let p = 0; p < total; p++) {
    const point: Record<string, number> = {};
    for (let k = 0; k < keys.length; k++) point[keys[k]!] = axes[k]![index[k]!]!;
    points[p] = point;
    // Odometer: the last key turns fastest.
    for (let k = keys.length - 1; k >= 0; k--) {
      if (++index[k]! < axes[k]!.length) break;
      index[k] = 0;
    }
  }
  return points;
}

/**
 * A Latin hypercube of n points over the ranges (their `step`, if any, is ignored): each
 * range is cut into n equal strata and every stratum of every parameter holds exactly one
 * point, at a uniformly random place inside it; strata are paired across parameters by
 * independent random permutations. The same ranges, n and seed give the same points.
 */
export function latinHypercube(
  ranges: Readonly<Record<string, { from: number; to: number }>>,
  n: number,
  seed: number,
  file?: string,
  path: readonly PropertyKey[] = ['sweep'],
): Record<string, number>[] {
  if (!Number.isSafeInteger(n) || n < 1)
    fail(file, ['design', 'lhs'], `expected a whole number of points ≥ 1, got ${n}`);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`latinHypercube: seed must be a safe non-negative integer, got ${seed}`);
  const keys = Object.keys(ranges);
  for (const key of keys) {
    const r = ranges[key]!;
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      fail(file, [...path, key], 'expected a range { from, to }');
    checkNumber(r.from, file, [...path, key, 'from']);
    checkNumber(r.to, file, [...path, key, 'to']);
    if (r.to < r.from) fail(file, [...path, key], `empty range: to (${r.to}) is below from (${r.from})`);
  }
  const rng = new RunRng(seed, 0, 0, STREAM_LHS);
  const points: Record<string, number>[] = Array.from({ length: n }, () => ({}));
  const perm = new Int32Array(n);
  for (const key of keys) {
    const { from, to } = ranges[key]!;
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    for (let i = 0; i < n; i++) {
      const x = from + ((to - from) * (perm[i]! + rng.uniform())) / n;
      // Rounding at the top of the range must not leave it.
      points[i]![key] = Math.min(x, to);
    }
  }
  return points;
}
