import type { ModelParams } from './types.js';

/** The defaults of MODEL.md ("Parameters"). */
export const DEFAULT_PARAMS: Readonly<ModelParams> = Object.freeze({
  reliability: Object.freeze({
    defense: 0.75,
    offense: 0.75,
    entente: 0.5,
    neutrality: 0.78,
    nonaggression: 0.37,
  }),
  conditionalFactor: 0.5,
  deterrence: 0,
  invasionHazard: 0.02,
  offenseDominance: 0.5,
  sufficiency: 1,
  borderHazard: 0.02,
  balanceHazard: 0.1,
  hegemonyShare: 0.5,
  settlement: 0.1,
  mediation: 0.2,
  decisiveness: 1,
  maxSteps: 48,
}) as ModelParams;

/** Every parameter by its dotted name, with the range a value must lie in. */
export const PARAM_RANGES: Readonly<Record<string, { min: number; max: number; integer?: boolean }>> = {
  'reliability.defense': { min: 0, max: 1 },
  'reliability.offense': { min: 0, max: 1 },
  'reliability.entente': { min: 0, max: 1 },
  'reliability.neutrality': { min: 0, max: 1 },
  'reliability.nonaggression': { min: 0, max: 1 },
  conditionalFactor: { min: 0, max: 1 },
  deterrence: { min: 0, max: 1 },
  invasionHazard: { min: 0, max: 1 },
  offenseDominance: { min: 0, max: 1 },
  sufficiency: { min: 0, max: Number.MAX_VALUE },
  borderHazard: { min: 0, max: 1 },
  balanceHazard: { min: 0, max: 1 },
  hegemonyShare: { min: 0, max: 1 },
  settlement: { min: 0, max: 1 },
  mediation: { min: 0, max: Number.MAX_VALUE },
  decisiveness: { min: 0, max: Number.MAX_VALUE },
  maxSteps: { min: 1, max: 1_000_000, integer: true },
};

export const PARAM_NAMES: readonly string[] = Object.keys(PARAM_RANGES);

/** A deep copy of the defaults (or of `base`), safe to modify. */
export function cloneParams(base: ModelParams = DEFAULT_PARAMS): ModelParams {
  return { ...base, reliability: { ...base.reliability } };
}

/** Reads a parameter by its dotted name. */
export function getParam(params: ModelParams, name: string): number {
  if (name.startsWith('reliability.'))
    return params.reliability[name.slice(12) as keyof ModelParams['reliability']];
  return params[name as Exclude<keyof ModelParams, 'reliability'>];
}

/** Sets a parameter by its dotted name (the name must be one of PARAM_NAMES). */
export function setParam(params: ModelParams, name: string, value: number): void {
  if (!(name in PARAM_RANGES)) throw new RangeError(`unknown parameter ${name}`);
  if (name.startsWith('reliability.'))
    params.reliability[name.slice(12) as keyof ModelParams['reliability']] = value;
  else params[name as Exclude<keyof ModelParams, 'reliability'>] = value;
}

/** Defaults overlaid with a scenario's partial overrides. */
export function resolveParams(
  overrides: { reliability?: Partial<ModelParams['reliability']>; [k: string]: unknown } = {},
): ModelParams {
  const p = cloneParams();
  for (const [k, v] of Object.entries(overrides)) {
    if (k === 'reliability' && v && typeof v === 'object') {
      for (const [t, r] of Object.entries(v)) if (typeof r === 'number') setParam(p, `reliability.${t}`, r);
    } else if (typeof v === 'number') setParam(p, k, v);
  }
  return p;
}

/**
 * Version 1's model in version 2's terms (MODEL.md, introduction): no deterrence, no invasion,
 * neutrality kept for sure. With these overrides (and non-aggression pacts typed as
 * neutrality, no adversaries or conditional terms) version 2 reproduces version 1.
 */
export const VERSION_1_PARAMS: Readonly<Record<string, number>> = Object.freeze({
  deterrence: 0,
  invasionHazard: 0,
  'reliability.neutrality': 1,
  'reliability.nonaggression': 1,
});
