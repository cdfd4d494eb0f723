import { z } from 'zod';
import { PARAM_RANGES } from '../model/params.js';
import { ALLIANCE_TYPES } from '../model/types.js';

const probability = (what: string) =>
  z
    .number({ error: `expected ${what}: a number from 0 to 1` })
    .min(0, `expected ${what} ≥ 0`)
    .max(1, `expected ${what} ≤ 1`);

const id = z.string({ error: 'expected a state id (text)' }).min(1, 'expected a non-empty state id');

export const stateSchema = z.strictObject({
  id,
  name: z.string({ error: 'expected a name (text)' }).optional(),
  capability: z.number({ error: 'expected a capability: a number ≥ 0' }).min(0, 'expected a capability ≥ 0'),
  greatPower: z.boolean({ error: 'expected greatPower: true or false' }).optional(),
  ccode: z
    .number({ error: 'expected a COW country code (a whole number)' })
    .int('expected a whole number')
    .optional(),
});

export const allianceSchema = z.strictObject({
  name: z.string({ error: 'expected an alliance name (text)' }),
  type: z.enum(ALLIANCE_TYPES as [string, ...string[]], {
    error: `expected a type: one of ${ALLIANCE_TYPES.join(', ')}`,
  }),
  members: z
    .array(id, { error: 'expected a list of member state ids' })
    .min(2, 'expected at least two members'),
  reliability: probability('a reliability').optional(),
  nonprovocation: z.boolean({ error: 'expected nonprovocation: true or false' }).optional(),
  guarantors: z
    .array(id, { error: 'expected a list of guarantor state ids' })
    .min(1, 'expected at least one guarantor')
    .optional(),
  adversaries: z
    .array(id, { error: 'expected a list of adversary state ids' })
    .min(1, 'expected at least one adversary')
    .optional(),
  conditional: z.boolean({ error: 'expected conditional: true or false' }).optional(),
  cow: z.number({ error: 'expected a COW alliance number' }).int('expected a whole number').optional(),
  atop: z.number({ error: 'expected an ATOP alliance number' }).int('expected a whole number').optional(),
});

function paramNumber(name: string) {
  const r = PARAM_RANGES[name]!;
  let s = z.number({ error: `expected ${name}: a number` }).min(r.min, `expected ${name} ≥ ${r.min}`);
  if (r.max < Number.MAX_VALUE) s = s.max(r.max, `expected ${name} ≤ ${r.max}`);
  if (r.integer) s = s.int(`expected ${name} to be a whole number`);
  return s;
}

/** Model parameter overrides: nested (`reliability: {defense: 0.9}`) or dotted (`reliability.defense: 0.9`). */
export const paramsSchema = z.preprocess(
  (raw) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k.startsWith('reliability.')) {
        const prev = out.reliability;
        out.reliability = { ...(prev && typeof prev === 'object' ? prev : {}), [k.slice(12)]: v };
      } else out[k] = v;
    }
    return out;
  },
  z.strictObject(
    {
      reliability: z
        .strictObject({
          defense: paramNumber('reliability.defense').optional(),
          offense: paramNumber('reliability.offense').optional(),
          entente: paramNumber('reliability.entente').optional(),
          neutrality: paramNumber('reliability.neutrality').optional(),
          nonaggression: paramNumber('reliability.nonaggression').optional(),
        })
        .optional(),
      conditionalFactor: paramNumber('conditionalFactor').optional(),
      deterrence: paramNumber('deterrence').optional(),
      invasionHazard: paramNumber('invasionHazard').optional(),
      offenseDominance: paramNumber('offenseDominance').optional(),
      sufficiency: paramNumber('sufficiency').optional(),
      borderHazard: paramNumber('borderHazard').optional(),
      balanceHazard: paramNumber('balanceHazard').optional(),
      hegemonyShare: paramNumber('hegemonyShare').optional(),
      settlement: paramNumber('settlement').optional(),
      mediation: paramNumber('mediation').optional(),
      decisiveness: paramNumber('decisiveness').optional(),
      maxSteps: paramNumber('maxSteps').optional(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? undefined : 'expected a mapping of parameter names to numbers',
    },
  ),
);

/** A scenario file: one state system and one crisis (MODEL.md, "Files"). Cross-references are checked in load.ts. */
export const scenarioSchema = z.strictObject({
  name: z.string({ error: 'expected a scenario name (text)' }).optional(),
  states: z.array(stateSchema, { error: 'expected a list of states' }).min(2, 'expected at least two states'),
  borders: z
    .array(z.tuple([id, id], { error: 'expected a pair of state ids, e.g. [AAA, BBB]' }), {
      error: 'expected a list of pairs of state ids',
    })
    .optional(),
  alliances: z.array(allianceSchema, { error: 'expected a list of alliances' }).optional(),
  crisis: z.strictObject(
    { initiator: id, target: id },
    { error: 'expected a crisis: { initiator: ID, target: ID }' },
  ),
  params: paramsSchema.optional(),
});

export type ScenarioInput = z.infer<typeof scenarioSchema>;
