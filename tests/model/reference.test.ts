/**
 * Differential test against a naive reference implementation of MODEL.md's steps (version 2),
 * in the deterministic corner of the parameter space: every reliability (neutrality and
 * non-aggression included), conditionalFactor, δ, hazard and the settlement rate are 0 or 1,
 * so every draw's result is fixed (u < 1 always holds, u < 0 never, for u in [0, 1)) and the
 * outcome cannot depend on how many numbers are drawn or in which order. An invasion's chance
 * C_i / (C_i + C_j) is 0 or 1 only when one of the two has no capability: a scenario in which
 * a fractional invasion chance would be drawn is discarded (fc.pre).
 * Capabilities are small integers and sufficiency and hegemonyShare multiples of ¼, so every
 * sum and comparison is exact whatever the order of summation. Random scenarios then pin down
 * everything but initiator_prevails: who enters, when, how, on which side, and every count.
 *
 * The reference is written for clarity, not speed: each step, every neutral state (in state
 * order) looks at all of its commitments and neighbours. It follows the interpretation choices
 * listed in simulate.ts's header (triggers evaluated for neutral obligors only; an honored
 * promise to a closed side keeps the state out; balancing tries side 1's hegemony first).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/model/compile.js';
import { cloneParams } from '../../src/model/params.js';
import { RunRng } from '../../src/model/rng.js';
import { emptyOutcome, Simulator } from '../../src/model/simulate.js';
import {
  ALLIANCE_TYPES,
  type Alliance,
  type CompiledSystem,
  ENTRY_BALANCING,
  ENTRY_BORDER,
  ENTRY_INITIAL,
  ENTRY_INVASION,
  ENTRY_NONE,
  ENTRY_OBLIGATION,
  type ModelParams,
  type RunOutcome,
  type Scenario,
} from '../../src/model/types.js';

type Outcome = Omit<RunOutcome, 'initiator_prevails'>;

/** Thrown by the reference where a draw's result would not be fixed (see the header). */
class NotDeterministic extends Error {}

interface RefResult {
  out: Outcome;
  side: number[];
  entryStep: number[];
  entryKind: number[];
}

function reference(sc: Scenario, p: ModelParams): RefResult {
  const n = sc.states.length;
  const index = new Map(sc.states.map((s, i) => [s.id, i]));
  const cap = sc.states.map((s) => s.capability);
  const gp = sc.states.map((s) => s.greatPower);
  const total = cap.reduce((a, b) => a + b, 0);
  const A = index.get(sc.crisis.initiator)!;
  const B = index.get(sc.crisis.target)!;
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const [x, y] of sc.borders) {
    const i = index.get(x)!;
    const j = index.get(y)!;
    if (i === j) continue;
    if (!neighbours[i]!.includes(j)) neighbours[i]!.push(j);
    if (!neighbours[j]!.includes(i)) neighbours[j]!.push(i);
  }
  for (const l of neighbours) l.sort((a, b) => a - b);

  // Commitments of each obligor: every ordered pair of members, or guarantor → protected.
  interface Promise {
    k: number;
    type: Alliance['type'];
    nonprovocation: boolean;
    keep: boolean; // reliability 0 or 1
    adversaries: number[] | null;
    honored?: boolean;
  }
  const notToFight = (type: string) => type === 'neutrality' || type === 'nonaggression';
  const promises: Promise[][] = Array.from({ length: n }, () => []);
  for (const a of sc.alliances) {
    const g = a.guarantors && a.guarantors.length > 0 ? a.guarantors : null;
    for (const x of a.members)
      for (const y of a.members) {
        if (x === y || (g && (!g.includes(x) || g.includes(y)))) continue;
        const r = (a.reliability ?? p.reliability[a.type]) * (a.conditional ? p.conditionalFactor : 1);
        promises[index.get(x)!]!.push({
          k: index.get(y)!,
          type: a.type,
          nonprovocation: !!a.nonprovocation,
          keep: r >= 1,
          adversaries: a.adversaries ? a.adversaries.map((id) => index.get(id)!) : null,
        });
      }
  }

  const side = new Array<number>(n).fill(0);
  const attacked = new Array<boolean>(n).fill(false);
  const entryStep = new Array<number>(n).fill(-1);
  const entryKind = new Array<number>(n).fill(ENTRY_NONE);
  const buck = new Set<number>();
  const cross = new Set<number>();
  side[A] = 1;
  side[B] = 2;
  attacked[B] = true;
  entryStep[A] = entryStep[B] = 0;
  entryKind[A] = entryKind[B] = ENTRY_INITIAL;
  const C = (s: number): number => side.reduce((acc, x, i) => acc + (x === s ? cap[i]! : 0), 0);
  let triggered = 0;
  let honored = 0;
  let entrapments = 0;
  let steps = 0;
  /** Draws a promise the first time it is triggered (or binds), and counts it. */
  const kept = (pr: Promise): boolean => {
    if (pr.honored === undefined) {
      pr.honored = pr.keep;
      triggered++;
      if (pr.keep) honored++;
    }
    return pr.honored;
  };
  /** A pact with named adversaries applies while one of them fights on side s. */
  const applies = (pr: Promise, s: number): boolean =>
    pr.adversaries === null || pr.adversaries.some((x) => side[x] === s);

  // Section 0: w from the coalitions expected one move ahead (only A and B at war, B attacked).
  let e1 = cap[A]!;
  let e2 = cap[B]!;
  for (let j = 0; j < n; j++) {
    if (j === A || j === B) continue;
    const towardA = promises[j]!.filter(
      (pr) => pr.k === A && (pr.adversaries === null || pr.adversaries.includes(B)),
    );
    const towardB = promises[j]!.filter(
      (pr) => pr.k === B && (pr.adversaries === null || pr.adversaries.includes(A)),
    );
    const noneKept = (prs: Promise[]) => prs.reduce((acc, pr) => acc * (pr.keep ? 0 : 1), 1);
    const t1 = towardA.filter((pr) => pr.type === 'offense');
    const t2 = towardB.filter((pr) => !notToFight(pr.type));
    const open1 = noneKept(towardB.filter((pr) => notToFight(pr.type)));
    const open2 = noneKept(towardA.filter((pr) => notToFight(pr.type) && !pr.nonprovocation));
    e1 += (1 - noneKept(t1)) * noneKept(t2) * open1 * cap[j]!;
    e2 += (1 - noneKept(t2)) * noneKept(t1) * open2 * cap[j]!;
  }
  const expectedWin = e1 === 0 && e2 === 0 ? 0.5 : e1 / (e1 + e2);

  for (let t = 1; t <= p.maxSteps; t++) {
    steps = t;
    const c = [0, C(1), C(2)];
    const entrants: [number, number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (side[j] !== 0) continue;
      const honoredTo = [false, false, false];
      const closed = [false, false, false];
      for (const pr of promises[j]!) {
        const sk = side[pr.k]!;
        if (sk === 0 || !applies(pr, 3 - sk)) continue;
        if (notToFight(pr.type)) {
          if (pr.nonprovocation && pr.k === A) continue;
          if (kept(pr)) closed[3 - sk] = true;
          continue;
        }
        const live = pr.type === 'offense' || (attacked[pr.k] && !(pr.nonprovocation && pr.k === A));
        if (live && kept(pr)) honoredTo[sk] = true;
      }
      const entrantsBefore = entrants.length;
      if (honoredTo[1] && honoredTo[2]) cross.add(j);
      else if (honoredTo[1] || honoredTo[2]) {
        const s = honoredTo[1] ? 1 : 2;
        if (!closed[s]) {
          const weaker = c[s]! < p.sufficiency * c[3 - s]!;
          if (p.offenseDominance >= 1 || weaker) {
            if (!weaker) entrapments++;
            entrants.push([j, s, ENTRY_OBLIGATION]);
          } else buck.add(j);
        }
      } else {
        const nb =
          p.borderHazard >= 1
            ? neighbours[j]!.find((k) => side[k] !== 0 && !closed[3 - side[k]!])
            : undefined;
        if (nb !== undefined) entrants.push([j, 3 - side[nb]!, ENTRY_BORDER]);
        else if (p.balanceHazard >= 1 && gp[j]) {
          const limit = p.hegemonyShare * total;
          if (c[1]! > limit && !closed[2]) entrants.push([j, 2, ENTRY_BALANCING]);
          else if (c[2]! > limit && !closed[1]) entrants.push([j, 1, ENTRY_BALANCING]);
        }
      }
      // Invasion: belligerent neighbours in state order, unless one keeps a promise not to fight j.
      if (entrants.length === entrantsBefore && p.invasionHazard >= 1) {
        for (const i of neighbours[j]!) {
          if (side[i] === 0) continue;
          let held = false;
          for (const pr of promises[i]!)
            if (pr.k === j && notToFight(pr.type) && applies(pr, side[i]!) && kept(pr)) held = true;
          if (held) continue;
          const chance = cap[i]! + cap[j]! > 0 ? cap[i]! / (cap[i]! + cap[j]!) : 0;
          if (chance === 0) continue;
          if (chance < 1) throw new NotDeterministic();
          entrants.push([j, 3 - side[i]!, ENTRY_INVASION]);
          break;
        }
      }
    }
    for (const [j, s, kind] of entrants) {
      side[j] = s;
      entryStep[j] = t;
      entryKind[j] = kind;
      if (kind === ENTRY_INVASION) attacked[j] = true;
    }
    for (const [, s] of entrants) for (let i = 0; i < n; i++) if (side[i] === 3 - s) attacked[i] = true;
    if (p.settlement >= 1) break; // settlement 1: the war ends after this step (mediation 0)
  }

  const atWar = side.map((s) => s !== 0);
  const participants = atWar.filter(Boolean).length;
  const gpTotal = gp.filter(Boolean).length;
  const gpAtWar = gp.filter((g, i) => g && atWar[i]).length;
  return {
    out: {
      participants,
      participants_initiator_side: side.filter((s) => s === 1).length,
      participants_target_side: side.filter((s) => s === 2).length,
      great_powers: gpAtWar,
      great_power_war: gp.some((g, i) => g && side[i] === 1) && gp.some((g, i) => g && side[i] === 2),
      world_war: gpTotal > 0 && gpAtWar === gpTotal,
      capability_share: total > 0 ? (C(1) + C(2)) / total : 0,
      steps,
      contained: participants === 2,
      mediated: false,
      commitments_triggered: triggered,
      commitments_honored: honored,
      abandonments: triggered - honored,
      entrapments,
      buck_passes: buck.size,
      cross_pressured: cross.size,
      war: true,
      deterred: false,
      initiator_expected_win: expectedWin,
    },
    side,
    entryStep,
    entryKind,
  };
}

const bit = fc.constantFrom(0, 1);
// Half the states without capability, so that many invasion chances are exactly 0 or 1.
const capability = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }));
const quarter = fc.integer({ min: 0, max: 12 }).map((x) => x / 4);

const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 2, max: 14 }).chain((n) => {
  const idx = fc.integer({ min: 0, max: n - 1 });
  const ids = Array.from({ length: n }, (_, i) => `S${i}`);
  const alliance: fc.Arbitrary<Alliance> = fc
    .record({
      type: fc.constantFrom(...ALLIANCE_TYPES),
      members: fc.uniqueArray(idx, { minLength: 2, maxLength: Math.min(n, 4) }),
      reliability: fc.option(bit, { nil: undefined }),
      nonprovocation: fc.boolean(),
      guarantors: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      adversaries: fc.option(fc.uniqueArray(idx, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      conditional: fc.boolean(),
    })
    .map(({ type, members, reliability, nonprovocation, guarantors, adversaries, conditional }) => {
      const a: Alliance = { name: 'x', type, members: members.map((i) => ids[i]!), nonprovocation };
      if (adversaries !== undefined) a.adversaries = adversaries.map((i) => ids[i]!);
      if (conditional) a.conditional = true;
      if (reliability !== undefined) a.reliability = reliability;
      if (guarantors !== undefined)
        a.guarantors = a.members.slice(0, Math.min(guarantors, a.members.length - 1));
      return a;
    });
  return fc
    .record({
      caps: fc.array(capability, { minLength: n, maxLength: n }),
      gps: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      borders: fc.array(fc.tuple(idx, idx), { maxLength: 2 * n }),
      alliances: fc.array(alliance, { maxLength: 2 * n }),
      a: idx,
      offset: fc.integer({ min: 1, max: n - 1 }),
    })
    .map(({ caps, gps, borders, alliances, a, offset }) => ({
      name: 'random',
      states: ids.map((id, i) => ({ id, name: id, capability: caps[i]!, greatPower: gps[i]! })),
      borders: borders.filter(([x, y]) => x !== y).map(([x, y]) => [ids[x]!, ids[y]!] as [string, string]),
      alliances: alliances.map((al, i) => ({ ...al, name: `pact${i}` })),
      crisis: { initiator: ids[a]!, target: ids[(a + offset) % n]! },
    }));
});

const paramsArb: fc.Arbitrary<ModelParams> = fc
  .record({
    defense: bit,
    offense: bit,
    entente: bit,
    neutrality: bit,
    nonaggression: bit,
    conditionalFactor: bit,
    invasionHazard: bit,
    offenseDominance: bit,
    sufficiency: quarter,
    borderHazard: bit,
    balanceHazard: bit,
    hegemonyShare: quarter.map((x) => Math.min(x, 1)),
    settlement: fc.constantFrom(0, 0, 0, 1),
    maxSteps: fc.integer({ min: 1, max: 20 }),
  })
  .map(({ defense, offense, entente, neutrality, nonaggression, ...rest }) => ({
    ...cloneParams(),
    ...rest,
    mediation: 0,
    deterrence: 0,
    reliability: { defense, offense, entente, neutrality, nonaggression },
  }));

/** The reference's result, or a discarded case where it would draw a fractional chance. */
function referenceOrSkip(sc: Scenario, p: ModelParams): RefResult {
  try {
    return reference(sc, p);
  } catch (err) {
    if (err instanceof NotDeterministic) fc.pre(false);
    throw err;
  }
}

/**
 * One run's outcome and per-state results. Only the first n entries of the per-state arrays
 * are read: a Simulator that switched to a smaller system may keep longer arrays.
 */
function simulateSnap(sim: Simulator, n: number, seed: number, run: number): RefResult {
  const rng = new RunRng();
  rng.reseed(seed, 0, run);
  const out = emptyOutcome();
  sim.run(rng, out);
  const { initiator_prevails: _ignored, ...rest } = out;
  return {
    out: rest,
    side: Array.from(sim.side.subarray(0, n)),
    entryStep: Array.from(sim.entryStep.subarray(0, n)),
    entryKind: Array.from(sim.entryKind.subarray(0, n)),
  };
}

describe('Simulator agrees with a naive reference in the deterministic corner', () => {
  it('same entrants, steps, sides, kinds and counts on random scenarios', () => {
    fc.assert(
      fc.property(scenarioArb, scenarioArb, paramsArb, fc.nat(1000), (sc, other, p, seed) => {
        const want = referenceOrSkip(sc, p);
        const wantOther = referenceOrSkip(other, p);
        const sys = compile(sc);
        const sim = new Simulator(sys, p);
        expect(simulateSnap(sim, sys.n, seed, 0)).toEqual(want);
        expect(simulateSnap(sim, sys.n, seed, 1)).toEqual(want);
        // Where the Simulator can switch systems (load), a workspace that ran another system
        // first must give the same results.
        const reused = new Simulator(compile(other), p) as Simulator & { load?: (s: CompiledSystem) => void };
        if (typeof reused.load === 'function') {
          const otherSys = compile(other);
          simulateSnap(reused, otherSys.n, seed, 2);
          reused.load(sys);
          expect(simulateSnap(reused, sys.n, seed, 3)).toEqual(want);
          reused.load(otherSys);
          expect(simulateSnap(reused, otherSys.n, seed, 4)).toEqual(wantOther);
        }
      }),
      { seed: 424242, numRuns: 300 },
    );
  });

  it('the same with dense alliances and borders, and on chains (long sequences of entries)', () => {
    const dense = fc.integer({ min: 6, max: 14 }).chain((n) => {
      const ids = Array.from({ length: n }, (_, i) => `S${i}`);
      const idx = fc.integer({ min: 0, max: n - 1 });
      return fc
        .record({
          caps: fc.array(capability, { minLength: n, maxLength: n }),
          gps: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          pacts: fc.array(
            fc.tuple(
              idx,
              idx,
              fc.constantFrom(...ALLIANCE_TYPES),
              fc.boolean(),
              fc.option(bit, { nil: undefined }),
            ),
            { minLength: n, maxLength: 3 * n },
          ),
          borders: fc.array(fc.tuple(idx, idx), { minLength: n, maxLength: 3 * n }),
          a: idx,
          offset: fc.integer({ min: 1, max: n - 1 }),
        })
        .map(
          ({ caps, gps, pacts, borders, a, offset }): Scenario => ({
            name: 'dense',
            states: ids.map((id, i) => ({ id, name: id, capability: caps[i]!, greatPower: gps[i]! })),
            borders: borders
              .filter(([x, y]) => x !== y)
              .map(([x, y]) => [ids[x]!, ids[y]!] as [string, string]),
            alliances: pacts
              .filter(([x, y]) => x !== y)
              .map(([x, y, type, np, r], i) => {
                const al: Alliance = { name: `p${i}`, type, members: [ids[x]!, ids[y]!], nonprovocation: np };
                if (r !== undefined) al.reliability = r;
                return al;
              }),
            crisis: { initiator: ids[a]!, target: ids[(a + offset) % n]! },
          }),
        );
    });
    // Chains: a pact of random type between consecutive states (and maybe a border), so wars
    // spread one state per step and buck-passers must re-decide many times.
    const chain = fc.integer({ min: 6, max: 14 }).chain((n) => {
      const ids = Array.from({ length: n }, (_, i) => `S${i}`);
      const link = fc.tuple(
        fc.constantFrom(...ALLIANCE_TYPES),
        fc.boolean(),
        fc.option(bit, { nil: undefined }),
        fc.boolean(),
      );
      return fc
        .record({
          caps: fc.array(capability, { minLength: n, maxLength: n }),
          gps: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          links: fc.array(link, { minLength: n - 1, maxLength: n - 1 }),
          a: fc.integer({ min: 0, max: n - 1 }),
          offset: fc.integer({ min: 1, max: n - 1 }),
        })
        .map(
          ({ caps, gps, links, a, offset }): Scenario => ({
            name: 'chain',
            states: ids.map((id, i) => ({ id, name: id, capability: caps[i]!, greatPower: gps[i]! })),
            borders: links.flatMap(([, , , b], i) => (b ? [[ids[i]!, ids[i + 1]!] as [string, string]] : [])),
            alliances: links.map(([type, np, r], i) => {
              const al: Alliance = {
                name: `l${i}`,
                type,
                members: [ids[i]!, ids[i + 1]!],
                nonprovocation: np,
              };
              if (r !== undefined) al.reliability = r;
              return al;
            }),
            crisis: { initiator: ids[a]!, target: ids[(a + offset) % n]! },
          }),
        );
    });
    fc.assert(
      fc.property(fc.oneof(dense, chain), paramsArb, fc.integer({ min: 6, max: 20 }), (sc, p0, maxSteps) => {
        const p = { ...p0, settlement: 0, maxSteps };
        const sys = compile(sc);
        expect(simulateSnap(new Simulator(sys, p), sys.n, 9, 0)).toEqual(referenceOrSkip(sc, p));
      }),
      { seed: 99, numRuns: 500 },
    );
  });
});
