/**
 * A reused simulator clears nothing of what a run drew and found: each mark carries the run's
 * stamp, and a mark from another stamp means "not yet". When the stamp wraps, every mark is
 * cleared; a run after the wrap gets a stamp an earlier run had, and must not read that run's
 * marks as its own.
 */
import { describe, expect, it } from 'vitest';
import { RunRng } from '../../src/model/rng.js';
import { emptyOutcome, Simulator, STAMP_LIMIT } from '../../src/model/simulate.js';
import { ally, collect, quiet, system } from './helpers.js';

// C keeps its defense promise to B half the time and then joins (B is weaker); D's offense
// promise to C is drawn only in a run where C entered.
const sys = system({
  states: 'A B C D',
  caps: { A: 10, B: 1, C: 1, D: 1 },
  alliances: [ally('defense', 'B C', { reliability: 0.5 }), ally('offense', 'C D', { reliability: 0.5 })],
  crisis: 'A>B',
});
const params = quiet();

describe('the run stamp', () => {
  it('a run after the stamp wraps ignores the marks of the run that had its stamp before', () => {
    const fresh = collect(sys, params, 40, 11);
    const cIn = fresh.findIndex((r) => r.side.C === 2);
    const cOut = fresh.findIndex((r) => r.side.C === 0);
    expect(cIn).toBeGreaterThanOrEqual(0);
    expect(cOut).toBeGreaterThanOrEqual(0);

    const sim = new Simulator(sys, params);
    const rng = new RunRng();
    const out = emptyOutcome();
    const play = (run: number) => {
      rng.reseed(11, 0, run);
      sim.run(rng, out);
      return { ...out };
    };
    // Stamp 1: C enters, so C's and D's commitments are drawn and C has found a kept promise.
    expect(play(cIn)).toEqual(fresh[cIn]!.out);
    // The next run wraps the stamp back to 1: C must draw again and, this time, stay out.
    (sim as unknown as { stamp: number }).stamp = STAMP_LIMIT - 1;
    expect(play(cOut)).toEqual(fresh[cOut]!.out);
    expect(sim.side[2]).toBe(0);
  });
});
