import * as z from 'zod';
import { formatPath, InputError } from '../errors.js';
import { type BlocsSpec, MAX_GENERATED_STATES } from './generators.js';

// The blocs spec's schema lives apart from the generator, so that worker threads, which
// generate systems but never validate files, do not load zod (about 0.1 s per worker).

const DISTRIBUTIONS = ['pareto', 'uniform', 'equal'] as const;

const capabilitySchema = z.union(
  [
    z.enum(DISTRIBUTIONS),
    z
      .object({
        distribution: z.enum(DISTRIBUTIONS, { error: 'expected "pareto", "uniform" or "equal"' }),
        shape: z
          .number({ error: 'expected a number greater than 0' })
          .gt(0, { error: 'expected a number greater than 0' })
          .optional(),
      })
      .strict(),
  ],
  { error: 'expected "pareto", "uniform", "equal" or { distribution: pareto, shape: 1.5 }' },
);

const int = (what: string) => z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` });

/** zod schema of a BlocsSpec, with the checks that involve several fields. */
export const blocsSpecSchema = z
  .object({
    generator: z.literal('blocs', { error: 'expected "blocs"' }),
    states: int(`a whole number of states from 4 to ${MAX_GENERATED_STATES}`)
      .min(4, { error: 'expected at least 4 states' })
      .max(MAX_GENERATED_STATES, { error: `expected at most ${MAX_GENERATED_STATES} states` }),
    blocs: int('a whole number of blocs, at least 2')
      .min(2, { error: 'expected at least 2 blocs' })
      .optional(),
    greatPowers: int('a whole number of great powers, 0 or more')
      .min(0, { error: 'expected 0 or more great powers' })
      .optional(),
    capability: capabilitySchema.optional(),
    tightness: z
      .number({ error: 'expected a number from 0 to 1' })
      .min(0, { error: 'expected a number from 0 to 1' })
      .max(1, { error: 'expected a number from 0 to 1' }),
    systemSeed: int('a whole number from 0 to 2^53 − 1')
      .min(0, { error: 'expected a whole number from 0 to 2^53 − 1' })
      .max(Number.MAX_SAFE_INTEGER, { error: 'expected a whole number from 0 to 2^53 − 1' })
      .optional(),
    perRun: z.boolean({ error: 'expected true or false' }).optional(),
    reliability: z.boolean({ error: 'expected true or false' }).optional(),
    name: z.string({ error: 'expected a name' }).min(1, { error: 'expected a non-empty name' }).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const blocs = spec.blocs ?? 2;
    if (blocs * 2 > spec.states) {
      ctx.addIssue({
        code: 'custom',
        path: ['blocs'],
        message: `expected at most ${Math.floor(spec.states / 2)} blocs for ${spec.states} states (two states per bloc at least)`,
      });
    }
    if (spec.greatPowers !== undefined && spec.greatPowers > spec.states - 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['greatPowers'],
        message: `expected at most ${spec.states - 2} great powers for ${spec.states} states (the initiator and target are minor states)`,
      });
    }
    if (
      typeof spec.capability === 'object' &&
      spec.capability.shape !== undefined &&
      spec.capability.distribution !== 'pareto'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['capability', 'shape'],
        message: 'only the pareto distribution has a shape',
      });
    }
  });

/**
 * Validates a blocs spec read from `file` at `path` (e.g. ['scenarios', 1]); throws an
 * InputError of one line, `file: path: what was expected`, saying how many more problems there are.
 */
export function parseBlocsSpec(input: unknown, file: string, path: readonly PropertyKey[] = []): BlocsSpec {
  const result = blocsSpecSchema.safeParse(input);
  if (result.success) return result.data as BlocsSpec;
  const [first, ...more] = result.error.issues;
  throw new InputError(
    `${file}: ${formatPath([...path, ...first!.path])}: ${first!.message}` +
      (more.length > 0 ? ` (and ${more.length} more problem${more.length > 1 ? 's' : ''})` : ''),
  );
}
