import { basename, extname } from 'node:path';
import { formatPath, InputError } from '../errors.js';
import type { Scenario } from '../model/types.js';
import { parseStructuredText, parseWith, readStructuredFile } from './read.js';
import { type ScenarioInput, scenarioSchema } from './schema.js';

/** Reads, validates and checks one scenario file. */
export function loadScenario(file: string): Scenario {
  return scenarioFromData(readStructuredFile(file), file);
}

/** Parses scenario text (YAML, or JSON for a .json name) as if read from `file`. */
export function parseScenario(text: string, file: string): Scenario {
  return scenarioFromData(parseStructuredText(text, file), file);
}

/** Validates already-parsed data as a scenario; `file` names it in messages. */
export function scenarioFromData(data: unknown, file: string): Scenario {
  const input = parseWith(scenarioSchema, data, file);
  checkReferences(input, file);
  return {
    name: input.name ?? basename(file, extname(file)),
    states: input.states.map((s) => ({
      id: s.id,
      name: s.name ?? s.id,
      capability: s.capability,
      greatPower: s.greatPower ?? false,
      ...(s.ccode !== undefined ? { ccode: s.ccode } : {}),
    })),
    borders: (input.borders ?? []).map(([a, b]) => [a, b] as [string, string]),
    alliances: (input.alliances ?? []).map((a) => ({
      name: a.name,
      type: a.type as Scenario['alliances'][number]['type'],
      members: [...a.members],
      ...(a.reliability !== undefined ? { reliability: a.reliability } : {}),
      ...(a.nonprovocation !== undefined ? { nonprovocation: a.nonprovocation } : {}),
      ...(a.guarantors !== undefined ? { guarantors: [...a.guarantors] } : {}),
      ...(a.adversaries !== undefined ? { adversaries: [...a.adversaries] } : {}),
      ...(a.conditional !== undefined ? { conditional: a.conditional } : {}),
      ...(a.cow !== undefined ? { cow: a.cow } : {}),
      ...(a.atop !== undefined ? { atop: a.atop } : {}),
    })),
    crisis: { initiator: input.crisis.initiator, target: input.crisis.target },
    ...(input.params !== undefined ? { params: input.params as Scenario['params'] } : {}),
  };
}

/** Checks what the schema cannot: ids unique and known, guarantors among members, A ≠ B, adversaries known. */
function checkReferences(input: ScenarioInput, file: string): void {
  const fail = (path: (string | number)[], message: string): never => {
    throw new InputError(`${file}: ${formatPath(path)}: ${message}`);
  };
  const ids = new Set<string>();
  input.states.forEach((s, i) => {
    if (ids.has(s.id)) fail(['states', i, 'id'], `duplicate state id "${s.id}"; expected every id once`);
    ids.add(s.id);
  });
  const known = (path: (string | number)[], id: string) => {
    if (!ids.has(id)) fail(path, `unknown state id "${id}"; expected one of the ids under states`);
  };
  (input.borders ?? []).forEach(([a, b], i) => {
    known(['borders', i, 0], a);
    known(['borders', i, 1], b);
    if (a === b) fail(['borders', i], `a border joins "${a}" to itself; expected two different states`);
  });
  (input.alliances ?? []).forEach((a, i) => {
    const members = new Set<string>();
    a.members.forEach((m, k) => {
      known(['alliances', i, 'members', k], m);
      if (members.has(m))
        fail(['alliances', i, 'members', k], `"${m}" is listed twice; expected each member once`);
      members.add(m);
    });
    (a.adversaries ?? []).forEach((x, k) => {
      known(['alliances', i, 'adversaries', k], x);
    });
    if (a.guarantors) {
      a.guarantors.forEach((g, k) => {
        known(['alliances', i, 'guarantors', k], g);
        if (!members.has(g))
          fail(
            ['alliances', i, 'guarantors', k],
            `guarantor "${g}" is not a member; expected guarantors among members`,
          );
      });
      if (new Set(a.guarantors).size >= members.size) {
        fail(
          ['alliances', i, 'guarantors'],
          'every member is a guarantor; expected at least one protected (non-guarantor) member',
        );
      }
    }
  });
  known(['crisis', 'initiator'], input.crisis.initiator);
  known(['crisis', 'target'], input.crisis.target);
  if (input.crisis.initiator === input.crisis.target) {
    fail(
      ['crisis', 'target'],
      `the target is the initiator "${input.crisis.initiator}"; expected two different states`,
    );
  }
}
