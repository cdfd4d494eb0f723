/**
 * Pure contagion on large Erdős–Rényi alliance graphs against the percolation limit.
 *
 * Every run draws a fresh G(n', c/(n'−1)) on the n' = 1,999 states other than A (A, the 2,000th
 * state, has no alliances), each edge a bilateral offense pact of reliability p. State j joins
 * when one of its commitments j → k to an at-war k is open; the reverse commitment k → j plays
 * no part in reaching j, so exploring the war outward from B meets each edge once in the
 * relevant direction with open probability p, and B's war (besides A) is locally a
 * Galton–Watson tree with Poisson(c·p) offspring. Hence, as n' → ∞:
 *   - P(B's war reaches a positive fraction of the system) → S, and
 *   - given that, the fraction at war → S, where S = 1 − exp(−c·p·S) (S = 0 when c·p ≤ 1).
 * (For the giant war: B's in-set is giant iff the giant strongly connected core reaches B,
 * probability S, and then it is the core's in-set, of size S·n'.)
 *
 * A fresh graph per run makes the runs independent, so sampling error follows the usual
 * formulas; finite-size corrections to both quantities are O(1/n') here (about 0.0005), well
 * inside the tolerances below, which are dominated by sampling error.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/model/compile.js';
import { RunRng } from '../../src/model/rng.js';
import { emptyOutcome, Simulator } from '../../src/model/simulate.js';
import type { Alliance, Scenario } from '../../src/model/types.js';
import { erdosRenyi, mean, mulberry32, quiet, sampleSd } from './helpers.js';

const N_STATES = 2000;
const N_OTHERS = N_STATES - 1;
const P = 0.75;

/** Solves S = 1 − exp(−λS) for its positive root by bisection (0 when λ ≤ 1). */
function giantFraction(lambda: number): number {
  if (lambda <= 1) return 0;
  let lo = 1e-9;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid - (1 - Math.exp(-lambda * mid)) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const ids = Array.from({ length: N_STATES }, (_, i) => `S${i}`);
const states = ids.map((id) => ({ id, name: id, capability: 1, greatPower: false }));

/** War sizes (states at war other than A) over `runs` runs, each on a fresh graph. */
function warSizes(lambda: number, runs: number, seed: number): number[] {
  const c = lambda / P;
  const rand = mulberry32(seed);
  const rng = new RunRng();
  const out = emptyOutcome();
  const params = quiet({ 'reliability.offense': P, maxSteps: N_STATES });
  const sizes: number[] = [];
  for (let r = 0; r < runs; r++) {
    // States 1..1999 form the graph; A = S0 stays out of it, B = S1.
    const edges = erdosRenyi(N_OTHERS, c / (N_OTHERS - 1), rand);
    const alliances: Alliance[] = edges.map(([u, v], e) => ({
      name: `e${e}`,
      type: 'offense',
      members: [ids[u + 1]!, ids[v + 1]!],
    }));
    const sc: Scenario = {
      name: 'er',
      states,
      borders: [],
      alliances,
      crisis: { initiator: 'S0', target: 'S1' },
    };
    const sim = new Simulator(compile(sc), params);
    rng.reseed(seed, 0, r);
    sim.run(rng, out);
    sizes.push(out.participants - 1);
    // Sanity of the setting: everyone besides A fights on B's side, and nobody else is on A's.
    expect(out.participants_initiator_side).toBe(1);
  }
  return sizes;
}

// Separating small wars from giant ones: in the supercritical cases a non-giant war of B has the
// law of a subcritical cluster (dual offspring mean c·p·(1 − S) ≈ 0.63 for c·p = 1.5, tail
// ≈ exp(−0.094 k)), which reaches a few dozen states now and then but practically never 100,
// while a giant war holds S·n' ≈ 1,160+ states with a standard deviation of about 60. Any
// threshold in between works; take n'/10.
const GIANT = N_OTHERS / 10;

describe('pure contagion on Erdős–Rényi graphs of 2,000 states (p = 0.75)', () => {
  for (const [lambda, runs, seed] of [
    [1.5, 600, 15],
    [2.0, 500, 20],
  ] as const) {
    it(`c·p = ${lambda}: share of giant wars and their size are S = 1 − exp(−c·p·S)`, () => {
      const S = giantFraction(lambda);
      expect(Math.abs(S - (1 - Math.exp(-lambda * S)))).toBeLessThan(1e-12);
      const sizes = warSizes(lambda, runs, seed);
      const giant = sizes.filter((s) => s > GIANT);
      // The middle ground between small and giant wars is empty (see GIANT).
      expect(sizes.filter((s) => s > 100 && s < 700).length).toBe(0);

      // Share of giant wars: Binomial(runs, S) / runs, sd √(S(1−S)/runs) ≈ 0.02; allow 4.5 sd
      // plus 0.01 for finite-size effects. A wrong open probability per edge (p² or 1 − (1−p)²,
      // i.e. c·p → 1.125 or 1.875 for c·p = 1.5) moves the share by 0.17 or more.
      const share = giant.length / runs;
      expect(Math.abs(share - S)).toBeLessThan(4.5 * Math.sqrt((S * (1 - S)) / runs) + 0.01);

      // Size of the giant war as a fraction of n': its per-run sd (graph and percolation
      // together) is about 0.03, measured from the sample; the mean of ~300+ runs is held to
      // 4.5 standard errors plus 0.005 for the O(1/n') finite-size bias.
      const fractions = giant.map((s) => s / N_OTHERS);
      const se = sampleSd(fractions) / Math.sqrt(fractions.length);
      expect(se).toBeLessThan(0.005);
      expect(Math.abs(mean(fractions) - S)).toBeLessThan(4.5 * se + 0.005);
    });
  }

  it('c·p = 0.5: no giant war; mean war size 1/(1 − c·p) = 2', () => {
    const runs = 1000;
    const sizes = warSizes(0.5, runs, 5);
    // Subcritical cluster sizes have an exponential tail, P(|C| > k) ≈ exp(−0.19 k)·k^(−3/2) at
    // c·p = 0.5, so even 60 states is a ~1e-7 event per run, while a giant war would be ~1,000.
    expect(Math.max(...sizes)).toBeLessThan(60);
    // Total progeny of a Poisson(λ) Galton–Watson tree: mean 1/(1−λ) = 2, variance
    // λ/(1−λ)³ = 4; 4.5 standard errors of the sample mean plus 0.02 for finite size. The
    // theoretical sd is used: the distribution is right-skewed, so a sample whose mean falls
    // low also tends to have a low sample sd, which would understate the error.
    const se = 2 / Math.sqrt(runs);
    expect(Math.abs(mean(sizes) - 2)).toBeLessThan(4.5 * se + 0.02);
  });
});
