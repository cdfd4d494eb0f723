/**
 * One focused test per rule of MODEL.md. Wherever possible the settings are deterministic
 * (reliability 1 or 0, hazards 0 or 1, δ 0 or 1, no settlement), so the expected outcome follows
 * from the rule by hand and is asserted exactly. Statistical checks use a fixed seed and a
 * tolerance of 4.5 standard errors for the run count used (see shareTolerance in helpers.ts), or
 * a chi-square goodness-of-fit test rejected at p < 0.001.
 */
import { describe, expect, it } from 'vitest';
import { cloneParams, DEFAULT_PARAMS, setParam } from '../../src/model/params.js';
import {
  ENTRY_BALANCING,
  ENTRY_BORDER,
  ENTRY_INITIAL,
  ENTRY_NONE,
  ENTRY_OBLIGATION,
  type ModelParams,
} from '../../src/model/types.js';
import {
  ally,
  chiSquareGof,
  collect,
  type Desc,
  mean,
  quiet,
  type RunResult,
  runMany,
  runOnce,
  shareTolerance,
  system,
} from './helpers.js';

const N = 20_000; // runs for each statistical check: a share's standard error is at most 0.0035

const once = (d: Desc, p: ModelParams = quiet(), seed = 1): RunResult => runOnce(system(d), p, seed);

/** Share of N runs satisfying `pred`. */
function share(d: Desc, p: ModelParams, seed: number, pred: (r: RunResult) => boolean): number {
  return collect(system(d), p, N, seed).filter(pred).length / N;
}

/** P(first success at step t) for t = 1..maxT−1 and P(no success before maxT) in the last bin. */
function geometric(q: number, maxT: number): number[] {
  const probs = [0]; // index 0 unused (steps start at 1)
  for (let t = 1; t < maxT; t++) probs.push((1 - q) ** (t - 1) * q);
  probs.push((1 - q) ** (maxT - 1));
  return probs;
}

// ---------------------------------------------------------------------------------------------

describe('parameters', () => {
  it('defaults are the table of MODEL.md', () => {
    expect(DEFAULT_PARAMS).toEqual({
      reliability: { defense: 0.75, offense: 0.75, entente: 0.5, neutrality: 0.78, nonaggression: 0.37 },
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
    });
  });
});

describe('triggers (casus foederis) by alliance type', () => {
  it('defense: triggered only when the partner is attacked', () => {
    // B is attacked at step 0; A is not attacked unless someone enters against it.
    const r = once({
      states: 'A B C D',
      crisis: 'A>B',
      alliances: [ally('defense', 'C B'), ally('defense', 'D A')],
    });
    expect(r.side.C).toBe(2);
    expect(r.step.C).toBe(1);
    expect(r.kind.C).toBe(ENTRY_OBLIGATION);
    // C's entry attacks A, so D's promise is triggered a step later (see entry effects).
    expect(r.step.D).toBe(2);

    const alone = once({ states: 'A B D', crisis: 'A>B', alliances: [ally('defense', 'D A')] });
    expect(alone.side.D).toBe(0);
    expect(alone.out.commitments_triggered).toBe(0);
    expect(alone.out.participants).toBe(2);
  });

  it('offense: triggered as soon as the partner is at war, attacked or not', () => {
    const r = once({
      states: 'A B C D',
      crisis: 'A>B',
      alliances: [ally('offense', 'D A'), ally('offense', 'C B')],
    });
    expect(r.side.D).toBe(1);
    expect(r.step.D).toBe(1);
    expect(r.side.C).toBe(2);
    expect(r.step.C).toBe(1);
    expect(r.out.commitments_triggered).toBe(2);
  });

  it('entente: triggered like defense (only when the partner is attacked)', () => {
    const r = once({
      states: 'A B C D',
      crisis: 'A>B',
      alliances: [ally('entente', 'C B'), ally('entente', 'D A')],
    });
    expect(r.side.C).toBe(2);
    expect(r.step.C).toBe(1);
    expect(r.side.D).toBe(1); // A attacked by C's entry
    expect(r.step.D).toBe(2);
    const alone = once({ states: 'A B D', crisis: 'A>B', alliances: [ally('entente', 'D A')] });
    expect(alone.side.D).toBe(0);
    expect(alone.out.commitments_triggered).toBe(0);
  });

  it('default reliabilities: defense kept 3/4 of the time, entente 1/2', () => {
    const d: Desc = {
      states: 'A B C D',
      crisis: 'A>B',
      alliances: [ally('entente', 'C B'), ally('defense', 'D B')],
    };
    // The reliabilities are left at their defaults; everything else is made deterministic.
    const p = cloneParams();
    for (const [k, v] of Object.entries({
      offenseDominance: 1,
      borderHazard: 0,
      balanceHazard: 0,
      settlement: 0,
      mediation: 0,
    }))
      setParam(p, k, v);
    const runs = collect(system(d), p, N, 11);
    const c = runs.filter((r) => r.side.C === 2).length / N;
    const dd = runs.filter((r) => r.side.D === 2).length / N;
    expect(Math.abs(c - 0.5)).toBeLessThan(shareTolerance(0.5, N));
    expect(Math.abs(dd - 0.75)).toBeLessThan(shareTolerance(0.75, N));
    for (const r of runs) {
      expect(r.out.commitments_triggered).toBe(2);
      expect(r.out.commitments_honored).toBe((r.side.C === 2 ? 1 : 0) + (r.side.D === 2 ? 1 : 0));
    }
  });

  it('neutrality: never triggers entry, on either side', () => {
    const r = once({
      states: 'A B C D',
      crisis: 'A>B',
      alliances: [ally('neutrality', 'C B'), ally('neutrality', 'D A')],
    });
    expect(r.side.C).toBe(0);
    expect(r.side.D).toBe(0);
    // (v2) Both promises bind (their partners are at war) and are counted, kept for sure here.
    expect(r.out.commitments_triggered).toBe(2);
    expect(r.out.commitments_honored).toBe(2);
    expect(r.out.participants).toBe(2);
  });

  it('a triggered promise is drawn once: an abandoned one is not redrawn while the war goes on', () => {
    // A's offense allies D1..D6 join one per step, so the war never stands still; C's promise to B
    // (reliability 0.5) is triggered at step 1. If it were redrawn every step, C would join in
    // about 1 − 0.5⁶ of the runs instead of one half.
    const d: Desc = {
      states: 'A B C D1 D2 D3 D4 D5 D6',
      crisis: 'A>B',
      alliances: [
        ally('defense', 'C B', { reliability: 0.5 }),
        ally('offense', 'D1 A'),
        ally('offense', 'D2 D1'),
        ally('offense', 'D3 D2'),
        ally('offense', 'D4 D3'),
        ally('offense', 'D5 D4'),
        ally('offense', 'D6 D5'),
      ],
    };
    const runs = collect(system(d), quiet(), N, 12);
    expect(runs.every((r) => r.step.D6 === 6)).toBe(true);
    expect(runs.every((r) => r.step.C === -1 || r.step.C === 1)).toBe(true);
    const joined = runs.filter((r) => r.side.C === 2).length / N;
    expect(Math.abs(joined - 0.5)).toBeLessThan(shareTolerance(0.5, N));
    // C→B is counted once per run; the offense commitments D_i → D_(i−1) add 6.
    for (const r of runs) {
      expect(r.out.commitments_triggered).toBe(7);
      expect(r.out.abandonments).toBe(r.side.C === 2 ? 0 : 1);
    }
  });
});

describe('nonprovocation', () => {
  it("releases the initiator's allies but not the target's", () => {
    // D (B's ally) enters at step 1 and attacks A; C's defense promise to A, the provoker, is
    // void under nonprovocation, so C stays out for good.
    const d = (np: boolean): Desc => ({
      states: 'A B C D',
      crisis: 'A>B',
      alliances: [
        ally('defense', 'C A', { nonprovocation: np }),
        ally('defense', 'D B', { nonprovocation: true }),
      ],
    });
    const r = once(d(true));
    expect(r.side.D).toBe(2);
    expect(r.step.D).toBe(1);
    expect(r.side.C).toBe(0);
    expect(r.out.commitments_triggered).toBe(1); // C → A is never triggered
    // Control: without the clause C honors its promise once A is attacked.
    const control = once(d(false));
    expect(control.side.C).toBe(1);
    expect(control.step.C).toBe(2);
    expect(control.out.commitments_triggered).toBe(2);
  });

  it('applies to entente promises too', () => {
    const r = once({
      states: 'A B C D',
      crisis: 'A>B',
      alliances: [
        ally('entente', 'C A', { nonprovocation: true }),
        ally('entente', 'D B', { nonprovocation: true }),
      ],
    });
    expect(r.side.D).toBe(2);
    expect(r.side.C).toBe(0);
  });
});

describe('guarantee (one-sided pact)', () => {
  const pacts = [ally('defense', 'G P', { guarantors: 'G' })];
  it('the guarantor defends the protected member', () => {
    const r = once({ states: 'A G P', crisis: 'A>P', alliances: pacts });
    expect(r.side.G).toBe(2);
    expect(r.step.G).toBe(1);
    expect(r.out.commitments_triggered).toBe(1);
  });

  it('the protected member owes the guarantor nothing', () => {
    const r = once({ states: 'A G P', crisis: 'A>G', alliances: pacts });
    expect(r.side.P).toBe(0);
    expect(r.out.commitments_triggered).toBe(0);
    // Same with an offensive guarantee: G joins its protégé's attack, never the reverse.
    const off = [ally('offense', 'G P', { guarantors: 'G' })];
    expect(once({ states: 'A G P', crisis: 'P>A', alliances: off }).side.G).toBe(1);
    expect(once({ states: 'A G P', crisis: 'G>A', alliances: off }).side.P).toBe(0);
  });
});

describe('neutrality pact', () => {
  it('keeps its member out of the war against its partner, even when obliged to fight', () => {
    const d = (neutral: boolean): Desc => ({
      states: 'A B C',
      crisis: 'A>B',
      alliances: [ally('defense', 'C B'), ...(neutral ? [ally('neutrality', 'C A')] : [])],
    });
    const r = once(d(true));
    expect(r.side.C).toBe(0);
    // (v2) The defense promise and the neutrality promise, both kept.
    expect(r.out.commitments_triggered).toBe(2);
    expect(r.out.commitments_honored).toBe(2);
    expect(once(d(false)).side.C).toBe(2);
  });

  it("does not stop its member joining its partner's side", () => {
    const r = once({
      states: 'A B C',
      crisis: 'A>B',
      alliances: [ally('offense', 'C A'), ally('neutrality', 'C A')],
    });
    expect(r.side.C).toBe(1);
  });

  it('closes the side on the opportunity paths too', () => {
    // Border contagion against A is closed; against B (next in state order) it is not.
    const p = quiet({ borderHazard: 1 });
    const only = once(
      { states: 'A B C', borders: 'C-A', crisis: 'A>B', alliances: [ally('neutrality', 'C A')] },
      p,
    );
    expect(only.side.C).toBe(0);
    const both = once(
      { states: 'A B C', borders: 'C-A C-B', crisis: 'A>B', alliances: [ally('neutrality', 'C A')] },
      p,
    );
    expect(both.side.C).toBe(1);
    expect(both.kind.C).toBe(ENTRY_BORDER);
    // Balancing against a would-be hegemon A is closed to a great power at peace with it.
    const bal = quiet({ balanceHazard: 1 });
    const g = once(
      {
        states: 'A B G',
        caps: { A: 6, B: 1, G: 3 },
        gps: 'G',
        crisis: 'A>B',
        alliances: [ally('neutrality', 'G A')],
      },
      bal,
    );
    expect(g.side.G).toBe(0);
  });
});

describe('cross-pressure', () => {
  it('honored promises to both sides keep a state out, counted once', () => {
    const r = once({
      states: 'A B C',
      crisis: 'A>B',
      alliances: [ally('offense', 'C A'), ally('offense', 'C B')],
    });
    expect(r.side.C).toBe(0);
    expect(r.out.cross_pressured).toBe(1); // over all 10 steps
    expect(r.out.commitments_triggered).toBe(2);
    expect(r.out.commitments_honored).toBe(2);
    expect(r.out.participants).toBe(2);
    expect(r.out.entrapments).toBe(0);
    expect(r.out.buck_passes).toBe(0);
  });

  it('an abandoned promise to one side leaves the state free to honor the other', () => {
    const r = once({
      states: 'A B C',
      crisis: 'A>B',
      alliances: [ally('offense', 'C A', { reliability: 0 }), ally('offense', 'C B')],
    });
    expect(r.side.C).toBe(2);
    expect(r.out.cross_pressured).toBe(0);
    expect(r.out.abandonments).toBe(1);
  });
});

describe('offense dominance: chain-ganging and buck-passing', () => {
  // B's defensive ally C; B alone is already stronger than A (10 vs 1).
  const strong: Desc = {
    states: 'A B C',
    caps: { A: 1, B: 10 },
    crisis: 'A>B',
    alliances: [ally('defense', 'C B')],
  };
  const weak: Desc = { ...strong, caps: { A: 10, B: 1 } };

  it('δ = 1: chain-ganging, enters at once even when its side is stronger (an entrapment)', () => {
    const r = once(strong, quiet({ offenseDominance: 1 }));
    expect(r.side.C).toBe(2);
    expect(r.step.C).toBe(1);
    expect(r.out.entrapments).toBe(1);
    expect(r.out.buck_passes).toBe(0);
  });

  it('δ = 0: buck-passing while its side is stronger, counted once per state', () => {
    const r = once(strong, quiet({ offenseDominance: 0 }));
    expect(r.side.C).toBe(0);
    expect(r.out.buck_passes).toBe(1); // passed the buck in all 10 steps, counted once
    expect(r.out.entrapments).toBe(0);
  });

  it('δ = 0: enters when its side is weaker (no entrapment)', () => {
    for (const delta of [0, 1]) {
      const r = once(weak, quiet({ offenseDominance: delta }));
      expect(r.side.C).toBe(2);
      expect(r.step.C).toBe(1);
      expect(r.out.entrapments).toBe(0);
      expect(r.out.buck_passes).toBe(0);
    }
  });

  it('a buck-passer decides again each step and enters once its side becomes weaker', () => {
    // Step 1: D (A's ally, 5) joins A's weaker side; C passes the buck (B 2 vs A 1).
    // Step 2: side 2 (2) is now weaker than side 1 (6): C enters.
    const r = once(
      {
        states: 'A B C D',
        caps: { A: 1, B: 2, C: 1, D: 5 },
        crisis: 'A>B',
        alliances: [ally('defense', 'C B'), ally('offense', 'D A')],
      },
      quiet({ offenseDominance: 0 }),
    );
    expect(r.step.D).toBe(1);
    expect(r.step.C).toBe(2);
    expect(r.out.buck_passes).toBe(1);
    expect(r.out.entrapments).toBe(0);
  });

  it('"weaker" is C_s < sufficiency · C_other', () => {
    const d: Desc = {
      states: 'A B C',
      caps: { A: 2, B: 3 },
      crisis: 'A>B',
      alliances: [ally('defense', 'C B')],
    };
    expect(once(d, quiet({ offenseDominance: 0, sufficiency: 1 })).side.C).toBe(0); // 3 < 2? no
    expect(once(d, quiet({ offenseDominance: 0, sufficiency: 2 })).side.C).toBe(2); // 3 < 4
    expect(once(d, quiet({ offenseDominance: 0, sufficiency: 1.5 })).side.C).toBe(0); // 3 < 3? no
  });

  it('steps are synchronous: simultaneous entrants all see the situation before the step', () => {
    // C and D each see side 2 (1) weaker than side 1 (1.5) and enter together, though after
    // either one's entry side 2 would no longer be weaker.
    const d: Desc = {
      states: 'A B C D',
      caps: { A: 1.5, B: 1, C: 1, D: 1 },
      crisis: 'A>B',
      alliances: [ally('defense', 'C B'), ally('defense', 'D B')],
    };
    const r = once(d, quiet({ offenseDominance: 0 }));
    expect(r.step.C).toBe(1);
    expect(r.step.D).toBe(1);
    expect(r.out.entrapments).toBe(0);
    // With side 2 already stronger and δ = 1, both entries are entrapments.
    const r2 = once({ ...d, caps: { A: 0.5, B: 1, C: 1, D: 1 } }, quiet({ offenseDominance: 1 }));
    expect(r2.out.entrapments).toBe(2);
  });

  it('the perception is drawn once per run (δ = 0.5)', () => {
    // While the war keeps moving (A's allies D1..D6 join one per step), C re-decides every step
    // from the same perception: it enters at step 1 (offense dominant) or never. A perception
    // redrawn each step would bring C in later in most runs.
    const d: Desc = {
      states: 'A B C D1 D2 D3 D4 D5 D6',
      caps: { A: 1, B: 10, C: 1, D1: 0.1, D2: 0.1, D3: 0.1, D4: 0.1, D5: 0.1, D6: 0.1 },
      crisis: 'A>B',
      alliances: [
        ally('defense', 'C B'),
        ally('offense', 'D1 A'),
        ally('offense', 'D2 D1'),
        ally('offense', 'D3 D2'),
        ally('offense', 'D4 D3'),
        ally('offense', 'D5 D4'),
        ally('offense', 'D6 D5'),
      ],
    };
    const runs = collect(system(d), quiet({ offenseDominance: 0.5 }), N, 21);
    expect(runs.every((r) => r.step.D6 === 6)).toBe(true);
    expect(runs.every((r) => r.step.C === 1 || r.step.C === -1)).toBe(true);
    const entered = runs.filter((r) => r.step.C === 1).length / N;
    expect(Math.abs(entered - 0.5)).toBeLessThan(shareTolerance(0.5, N));
    for (const r of runs) {
      expect(r.out.buck_passes).toBe(r.step.C === 1 ? 0 : 1);
      expect(r.out.entrapments).toBe(r.step.C === 1 ? 1 : 0);
    }
  });
});

describe('border contagion', () => {
  it('borderHazard 1: enters against a belligerent neighbour at once; 0: never', () => {
    const d: Desc = { states: 'A B C D', borders: 'C-A D-C', crisis: 'A>B' };
    const r = once(d, quiet({ borderHazard: 1 }));
    expect(r.side.C).toBe(2); // against A
    expect(r.step.C).toBe(1);
    expect(r.kind.C).toBe(ENTRY_BORDER);
    expect(r.side.D).toBe(1); // against C, which became a belligerent at step 1
    expect(r.step.D).toBe(2);
    expect(r.out.commitments_triggered).toBe(0);
    const none = once(d, quiet({ borderHazard: 0 }));
    expect(none.out.participants).toBe(2);
  });

  it('neighbours are tried in state order; the first success decides', () => {
    const p = quiet({ borderHazard: 1 });
    expect(once({ states: 'A B C', borders: 'C-B C-A', crisis: 'A>B' }, p).side.C).toBe(2); // A first
    expect(once({ states: 'B A C', borders: 'C-A C-B', crisis: 'A>B' }, p).side.C).toBe(1); // B first
  });

  it('each belligerent neighbour is a separate draw per step (hazard 0.5)', () => {
    // C borders A (index 0) and B (index 1). Per step: against A with ½, else against B with ¼,
    // else wait (¼). Joint law of (entry step, side) is checked by chi-square.
    const maxT = 10;
    const d: Desc = { states: 'A B C', borders: 'C-A C-B', crisis: 'A>B' };
    const counts = new Array<number>(2 * maxT + 1).fill(0);
    runMany(system(d), quiet({ borderHazard: 0.5, maxSteps: maxT }), N, 31, (_out, sim) => {
      const t = sim.entryStep[2]!;
      counts[t === -1 ? 2 * maxT : 2 * (t - 1) + (sim.side[2] === 2 ? 0 : 1)]!++;
    });
    const probs: number[] = [];
    for (let t = 1; t <= maxT; t++) probs.push(0.25 ** (t - 1) * 0.5, 0.25 ** (t - 1) * 0.25);
    probs.push(0.25 ** maxT);
    const res = chiSquareGof(counts, probs);
    expect(res.impossible).toBe(0);
    expect(res.p).toBeGreaterThan(0.001);
  });

  it('is an opportunity path only for states without an honored triggered commitment', () => {
    const p = quiet({ borderHazard: 1, offenseDominance: 0 });
    // C's honored promise to a stronger B makes it pass the buck; the border path is not open to it.
    const honored = once(
      {
        states: 'A B C',
        caps: { A: 1, B: 5 },
        borders: 'C-A',
        crisis: 'A>B',
        alliances: [ally('defense', 'C B')],
      },
      p,
    );
    expect(honored.side.C).toBe(0);
    expect(honored.out.buck_passes).toBe(1);
    // An abandoned promise does not count: C enters across the border at once.
    const abandoned = once(
      {
        states: 'A B C',
        caps: { A: 1, B: 5 },
        borders: 'C-A',
        crisis: 'A>B',
        alliances: [ally('defense', 'C B', { reliability: 0 })],
      },
      p,
    );
    expect(abandoned.side.C).toBe(2);
    expect(abandoned.kind.C).toBe(ENTRY_BORDER);
  });
});

describe('balancing', () => {
  const d = (caps: Record<string, number>, gps = 'G'): Desc => ({
    states: 'A B G',
    caps,
    gps,
    crisis: 'A>B',
  });
  it('a great power joins against a side holding more than hegemonyShare of capability', () => {
    const p = quiet({ balanceHazard: 1 });
    const r = once(d({ A: 6, B: 1, G: 3 }), p);
    expect(r.side.G).toBe(2);
    expect(r.step.G).toBe(1);
    expect(r.kind.G).toBe(ENTRY_BALANCING);
    expect(once(d({ A: 1, B: 6, G: 3 }), p).side.G).toBe(1);
  });

  it('only great powers balance; only above the share; never at hazard 0', () => {
    expect(once(d({ A: 6, B: 1, G: 3 }, ''), quiet({ balanceHazard: 1 })).side.G).toBe(0);
    expect(once(d({ A: 6, B: 1, G: 3 }), quiet({ balanceHazard: 0 })).side.G).toBe(0);
    // Exactly half is not "exceeds".
    expect(once(d({ A: 5, B: 1, G: 4 }), quiet({ balanceHazard: 1 })).side.G).toBe(0);
    expect(once(d({ A: 5, B: 1, G: 4 }), quiet({ balanceHazard: 1, hegemonyShare: 0.4 })).side.G).toBe(2);
  });

  it('balanceHazard is a per-step probability (geometric entry step)', () => {
    const maxT = 12;
    const counts = new Array<number>(maxT + 1).fill(0);
    runMany(
      system(d({ A: 6, B: 1, G: 3 })),
      quiet({ balanceHazard: 0.3, maxSteps: maxT }),
      N,
      41,
      (_o, sim) => {
        const t = sim.entryStep[2]!;
        counts[t === -1 ? maxT : t]!++;
      },
    );
    // Bin t (< maxT) = entered at step t; bin maxT = entered at step maxT or never, (0.7)^(maxT−1).
    const res = chiSquareGof(counts, geometric(0.3, maxT));
    expect(res.impossible).toBe(0);
    expect(res.p).toBeGreaterThan(0.001);
  });
});

describe('entry effects', () => {
  it('a defensive ally of the initiator joins only after someone enters against the initiator', () => {
    const r = once({
      states: 'A B C D E',
      crisis: 'A>B',
      alliances: [ally('defense', 'C B'), ally('defense', 'D A'), ally('defense', 'E C')],
    });
    expect(r.step.C).toBe(1); // B attacked from step 0
    expect(r.step.D).toBe(2); // A attacked by C's entry at step 1
    // C became attacked only when D entered on the other side (step 2): E joins at step 3.
    expect(r.step.E).toBe(3);
    expect(r.side.E).toBe(2);
    // Without C nobody ever attacks A.
    const r2 = once({ states: 'A B D', crisis: 'A>B', alliances: [ally('defense', 'D A')] });
    expect(r2.side.D).toBe(0);
  });
});

describe('settlement and mediation', () => {
  it('with settlement s and no mediation the war lasts Geometric(s) steps, mean 1/s', () => {
    const s = 0.25;
    const maxT = 1000; // (1 − s)^999: the cap never binds
    const steps: number[] = [];
    const counts = new Array<number>(maxT + 1).fill(0);
    runMany(
      system({ states: 'A B', crisis: 'A>B' }),
      quiet({ settlement: s, mediation: 0.2, maxSteps: maxT }),
      N,
      51,
      (out) => {
        steps.push(out.steps);
        counts[out.steps]!++;
        expect(out.mediated).toBe(false); // no great powers: the mediation term is zero
      },
    );
    // Geometric(s): sd √(1−s)/s ≈ 3.46; 4.5 standard errors of the mean over N runs ≈ 0.11.
    expect(Math.abs(mean(steps) - 1 / s)).toBeLessThan((4.5 * Math.sqrt(1 - s)) / s / Math.sqrt(N));
    const res = chiSquareGof(counts, geometric(s, maxT));
    expect(res.impossible).toBe(0);
    expect(res.p).toBeGreaterThan(0.001);
  });

  it('mediation: q = s + m with m = mediation × neutral great powers’ share; mediated with probability m/q', () => {
    // Neutral great power G holds half the capability: m = 0.4 × 0.5 = 0.2, q = 0.3 + 0.2 = 0.5.
    const d: Desc = { states: 'A B G', caps: { A: 1, B: 1, G: 2 }, gps: 'G', crisis: 'A>B' };
    const runs = collect(system(d), quiet({ settlement: 0.3, mediation: 0.4, maxSteps: 1000 }), N, 52);
    const mediated = runs.filter((r) => r.out.mediated).length / N;
    expect(Math.abs(mediated - 0.4)).toBeLessThan(shareTolerance(0.4, N));
    const firstStep = runs.filter((r) => r.out.steps === 1).length / N;
    expect(Math.abs(firstStep - 0.5)).toBeLessThan(shareTolerance(0.5, N));
    // Mean length 1/q = 2; Geometric(0.5) sd √0.5/0.5 ≈ 1.41.
    expect(Math.abs(mean(runs.map((r) => r.out.steps)) - 2)).toBeLessThan(
      (4.5 * Math.sqrt(2)) / Math.sqrt(N),
    );
  });

  it('a great power at war does not mediate (entries apply before the war may end)', () => {
    // G joins at step 1, before the first settlement draw: m = 0 throughout.
    const d: Desc = {
      states: 'A B G',
      caps: { A: 1, B: 1, G: 2 },
      gps: 'G',
      crisis: 'A>B',
      alliances: [ally('defense', 'G B')],
    };
    const steps: number[] = [];
    runMany(system(d), quiet({ settlement: 0.3, mediation: 0.4, maxSteps: 1000 }), N, 53, (out) => {
      expect(out.mediated).toBe(false);
      steps.push(out.steps);
    });
    const sd = Math.sqrt(0.7) / 0.3;
    expect(Math.abs(mean(steps) - 1 / 0.3)).toBeLessThan((4.5 * sd) / Math.sqrt(N));
    // As the target itself.
    runMany(
      system({ ...d, alliances: [], crisis: 'A>G' }),
      quiet({ settlement: 0.3, mediation: 0.4 }),
      2000,
      54,
      (out) => expect(out.mediated).toBe(false),
    );
  });

  it('maxSteps caps the war; settlement 1 ends it after the first step', () => {
    const chain: Desc = {
      states: 'A B C1 C2 C3 C4 C5 C6',
      crisis: 'A>B',
      alliances: [
        ally('offense', 'C1 B'),
        ally('offense', 'C2 C1'),
        ally('offense', 'C3 C2'),
        ally('offense', 'C4 C3'),
        ally('offense', 'C5 C4'),
        ally('offense', 'C6 C5'),
      ],
    };
    const full = once(chain, quiet({ maxSteps: 10 }));
    expect(full.out.participants).toBe(8);
    expect(full.step.C6).toBe(6);
    expect(full.out.steps).toBe(10); // nothing ends the war before maxSteps
    const capped = once(chain, quiet({ maxSteps: 3 }));
    expect(capped.out.participants).toBe(5);
    expect(capped.step.C3).toBe(3);
    expect(capped.side.C4).toBe(0);
    expect(capped.out.steps).toBe(3);
    const short = once(chain, quiet({ settlement: 1 }));
    expect(short.out.steps).toBe(1);
    expect(short.out.participants).toBe(3); // C1's step-1 entry still counts
    // A static war with hazards that never fire still runs to maxSteps.
    const stat = once(
      { states: 'A B C', crisis: 'A>B' },
      quiet({ borderHazard: 0.5, balanceHazard: 0.5, maxSteps: 17 }),
    );
    expect(stat.out.steps).toBe(17);
  });
});

describe('outcome draw', () => {
  const two = (a: number, b: number): Desc => ({ states: 'A B', caps: { A: a, B: b }, crisis: 'A>B' });
  const prevail = (d: Desc, kappa: number, seed: number): number =>
    share(d, quiet({ decisiveness: kappa }), seed, (r) => r.out.initiator_prevails);

  it('initiator prevails with probability C1^κ / (C1^κ + C2^κ)', () => {
    for (const [a, b, kappa, seed] of [
      [3, 1, 1, 61],
      [3, 1, 2, 62],
      [3, 1, 0, 63],
      [1, 4, 0.5, 64],
    ] as const) {
      const want = a ** kappa / (a ** kappa + b ** kappa);
      expect(Math.abs(prevail(two(a, b), kappa, seed) - want)).toBeLessThan(shareTolerance(want, N));
    }
  });

  it('½ when both sides have zero capability; 0 or 1 when only one has', () => {
    expect(Math.abs(prevail(two(0, 0), 1, 65) - 0.5)).toBeLessThan(shareTolerance(0.5, N));
    expect(Math.abs(prevail(two(0, 0), 3, 66) - 0.5)).toBeLessThan(shareTolerance(0.5, N));
    expect(prevail(two(0, 1), 1, 67)).toBe(0);
    expect(prevail(two(1, 0), 1, 68)).toBe(1);
  });

  it('uses the capabilities of the whole sides at the end of the war', () => {
    // A (1) with its ally C (2) against B (1): 3/4, not 1/2.
    const d: Desc = {
      states: 'A B C',
      caps: { A: 1, B: 1, C: 2 },
      crisis: 'A>B',
      alliances: [ally('offense', 'C A')],
    };
    expect(Math.abs(share(d, quiet(), 69, (r) => r.out.initiator_prevails) - 0.75)).toBeLessThan(
      shareTolerance(0.75, N),
    );
  });
});

describe('per-run outcome fields', () => {
  // Worked by hand (δ = 1, reliability 1 unless stated, no hazards, no settlement, maxSteps 10):
  //  step 1: C (guarantor of B, B attacked) enters side 2; side 2 (2) was weaker than side 1
  //          (4), so no entrapment. E's promise to B (reliability 0) is abandoned. F, with
  //          offense pacts to both A and B, is cross-pressured. D's promise to A: A not attacked.
  //          C's entry attacks A.
  //  step 2: D (guarantor of A) enters side 1; side 1 (4) was not weaker than side 2 (3): an
  //          entrapment. F is cross-pressured again (counted once). D's entry attacks B and C.
  //  step 3+: nothing changes. Guarantees make every promise one-way, so no promise between two
  //          belligerents ever arises.
  const d: Desc = {
    states: 'A B C D E F',
    caps: { A: 4, B: 2, C: 1, D: 2, E: 1, F: 0 },
    gps: 'A B D',
    crisis: 'A>B',
    alliances: [
      ally('defense', 'C B', { guarantors: 'C' }),
      ally('defense', 'D A', { guarantors: 'D' }),
      ally('defense', 'E B', { guarantors: 'E', reliability: 0 }),
      ally('offense', 'F A'),
      ally('offense', 'F B'),
    ],
  };

  it('every field of a worked example', () => {
    const r = once(d);
    const { initiator_prevails: _ignored, ...rest } = r.out;
    expect(rest).toEqual({
      participants: 4,
      participants_initiator_side: 2,
      participants_target_side: 2,
      great_powers: 3,
      great_power_war: true,
      world_war: true,
      capability_share: 0.9,
      steps: 10,
      contained: false,
      mediated: false,
      commitments_triggered: 5,
      commitments_honored: 4,
      abandonments: 1,
      entrapments: 1,
      buck_passes: 0,
      cross_pressured: 1,
      war: true,
      deterred: false,
      // Section 0 by hand: only C's guarantee to B is expected to be kept (F is promised to
      // both sides, E's promise is never kept, D's is not triggered while A is not attacked):
      // E_1 = 4, E_2 = 2 + 1, w = 4/7.
      initiator_expected_win: 4 / 7,
    });
    expect(r.side).toEqual({ A: 1, B: 2, C: 2, D: 1, E: 0, F: 0 });
    expect(r.step).toEqual({ A: 0, B: 0, C: 1, D: 2, E: -1, F: -1 });
    expect(r.kind).toEqual({
      A: ENTRY_INITIAL,
      B: ENTRY_INITIAL,
      C: ENTRY_OBLIGATION,
      D: ENTRY_OBLIGATION,
      E: ENTRY_NONE,
      F: ENTRY_NONE,
    });
  });

  it('initiator_prevails follows the final sides of the worked example (6 against 3: 2/3)', () => {
    const s = share(d, quiet(), 71, (r) => r.out.initiator_prevails);
    expect(Math.abs(s - 2 / 3)).toBeLessThan(shareTolerance(2 / 3, N));
  });

  it('contained war between two great powers with a third at peace', () => {
    const r = once({ states: 'A B G', caps: { A: 1, B: 1, G: 2 }, gps: 'A B G', crisis: 'A>B' });
    expect(r.out.contained).toBe(true);
    expect(r.out.participants).toBe(2);
    expect(r.out.great_powers).toBe(2);
    expect(r.out.great_power_war).toBe(true);
    expect(r.out.world_war).toBe(false);
    expect(r.out.capability_share).toBe(0.5);
    expect(r.out.commitments_triggered).toBe(0);
  });

  it('world_war is false in a system without great powers, even if everyone fights', () => {
    const r = once({ states: 'A B C', crisis: 'A>B', alliances: [ally('offense', 'C B')] });
    expect(r.out.participants).toBe(3);
    expect(r.out.capability_share).toBe(1);
    expect(r.out.great_powers).toBe(0);
    expect(r.out.great_power_war).toBe(false);
    expect(r.out.world_war).toBe(false);
    expect(r.out.contained).toBe(false);
  });

  it('all great powers on one side: world war but no great-power war', () => {
    const r = once({ states: 'A B C', gps: 'A C', crisis: 'A>B', alliances: [ally('offense', 'C A')] });
    expect(r.out.great_powers).toBe(2);
    expect(r.out.world_war).toBe(true);
    expect(r.out.great_power_war).toBe(false);
    expect(r.out.participants_initiator_side).toBe(2);
    expect(r.out.participants_target_side).toBe(1);
  });
});
