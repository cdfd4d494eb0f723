/**
 * The `design` key of an experiment file: instead of the full grid of the sweep, a Latin
 * hypercube (`{ lhs: N }`), a Sobol design for variance-based sensitivity analysis
 * (`{ sobol: N, secondOrder?, scramble? }`, Saltelli's scheme) or a Morris design of
 * elementary effects (`{ morris: { trajectories: R, levels: L } }`), over the sweep's ranges.
 */
import { z } from 'zod';
import { formatPath, InputError } from '../errors.js';

/** A design for global sensitivity analysis, as read from the file (its factors are the sweep's names). */
export type SamplingDesign =
  | { kind: 'sobol'; n: number; secondOrder: boolean; scramble: boolean }
  | { kind: 'morris'; trajectories: number; levels: number };

const atLeast = (what: string, min: number) =>
  z
    .number({ error: `expected ${what}: a whole number ≥ ${min}` })
    .int(`expected ${what}: a whole number ≥ ${min}`)
    .min(min, `expected ${what} ≥ ${min}`);

const flag = (what: string) => z.boolean({ error: `expected ${what}: true or false` }).optional();

/** The schema of the `design` key (which keys go together is checked by readDesign). */
export const designSchema = z.strictObject(
  {
    lhs: atLeast('the number of Latin hypercube points (lhs)', 1).optional(),
    sobol: atLeast('the number of Sobol base points (sobol), best a power of 2', 2).optional(),
    secondOrder: flag('secondOrder'),
    scramble: flag('scramble'),
    morris: z
      .strictObject(
        {
          trajectories: atLeast('the number of trajectories', 2),
          levels: atLeast('an even number of levels', 2),
        },
        { error: 'expected morris: { trajectories: R, levels: L }' },
      )
      .optional(),
  },
  {
    error:
      'expected design: { lhs: N }, { sobol: N } (with secondOrder, scramble) or { morris: { trajectories: R, levels: L } }',
  },
);

/** What a `design` key asks for: a Latin hypercube size, or a sensitivity design; neither for the full grid. */
export interface DesignChoice {
  lhs?: number;
  sampling?: SamplingDesign;
  /** How the file's messages name the design ("a Latin hypercube design", …); undefined for the grid. */
  label?: string;
}

/** Checks which keys go together and returns the design; mistakes name the file and the key. */
export function readDesign(input: z.infer<typeof designSchema> | undefined, file: string): DesignChoice {
  if (input === undefined) return {};
  const fail = (path: PropertyKey[], message: string): never => {
    throw new InputError(`${file}: ${formatPath(['design', ...path])}: ${message}`);
  };
  const kinds = (['lhs', 'sobol', 'morris'] as const).filter((k) => input[k] !== undefined);
  if (kinds.length !== 1)
    fail(
      [],
      kinds.length === 0
        ? 'expected one of lhs: N, sobol: N or morris: { trajectories: R, levels: L }'
        : `expected one design, found ${kinds.join(' and ')}`,
    );
  if (input.sobol === undefined) {
    for (const key of ['secondOrder', 'scramble'] as const)
      if (input[key] !== undefined) fail([key], `only a Sobol design (design: { sobol: N }) takes ${key}`);
  }
  if (input.lhs !== undefined) return { lhs: input.lhs, label: 'a Latin hypercube design' };
  if (input.sobol !== undefined)
    return {
      sampling: {
        kind: 'sobol',
        n: input.sobol,
        secondOrder: input.secondOrder ?? false,
        scramble: input.scramble ?? false,
      },
      label: 'a Sobol design',
    };
  const { trajectories, levels } = input.morris!;
  if (levels % 2 !== 0)
    fail(
      ['morris', 'levels'],
      `expected an even number of levels (each step jumps half of them), got ${levels}`,
    );
  return { sampling: { kind: 'morris', trajectories, levels }, label: 'a Morris design' };
}
