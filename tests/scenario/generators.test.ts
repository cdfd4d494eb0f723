import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { generateCommand } from '../../src/cli/generate.js';
import { InputError } from '../../src/errors.js';
import { compile } from '../../src/model/compile.js';
import { RunRng, STREAM_SYSTEM } from '../../src/model/rng.js';
import type { CompiledSystem, Scenario } from '../../src/model/types.js';
import { parseBlocsSpec } from '../../src/scenario/blocs-spec.js';
import {
  type BlocsSpec,
  blocsRates,
  compiledSystemFor,
  DEFAULT_SYSTEM_SEED,
  defaultGreatPowers,
  generateBlocs,
  generateBlocsCompiled,
  generateBlocsWithBlocs,
  systemFor,
} from '../../src/scenario/generators.js';
import { parseScenario } from '../../src/scenario/load.js';
import { scenarioToYaml } from '../../src/scenario/write.js';

const spec = (over: Partial<BlocsSpec> = {}): BlocsSpec => ({
  generator: 'blocs',
  states: 30,
  greatPowers: 6,
  tightness: 0.5,
  ...over,
});

function draw(s: BlocsSpec, seed: number): { scenario: Scenario; bloc: number[] } {
  return generateBlocsWithBlocs(s, new RunRng(seed, 0, 0, STREAM_SYSTEM));
}

/** Fields where two compiled systems differ (typed arrays compared element by element, NaN = NaN). */
function systemDiff(a: CompiledSystem, b: CompiledSystem): string[] {
  const out: string[] = [];
  for (const key of Object.keys(a) as (keyof CompiledSystem)[]) {
    const x = a[key] as unknown;
    const y = b[key] as unknown;
    if (ArrayBuffer.isView(x) || Array.isArray(x)) {
      const xs = x as ArrayLike<unknown>;
      const ys = y as ArrayLike<unknown>;
      let same = xs.length === ys.length && Object.getPrototypeOf(xs) === Object.getPrototypeOf(ys);
      for (let i = 0; same && i < xs.length; i++) same = Object.is(xs[i], ys[i]);
      if (!same) out.push(key);
    } else if (!Object.is(x, y)) out.push(key);
  }
  if (Object.keys(a).length !== Object.keys(b).length) out.push('(fields)');
  return out;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * What every scenario file must satisfy, and the generator's own promises about roles; returns
 * the problems found (collected rather than asserted one by one: per-call expect is slow here).
 */
function problems(s: Scenario, bloc: number[], greatPowers: number): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  const ids = s.states.map((x) => x.id);
  const known = new Set(ids);
  check(known.size === ids.length, 'state ids unique');
  const width = Math.max(2, String(ids.length).length);
  for (const [i, id] of ids.entries()) check(id === `S${String(i + 1).padStart(width, '0')}`, `id ${id}`);
  let total = 0;
  for (const x of s.states) {
    check(x.capability >= 0, `capability of ${x.id}`);
    total += x.capability;
  }
  // Each share is rounded to 6 significant digits: at most 5e-7 off each.
  check(Math.abs(total - 1) < 5e-7 * ids.length + 1e-12, `capabilities sum to ${total}`);
  const great = s.states.filter((x) => x.greatPower);
  check(great.length === greatPowers, `${great.length} great powers`);
  if (greatPowers > 0) {
    const minGreat = Math.min(...great.map((x) => x.capability));
    const maxMinor = Math.max(...s.states.filter((x) => !x.greatPower).map((x) => x.capability));
    check(minGreat >= maxMinor, 'great powers have the largest capabilities');
  }
  const borders = new Set<string>();
  for (const [a, b] of s.borders) {
    check(known.has(a) && known.has(b) && a !== b, `border ${a}-${b}`);
    borders.add(pairKey(a, b));
  }
  check(borders.size === s.borders.length, 'borders unique');
  const names = new Set<string>();
  const pairs = new Set<string>();
  for (const a of s.alliances) {
    const [x, y] = a.members;
    check(a.members.length === 2 && known.has(x!) && known.has(y!) && x !== y, `members of ${a.name}`);
    check(a.type === 'defense' || a.type === 'entente' || a.type === 'neutrality', `type of ${a.name}`);
    check(
      a.reliability === undefined || (a.reliability >= 0 && a.reliability <= 1),
      `reliability of ${a.name}`,
    );
    check(
      a.type !== 'neutrality' || (a.reliability === undefined && a.nonprovocation === undefined),
      `terms of ${a.name}`,
    );
    names.add(a.name);
    pairs.add(pairKey(x!, y!));
  }
  check(names.size === s.alliances.length, 'alliance names unique');
  check(pairs.size === s.alliances.length, 'one alliance per pair');
  const { initiator, target } = s.crisis;
  check(known.has(initiator) && known.has(target) && initiator !== target, 'crisis states');
  const A = ids.indexOf(initiator);
  const B = ids.indexOf(target);
  check(!s.states[A]?.greatPower && !s.states[B]?.greatPower, 'crisis states are minor');
  check(borders.has(pairKey(initiator, target)), 'crisis states border each other');
  check(bloc[A] === 0 && bloc[B] === 1, 'crisis states in blocs 1 and 2');
  for (const [i, x] of s.states.entries())
    check(!x.greatPower || bloc[i]! >= 0, `great power ${x.id} in a bloc`);
  return out;
}

describe('blocs generator: validity', () => {
  it('makes valid systems for any valid spec, the same as compile() does in its fast path', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 70 }).chain((states) =>
          fc.record({
            states: fc.constant(states),
            blocs: fc.integer({ min: 2, max: Math.floor(states / 2) }),
            greatPowers: fc.integer({ min: 0, max: states - 2 }),
            tightness: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
            capability: fc.constantFrom('pareto', 'uniform', 'equal', {
              distribution: 'pareto',
              shape: 0.8,
            }) as fc.Arbitrary<BlocsSpec['capability']>,
            reliability: fc.boolean(),
            seed: fc.nat(),
          }),
        ),
        ({ seed, ...rest }) => {
          const s: BlocsSpec = { generator: 'blocs', ...rest };
          expect(parseBlocsSpec(s, 'test')).toEqual(s);
          const { scenario, bloc } = draw(s, seed);
          expect(problems(scenario, bloc, s.greatPowers!)).toEqual([]);
          const compiled = compile(scenario);
          expect(
            systemDiff(generateBlocsCompiled(s, new RunRng(seed, 0, 0, STREAM_SYSTEM)), compiled),
          ).toEqual([]);
          expect(
            systemDiff(generateBlocsCompiled(s, new RunRng(seed, 0, 0, STREAM_SYSTEM), true), compiled),
          ).toEqual([]);
          if (s.reliability === false)
            expect(scenario.alliances.every((a) => a.reliability === undefined)).toBe(true);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });

  it('writes a scenario file that reads back as the same system', () => {
    for (const tightness of [0, 0.6, 1]) {
      const s = spec({ tightness, systemSeed: 11 });
      const scenario = systemFor(s, 0, 0, 0);
      const back = parseScenario(scenarioToYaml(scenario, 'test'), 'generated.yaml');
      expect(compile(back)).toEqual(compile(scenario));
      expect(back.alliances).toEqual(scenario.alliances);
      expect(back.name).toBe(scenario.name);
    }
  });

  it('has a ring geography with contiguous blocs', () => {
    const { scenario } = draw(spec({ states: 10, greatPowers: 2, tightness: 1 }), 1);
    // Each state borders the two nearest on either side of the ring.
    expect(scenario.borders).toHaveLength(20);
    expect(scenario.crisis).toEqual({ initiator: 'S05', target: 'S06' });
    expect(scenario.states.filter((s) => s.greatPower).map((s) => s.id)).toEqual(['S03', 'S09']);
  });
});

describe('blocs generator: determinism', () => {
  it('fixes a system by its seed and draws a new one per run when asked', () => {
    const fixed = spec({ systemSeed: 5 });
    expect(systemFor(fixed, 1, 0, 0)).toEqual(systemFor(fixed, 2, 7, 9));
    expect(systemFor(fixed, 1, 0, 0)).not.toEqual(systemFor(spec({ systemSeed: 6 }), 1, 0, 0));
    expect(systemFor(spec(), 1, 0, 0)).toEqual(systemFor(spec({ systemSeed: DEFAULT_SYSTEM_SEED }), 3, 3, 3));
    const perRun = spec({ perRun: true });
    expect(systemFor(perRun, 1, 2, 3)).toEqual(systemFor(perRun, 1, 2, 3));
    expect(systemFor(perRun, 1, 2, 3)).not.toEqual(systemFor(perRun, 1, 2, 4));
    expect(systemFor(perRun, 1, 2, 3)).not.toEqual(systemFor(perRun, 1, 3, 3));
    const rng = new RunRng();
    expect(
      systemDiff(compiledSystemFor(perRun, 1, 2, 3, rng), compile(systemFor(perRun, 1, 2, 3, rng))),
    ).toEqual([]);
    expect(
      systemDiff(compiledSystemFor(perRun, 1, 2, 3, rng), compiledSystemFor(perRun, 1, 2, 4, rng)),
    ).toContain('commitmentPartner');
    // Reused buffers: a dense system, then sparse ones of the same size, each as compile() makes it.
    for (const [tightness, run] of [
      [1, 1],
      [0, 2],
      [0.5, 3],
      [0, 4],
    ] as const) {
      const s = spec({ tightness, perRun: true });
      const reused = compiledSystemFor(s, 9, 0, run, rng, true);
      expect(systemDiff(reused, compile(systemFor(s, 9, 0, run, rng)))).toEqual([]);
    }
    // The run's SYSTEM stream, as documented.
    expect(systemFor(perRun, 1, 2, 3)).toEqual(generateBlocs(perRun, new RunRng(1, 2, 3, STREAM_SYSTEM)));
  });
});

describe('blocs generator: the ends of the tightness scale', () => {
  it('τ = 1: two rigid blocs of automatic defense pacts', () => {
    for (const [states, blocs, greatPowers, seed] of [
      [30, 2, 6, 1],
      [31, 3, 5, 2],
      [4, 2, 2, 3],
      [57, 4, 0, 4],
    ] as const) {
      const s = spec({ states, blocs, greatPowers, tightness: 1 });
      const { scenario, bloc } = draw(s, seed);
      expect(bloc.every((b) => b >= 0)).toBe(true);
      // Blocs are contiguous regions of the ring.
      expect(bloc).toEqual([...bloc].sort((a, b) => a - b));
      expect(new Set(bloc).size).toBe(blocs);
      const index = new Map(scenario.states.map((x, i) => [x.id, i]));
      const allied = new Set<string>();
      for (const a of scenario.alliances) {
        const [i, j] = a.members.map((m) => index.get(m)!) as [number, number];
        expect(bloc[i]).toBe(bloc[j]);
        expect(a.type).toBe('defense');
        expect(a.nonprovocation).toBeUndefined();
        expect(a.reliability).toBe(0.95);
        allied.add(pairKey(a.members[0]!, a.members[1]!));
      }
      for (let i = 0; i < states; i++) {
        for (let j = i + 1; j < states; j++) {
          if (bloc[i] === bloc[j])
            expect(allied.has(pairKey(scenario.states[i]!.id, scenario.states[j]!.id))).toBe(true);
        }
      }
    }
  });

  it('τ = 0: a loose web of conditional, cross-cutting ties with many states unaligned', () => {
    let unaligned = 0;
    let cross = 0;
    let conditional = 0;
    let promises = 0;
    let allianceCount = 0;
    for (let seed = 0; seed < 50; seed++) {
      const { scenario, bloc } = draw(spec({ tightness: 0 }), seed);
      const index = new Map(scenario.states.map((x, i) => [x.id, i]));
      unaligned += bloc.filter((b) => b < 0).length;
      for (const a of scenario.alliances) {
        const [i, j] = a.members.map((m) => index.get(m)!) as [number, number];
        if (bloc[i]! < 0 || bloc[i] !== bloc[j]) cross++;
        if (a.type !== 'neutrality') {
          promises++;
          if (a.nonprovocation) conditional++;
          expect(a.reliability).toBe(a.type === 'defense' ? 0.55 : 0.3);
        }
        allianceCount++;
      }
    }
    // Expected (see blocsRates): 0.7 of the 22 free minor states unaligned (15.4 per system),
    // about 20 cross-cutting ties per system, 0.6 of the promises conditional.
    expect(unaligned / 50).toBeGreaterThan(12);
    expect(cross / allianceCount).toBeGreaterThan(0.5);
    expect(conditional / promises).toBeGreaterThan(0.5);
  });
});

interface Metrics {
  inBloc: number;
  withinDensity: number;
  defenseShare: number;
  nonprovocationShare: number;
  meanReliability: number;
  crossTies: number;
}

function metrics(scenario: Scenario, bloc: number[]): Metrics {
  const index = new Map(scenario.states.map((x, i) => [x.id, i]));
  const n = bloc.length;
  let withinPairs = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) if (bloc[i]! >= 0 && bloc[i] === bloc[j]) withinPairs++;
  let within = 0;
  let defense = 0;
  let promises = 0;
  let conditional = 0;
  let reliability = 0;
  let cross = 0;
  for (const a of scenario.alliances) {
    const [i, j] = a.members.map((m) => index.get(m)!) as [number, number];
    if (bloc[i]! >= 0 && bloc[i] === bloc[j]) within++;
    else cross++;
    if (a.type === 'defense') defense++;
    if (a.type !== 'neutrality') {
      promises++;
      if (a.nonprovocation) conditional++;
      reliability += a.reliability!;
    }
  }
  return {
    inBloc: bloc.filter((b) => b >= 0).length / n,
    withinDensity: within / withinPairs,
    defenseShare: defense / scenario.alliances.length,
    nonprovocationShare: promises === 0 ? 0 : conditional / promises,
    meanReliability: promises === 0 ? 0 : reliability / promises,
    crossTies: cross,
  };
}

describe('blocs generator: monotone in tightness', () => {
  it('tightens every aspect in expectation as τ rises', () => {
    const taus = [0, 0.25, 0.5, 0.75, 1];
    const systems = 200;
    const keys: (keyof Metrics)[] = [
      'inBloc',
      'withinDensity',
      'defenseShare',
      'nonprovocationShare',
      'meanReliability',
      'crossTies',
    ];
    const rising: Record<keyof Metrics, boolean> = {
      inBloc: true,
      withinDensity: true,
      defenseShare: true,
      nonprovocationShare: false,
      meanReliability: true,
      crossTies: false,
    };
    const summary = taus.map((tightness) => {
      const values = keys.map(() => [] as number[]);
      for (let seed = 0; seed < systems; seed++) {
        const { scenario, bloc } = draw(spec({ tightness }), 1000 * tightness + seed);
        const m = metrics(scenario, bloc);
        for (const [i, k] of keys.entries()) values[i]!.push(m[k]);
      }
      return values.map((v) => {
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
        return { mean, se: Math.sqrt(variance / v.length) };
      });
    });
    for (let t = 1; t < taus.length; t++) {
      keys.forEach((k, i) => {
        const before = summary[t - 1]![i]!;
        const after = summary[t]![i]!;
        const step = rising[k] ? after.mean - before.mean : before.mean - after.mean;
        // The change must exceed 3 standard errors of the difference of two 200-system means
        // (at τ = 1 the metrics are exact, se 0), so noise alone would not pass.
        expect(step, `${k} from τ = ${taus[t - 1]} to ${taus[t]}`).toBeGreaterThan(
          3 * Math.hypot(before.se, after.se),
        );
      });
    }
    // Within-bloc density is the documented pair probability, to 4 standard errors.
    taus.forEach((tightness, t) => {
      const { mean, se } = summary[t]![1]!;
      expect(Math.abs(mean - blocsRates(tightness, 30).withinAllied)).toBeLessThanOrEqual(4 * se + 1e-12);
    });
    for (const [i, m] of summary[4]!.entries()) expect(m.mean).toBeCloseTo([1, 1, 1, 0, 0.95, 0][i]!, 12);
  });
});

describe('blocs spec checking', () => {
  it('accepts a minimal spec and fills no defaults in', () => {
    expect(parseBlocsSpec({ generator: 'blocs', states: 12, tightness: 0.3 }, 'e.yaml')).toEqual({
      generator: 'blocs',
      states: 12,
      tightness: 0.3,
    });
    expect(defaultGreatPowers(30)).toBe(6);
    expect(defaultGreatPowers(4)).toBe(1);
  });

  it('explains what is wrong, with the file and path', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ tightness: 1.2 }, /^e\.yaml: scenarios\[1\]\.tightness: expected a number from 0 to 1/],
      [{ states: 3 }, /^e\.yaml: scenarios\[1\]\.states: expected at least 4 states/],
      [{ states: 12.5 }, /^e\.yaml: scenarios\[1\]\.states: expected a whole number/],
      [{ blocs: 7 }, /^e\.yaml: scenarios\[1\]\.blocs: expected at most 6 blocs for 12 states/],
      [{ greatPowers: 11 }, /^e\.yaml: scenarios\[1\]\.greatPowers: expected at most 10 great powers/],
      [
        { capability: 'lognormal' },
        /^e\.yaml: scenarios\[1\]\.capability: expected "pareto", "uniform", "equal"/,
      ],
      [
        { capability: { distribution: 'uniform', shape: 2 } },
        /^e\.yaml: scenarios\[1\]\.capability\.shape: only the pareto/,
      ],
      [{ systemSeed: -1 }, /^e\.yaml: scenarios\[1\]\.systemSeed: expected a whole number/],
      [{ colour: 'red' }, /^e\.yaml: scenarios\[1\]: .*colour/],
    ];
    for (const [change, message] of bad) {
      const run = () =>
        parseBlocsSpec({ generator: 'blocs', states: 12, tightness: 0.3, ...change }, 'e.yaml', [
          'scenarios',
          1,
        ]);
      expect(run).toThrow(InputError);
      expect(run).toThrow(message);
    }
  });
});

describe('entangle generate blocs', () => {
  const cli = () =>
    yargs()
      .command(generateCommand as never)
      .strict()
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      });

  it('writes the system of its seed as a scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entangle-generate-'));
    try {
      const out = join(dir, 'tight.yaml');
      await cli().parseAsync([
        'generate',
        'blocs',
        '--states',
        '30',
        '--blocs',
        '2',
        '--great-powers',
        '6',
        '--tightness',
        '0.8',
        '--seed',
        '7',
        '--out',
        out,
      ]);
      const text = readFileSync(out, 'utf8');
      expect(text.startsWith('# ')).toBe(true);
      const expected = systemFor(
        { generator: 'blocs', states: 30, blocs: 2, greatPowers: 6, tightness: 0.8, systemSeed: 7 },
        0,
        0,
        0,
      );
      expect(compile(parseScenario(text, out))).toEqual(compile(expected));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad numbers as input errors', async () => {
    // yargs may throw before it returns a promise: run it inside an async function either way.
    const parse = async (argv: string[]) => cli().parseAsync(argv);
    await expect(parse(['generate', 'blocs', '--states', '30', '--tightness', 'abc'])).rejects.toThrow(
      /--tightness: expected a number from 0 to 1/,
    );
    await expect(
      parse(['generate', 'blocs', '--states', '30', '--tightness', '0.5', '--great-powers', '29']),
    ).rejects.toThrow(/--great-powers: expected at most 28 great powers/);
  });
});
