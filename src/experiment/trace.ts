import { compile } from '../model/compile.js';
import { emptyOutcome, type RunOutcome } from '../model/outcome.js';
import { RunRng } from '../model/rng.js';
import { Simulator } from '../model/simulate.js';
import type { TraceSink } from '../model/trace.js';
import type { CompiledSystem, Scenario } from '../model/types.js';
import { systemFor } from '../scenario/generators.js';
import type { Plan } from './plan.js';

/** One event of a traced run (MODEL.md's sections: crisis, commitment draws, decisions, entries, end). */
export type TraceEvent =
  | { event: 'crisis'; step: 0; expectedWin: number; attacks: boolean }
  | {
      event: 'commitment';
      step: number;
      commitment: number;
      obligor: number;
      partner: number;
      honored: boolean;
    }
  | { event: 'crossPressured'; step: number; state: number }
  | { event: 'buckPassed'; step: number; state: number }
  | { event: 'entry'; step: number; state: number; side: number; how: number; cause: number }
  | { event: 'end'; step: number; settled: boolean; mediated: boolean; initiatorPrevails: boolean };

/** A replayed run: the system it ran on, its events in order, and its outcome (runs.csv's row). */
export interface TraceRecord {
  cell: number;
  run: number;
  seed: number;
  scenario: Scenario;
  system: CompiledSystem;
  sufficiency: number;
  events: TraceEvent[];
  outcome: RunOutcome;
}

/**
 * Replays run `run` of cell `cell` with the experiment's own draws (the same stream, and for a
 * generator drawing a system per run the same system), recording every event.
 */
export function traceRun(plan: Plan, cell: number, run: number): TraceRecord {
  const c = plan.cells[cell]!;
  const scenario =
    c.system.kind === 'fixed' ? c.system.scenario : systemFor(c.system.spec, plan.seed, cell, run);
  const system = compile(scenario);
  const sim = new Simulator(system, c.params);
  const events: TraceEvent[] = [];
  sim.trace = recorder(system, events);
  const rng = new RunRng();
  rng.reseed(plan.seed, cell, run);
  const outcome = emptyOutcome();
  sim.run(rng, outcome);
  return { cell, run, seed: plan.seed, scenario, system, sufficiency: c.params.sufficiency, events, outcome };
}

function recorder(sys: CompiledSystem, events: TraceEvent[]): TraceSink {
  const obligorOf = (c: number): number => {
    // Commitments are grouped by obligor: find the group holding c.
    let lo = 0;
    let hi = sys.n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sys.commitmentStart[mid]! <= c) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    crisis: (expectedWin, attacks) => events.push({ event: 'crisis', step: 0, expectedWin, attacks }),
    commitment: (step, commitment, honored) =>
      events.push({
        event: 'commitment',
        step,
        commitment,
        obligor: obligorOf(commitment),
        partner: sys.commitmentPartner[commitment]!,
        honored,
      }),
    crossPressured: (step, state) => events.push({ event: 'crossPressured', step, state }),
    buckPassed: (step, state) => events.push({ event: 'buckPassed', step, state }),
    entry: (step, state, side, how, cause) => events.push({ event: 'entry', step, state, side, how, cause }),
    end: (step, settled, mediated, initiatorPrevails) =>
      events.push({ event: 'end', step, settled, mediated, initiatorPrevails }),
  };
}
