/**
 * Sweep keys that edit a scenario file instead of setting a model parameter:
 * `alliance[NAME].reliability` (NAME as in variants: a name, `cow=N` or `atop=N`) and
 * `state[ID].capability`. They go wherever any sweep key goes (grids, Latin hypercubes, other
 * designs); each cell's scenario gets the point's values.
 */
import { formatPath, InputError } from '../errors.js';
import type { Scenario } from '../model/types.js';
import { findAlliance, parseRefText } from './variants-match.js';

/** What a scenario sweep key edits. */
type ScenarioKey =
  | { kind: 'alliance'; name: string; field: string }
  | { kind: 'state'; name: string; field: string };

/** The field each kind of key may set, with the values it allows. */
const FIELDS: Record<ScenarioKey['kind'], { field: string; min: number; max: number; what: string }> = {
  alliance: { field: 'reliability', min: 0, max: 1, what: 'a reliability from 0 to 1' },
  state: { field: 'capability', min: 0, max: Number.POSITIVE_INFINITY, what: 'a capability ≥ 0' },
};

function parseKey(key: string): ScenarioKey | undefined {
  const m = /^(alliance|state)\[(.+)\]\.([^.[\]]*)$/.exec(key);
  return m ? { kind: m[1] as ScenarioKey['kind'], name: m[2]!, field: m[3]! } : undefined;
}

/** True for a key of the form `alliance[…].field` or `state[…].field` (valid or not). */
export function isScenarioSweepKey(key: string): boolean {
  return /^(alliance|state)\[/.test(key);
}

/**
 * Checks a scenario sweep key of experiment `file` against every scenario it will edit
 * (`scenarios[i]` is undefined for a generator) and its values (`bounds`: the smallest and
 * largest value swept); mistakes throw an InputError at `sweep.<key>`.
 */
export function checkScenarioSweepKey(
  key: string,
  bounds: [number, number],
  scenarios: readonly (Scenario | undefined)[],
  file: string,
): void {
  const fail = (message: string): never => {
    throw new InputError(`${file}: ${formatPath(['sweep', key])}: ${message}`);
  };
  const parsed = parseKey(key);
  if (!parsed) fail('expected alliance[NAME].reliability or state[ID].capability');
  const { kind, name, field } = parsed!;
  const allowed = FIELDS[kind];
  if (field !== allowed.field)
    fail(`a sweep can set ${kind}[…].${allowed.field}, not "${field}"; expected ${kind}[…].${allowed.field}`);
  if (bounds[0] < allowed.min || bounds[1] > allowed.max)
    fail(`expected values within ${allowed.what}, got ${bounds[0] < allowed.min ? bounds[0] : bounds[1]}`);
  scenarios.forEach((scenario, i) => {
    if (!scenario)
      fail(
        `${kind}[…] keys edit scenario files, but scenarios[${i}] is a generator; sweep them in experiments of scenario files only`,
      );
    const place = `in scenario "${scenario!.name}"`;
    if (kind === 'alliance') {
      const found = findAlliance(scenario!, parseRefText(name));
      if (typeof found === 'string') fail(`${found} (${place})`);
    } else if (!scenario!.states.some((s) => s.id === name)) {
      fail(`unknown state id "${name}" ${place}`);
    }
  });
}

/**
 * The scenario with a cell's values of scenario sweep keys applied (the keys were checked by
 * checkScenarioSweepKey); the scenario itself when the point has none.
 */
export function applySweepPoint(scenario: Scenario, point: Readonly<Record<string, number>>): Scenario {
  let out = scenario;
  for (const [key, value] of Object.entries(point)) {
    const parsed = isScenarioSweepKey(key) ? parseKey(key) : undefined;
    if (!parsed) continue;
    if (out === scenario)
      out = { ...scenario, alliances: [...scenario.alliances], states: [...scenario.states] };
    if (parsed.kind === 'alliance') {
      const i = findAlliance(out, parseRefText(parsed.name));
      if (typeof i === 'string') throw new Error(`unchecked sweep key ${key}: ${i}`);
      out.alliances[i] = { ...out.alliances[i]!, reliability: value };
    } else {
      const i = out.states.findIndex((s) => s.id === parsed.name);
      if (i < 0) throw new Error(`unchecked sweep key ${key}`);
      out.states[i] = { ...out.states[i]!, capability: value };
    }
  }
  return out;
}
