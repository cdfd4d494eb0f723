/**
 * Parameter overrides, merged in one place: an experiment's `params`, a scenario's own
 * `params`, a sweep point and `--param NAME=VALUE` all become layers applied in order (the
 * later wins) onto the defaults. A layer is nested as in files (`reliability: {defense: 0.9}`)
 * or flat with dotted names (`reliability.defense: 0.9`); both mean the same.
 */
import { cloneParams, DEFAULT_PARAMS, PARAM_RANGES, setParam } from '../model/params.js';
import type { ModelParams, Scenario } from '../model/types.js';

/** One layer of overrides, nested or dotted. */
export type ParamOverrides = Readonly<Record<string, unknown>>;

/** The numeric entries of a layer by dotted name, in the layer's order (unknown names skipped). */
export function flattenOverrides(layer: ParamOverrides | undefined): [string, number][] {
  const out: [string, number][] = [];
  for (const [key, value] of Object.entries(layer ?? {})) {
    if (key === 'reliability' && value && typeof value === 'object') {
      for (const [type, r] of Object.entries(value))
        if (typeof r === 'number') out.push([`reliability.${type}`, r]);
    } else if (typeof value === 'number' && key in PARAM_RANGES) out.push([key, value]);
  }
  return out;
}

/** The defaults (or `base`) with every layer applied in order; `base` is not modified. */
export function applyOverrides(
  base: Readonly<ModelParams> = DEFAULT_PARAMS,
  ...layers: (ParamOverrides | undefined)[]
): ModelParams {
  const params = cloneParams(base as ModelParams);
  for (const layer of layers)
    for (const [name, value] of flattenOverrides(layer)) setParam(params, name, value);
  return params;
}

/** A flat layer as a scenario's nested `params` (what scenario and experiment files hold). */
export function nestOverrides(flat: ReadonlyMap<string, number> | ParamOverrides): Scenario['params'] {
  const entries = flat instanceof Map ? [...flat] : flattenOverrides(flat as ParamOverrides);
  const params: Record<string, unknown> = {};
  const reliability: Record<string, number> = {};
  for (const [name, value] of entries) {
    if (name.startsWith('reliability.')) reliability[name.slice(12)] = value;
    else params[name] = value;
  }
  if (Object.keys(reliability).length > 0) params.reliability = reliability;
  return params as Scenario['params'];
}
