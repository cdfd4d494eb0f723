/**
 * Pure contagion (MODEL.md, "Pure contagion: the exact special case"): with offenseDominance 1,
 * no hazards, no settlement or mediation, maxSteps ≥ n, every non-neutrality alliance an offense
 * pact of one reliability p and A without alliances, the states at war besides A are exactly
 * the states that reach B along open commitments: j joins as soon as one of its commitments
 * j → k to an at-war k is open, and each ordered commitment is its own Bernoulli(p) draw, made
 * once. The reference below enumerates every open/closed pattern of the commitments (listed
 * here from the alliances by the rule of MODEL.md, not by compile) and runs a small fixpoint
 * over each pattern; the simulated distribution of war size and of the set at war is then
 * compared with it by a chi-square test.
 */
import { describe, expect, it } from 'vitest';
import type { Alliance } from '../../src/model/types.js';
import { ally, chiSquareGof, chiSquareSurvival, type Desc, quiet, runMany, system } from './helpers.js';

interface Exact {
  /** Probability of each set at war (bitmask over state indices, A and B included). */
  bySet: Map<number, number>;
  /** Probability of each number of participants (index = participants). */
  bySize: number[];
}

/** Ordered commitments j → k of an alliance by MODEL.md: every ordered pair, or guarantor → protected. */
function commitmentsOf(a: Alliance): [string, string][] {
  const out: [string, string][] = [];
  for (const j of a.members)
    for (const k of a.members) {
      if (j === k) continue;
      if (a.guarantors && a.guarantors.length > 0 && (!a.guarantors.includes(j) || a.guarantors.includes(k)))
        continue;
      out.push([j, k]);
    }
  return out;
}

function exactReference(d: Desc, p: number): Exact {
  const ids = d.states.split(/\s+/).filter(Boolean);
  const idx = new Map(ids.map((id, i) => [id, i]));
  const [aId, bId] = d.crisis.split('>') as [string, string];
  const A = idx.get(aId)!;
  const B = idx.get(bId)!;
  const edges: [number, number][] = [];
  // A state with a neutrality pact with A can never enter: the pact forbids the side opposite A,
  // which is side 2, the only side anyone enters here (all belligerents but A are on side 2).
  // A neutrality pact between two other states forbids side 1 to each while the other is at war
  // on side 2, which changes nothing, since nobody enters side 1 here.
  const blocked = new Set<number>();
  for (const a of d.alliances ?? []) {
    if (a.type === 'neutrality') {
      for (const [j, k] of commitmentsOf(a)) if (k === aId) blocked.add(idx.get(j)!);
      continue;
    }
    for (const [j, k] of commitmentsOf(a)) edges.push([idx.get(j)!, idx.get(k)!]);
  }
  const m = edges.length;
  expect(m).toBeLessThanOrEqual(20); // 2^m patterns
  const bySet = new Map<number, number>();
  const bySize = new Array<number>(ids.length + 1).fill(0);
  for (let pattern = 0; pattern < 1 << m; pattern++) {
    let prob = 1;
    for (let e = 0; e < m; e++) prob *= (pattern >> e) & 1 ? p : 1 - p;
    let war = (1 << A) | (1 << B);
    for (let changed = true; changed; ) {
      changed = false;
      for (let e = 0; e < m; e++) {
        if (!((pattern >> e) & 1)) continue;
        const [j, k] = edges[e]!;
        if (war & (1 << k) && !(war & (1 << j)) && !blocked.has(j)) {
          war |= 1 << j;
          changed = true;
        }
      }
    }
    bySet.set(war, (bySet.get(war) ?? 0) + prob);
    let size = 0;
    for (let i = 0; i < ids.length; i++) size += (war >> i) & 1;
    bySize[size]! += prob;
  }
  return { bySet, bySize };
}

/** Graphs: A is always the first state and isolated (apart from case 6's neutrality pact). */
const GRAPHS: { name: string; p: number; desc: Desc; perAllianceReliability?: boolean }[] = [
  {
    name: 'path D–C–B–E–F–G',
    p: 0.6,
    desc: {
      states: 'A B C D E F G',
      crisis: 'A>B',
      alliances: [
        ally('offense', 'D C'),
        ally('offense', 'C B'),
        ally('offense', 'B E'),
        ally('offense', 'E F'),
        ally('offense', 'F G'),
      ],
    },
  },
  {
    name: 'star with hub H, B a leaf (reliability set per alliance)',
    p: 0.5,
    perAllianceReliability: true,
    desc: {
      states: 'A B H L M N O',
      crisis: 'A>B',
      alliances: ['B', 'L', 'M', 'N', 'O'].map((leaf) => ally('offense', `H ${leaf}`, { reliability: 0.5 })),
    },
  },
  {
    name: 'guarantees (one-sided pacts)',
    p: 0.7,
    desc: {
      states: 'A B C D E G H',
      crisis: 'A>B',
      alliances: [
        // G guarantees B and C: G → B, G → C only.
        ally('offense', 'G B C', { guarantors: 'G' }),
        // B guarantees E: B → E only, so E can never be drawn in.
        ally('offense', 'B E', { guarantors: 'B' }),
        // H guarantees G.
        ally('offense', 'H G', { guarantors: 'H' }),
        // Bilateral pacts C–G (a second commitment G → C) and C–D.
        ally('offense', 'C G'),
        ally('offense', 'C D'),
      ],
    },
  },
  {
    name: 'two rival cliques (B in the first, no tie between them)',
    p: 0.4,
    desc: {
      states: 'A B C D E F G H',
      crisis: 'A>B',
      alliances: [
        ally('offense', 'B C'),
        ally('offense', 'B D'),
        ally('offense', 'B E'),
        ally('offense', 'C D'),
        ally('offense', 'C E'),
        ally('offense', 'D E'),
        ally('offense', 'F G'),
        ally('offense', 'F H'),
        ally('offense', 'G H'),
      ],
    },
  },
  {
    name: 'two cliques with cross-cutting ties and neutrality pacts',
    p: 0.5,
    desc: {
      states: 'A B C D E F G',
      crisis: 'A>B',
      alliances: [
        ally('offense', 'B C D'), // a three-member pact: 6 commitments
        ally('offense', 'E F'),
        ally('offense', 'F G'),
        ally('offense', 'E G'),
        ally('offense', 'C E'), // cross-cutting ties
        ally('offense', 'D F'),
        ally('neutrality', 'B E'),
        ally('neutrality', 'D G'),
      ],
    },
  },
  {
    name: 'neutrality pact with the initiator blocks a state (and the paths through it)',
    p: 0.65,
    desc: {
      states: 'A B C D E F',
      crisis: 'A>B',
      alliances: [
        ally('offense', 'B C'),
        ally('offense', 'C D'),
        ally('offense', 'D E'),
        ally('offense', 'E F'),
        ally('offense', 'F C'),
        ally('neutrality', 'A D'),
      ],
    },
  },
];

// 40,000 runs per graph: expected counts of all but the rarest outcomes are in the hundreds, so
// the χ² approximation holds after merging bins below 5 expected, and a deviation of about one
// percentage point in a common outcome already gives p < 0.001. Reject at p < 0.001 (fixed seed).
const RUNS = 40_000;

describe('pure contagion matches exact enumeration on small graphs', () => {
  for (const [gi, g] of GRAPHS.entries()) {
    it(g.name, () => {
      const sys = system(g.desc);
      const n = sys.n;
      // Per-alliance reliability must win over the type default: make the default useless.
      const params = quiet({ 'reliability.offense': g.perAllianceReliability ? 0.05 : g.p, maxSteps: n });
      const ref = exactReference(g.desc, g.p);
      const total = [...ref.bySet.values()].reduce((s, x) => s + x, 0);
      expect(total).toBeCloseTo(1, 12);

      const sizeCounts = new Array<number>(n + 1).fill(0);
      const setCounts = new Map<number, number>();
      let notTargetSide = 0;
      runMany(sys, params, RUNS, 1000 + gi, (out, sim) => {
        sizeCounts[out.participants]!++;
        let mask = 0;
        for (let i = 0; i < n; i++) {
          if (sim.side[i] !== 0) mask |= 1 << i;
          if (sim.side[i] !== 0 && i !== sys.initiator && sim.side[i] !== 2) notTargetSide++;
        }
        setCounts.set(mask, (setCounts.get(mask) ?? 0) + 1);
      });
      expect(notTargetSide).toBe(0);

      const size = chiSquareGof(sizeCounts, ref.bySize);
      expect(size.impossible).toBe(0);
      expect(size.p).toBeGreaterThan(0.001);

      // Set distribution: every set ever seen or possible, merged from the rarest up.
      const keys = [...new Set([...ref.bySet.keys(), ...setCounts.keys()])].sort(
        (x, y) => (ref.bySet.get(x) ?? 0) - (ref.bySet.get(y) ?? 0),
      );
      const sets = chiSquareGof(
        keys.map((k) => setCounts.get(k) ?? 0),
        keys.map((k) => ref.bySet.get(k) ?? 0),
      );
      expect(sets.impossible).toBe(0);
      expect(sets.p).toBeGreaterThan(0.001);
    });
  }
});

describe('test statistics helpers', () => {
  it('chi-square survival matches tabulated critical values', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(6.634896601021214, 1)).toBeCloseTo(0.01, 8);
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(124.34211340400407, 100)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(29.58829844507442, 10)).toBeCloseTo(0.001, 9);
    for (const x of [0.1, 1, 5, 20]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
  });

  it('chiSquareGof rejects a wrong distribution and flags impossible outcomes', () => {
    // 10,000 draws split 5,000/5,000 against a claimed 0.55/0.45: χ² ≈ 40, p ≈ 2e-10.
    expect(chiSquareGof([5000, 5000], [0.55, 0.45]).p).toBeLessThan(1e-6);
    expect(chiSquareGof([5000, 5000], [0.5, 0.5]).p).toBeCloseTo(1, 12);
    expect(chiSquareGof([4990, 5000, 10], [0.5, 0.5, 0]).impossible).toBe(10);
  });
});
