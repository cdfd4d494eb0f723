/**
 * Swept parameter values obey the same rules as `params`: each value of a list, and each end
 * of a range, within the parameter's range (MODEL.md, "Parameters"), whole numbers where the
 * parameter is one (maxSteps). Generator fields are checked where the generator reads them.
 */
import { formatPath, InputError } from '../errors.js';
import { PARAM_RANGES } from '../model/params.js';
import type { ExperimentSpec } from './experiment.js';

/** Throws an InputError naming the first swept value a parameter cannot take. */
export function checkSweepValues(spec: ExperimentSpec): void {
  for (const [key, entry] of Object.entries(spec.sweep)) {
    const range = PARAM_RANGES[key];
    if (range === undefined) continue;
    const fail = (path: PropertyKey[], message: string): never => {
      throw new InputError(`${spec.file}: ${formatPath(['sweep', key, ...path])}: ${message}`);
    };
    const check = (value: number, path: PropertyKey[]) => {
      if (value < range.min) fail(path, `expected ${key} ≥ ${range.min}, got ${value}`);
      if (value > range.max) fail(path, `expected ${key} ≤ ${range.max}, got ${value}`);
      if (range.integer && !Number.isInteger(value))
        fail(path, `expected ${key} to be a whole number, got ${value}`);
    };
    if (Array.isArray(entry)) {
      entry.forEach((v, i) => {
        check(v, [i]);
      });
      continue;
    }
    check(entry.from, ['from']);
    check(entry.to, ['to']);
    if (range.integer) {
      if (spec.lhs !== undefined)
        fail(
          [],
          `${key} is a whole number, but a Latin hypercube draws any value of a range; expected it swept in a grid`,
        );
      if (entry.step !== undefined && !Number.isInteger(entry.step))
        fail(['step'], `expected a whole-number step (${key} is a whole number), got ${entry.step}`);
    }
  }
}
