import { BatchAccumulator } from '../experiment/aggregate.js';
import type { Batch, Plan } from '../experiment/plan.js';
import { compile } from '../model/compile.js';
import { emptyOutcome, outcomeRow, RUN_FIELDS } from '../model/outcome.js';
import { RunRng } from '../model/rng.js';
import { Simulator } from '../model/simulate.js';
import { compiledSystemFor } from '../scenario/generators.js';

/** The result of one batch: its packed statistics and, when asked, its runs (RUN_FIELDS per run). */
export interface BatchResult {
  stats: Float64Array;
  runs?: Float64Array;
}

/**
 * Runs batches of one plan; keeps one compiled system and simulator per cell, so a cell is
 * compiled once per worker however many batches it runs.
 */
export class BatchRunner {
  private readonly cells = new Map<number, { sim: Simulator; acc: BatchAccumulator }>();
  private readonly rng = new RunRng();
  private readonly systemRng = new RunRng();
  private readonly out = emptyOutcome();

  constructor(private readonly plan: Plan) {}

  run(batch: Batch, wantRuns: boolean): BatchResult {
    const cell = this.plan.cells[batch.cell]!;
    let state = this.cells.get(cell.index);
    if (!state) {
      const system =
        cell.system.kind === 'fixed'
          ? compile(cell.system.scenario)
          : compiledSystemFor(cell.system.spec, this.plan.seed, cell.index, batch.first, this.systemRng);
      state = { sim: new Simulator(system, cell.params), acc: new BatchAccumulator(cell.stateIds.length) };
      this.cells.set(cell.index, state);
    }
    const runs = wantRuns ? new Float64Array(batch.count * RUN_FIELDS.length) : undefined;
    const out = this.out;
    // A generated system per run (perRun): drawn from the run's own system stream straight into
    // reused typed arrays (the same system as compile(systemFor(...))), workspace reused.
    const perRunSpec = cell.system.kind === 'perRun' ? cell.system.spec : undefined;
    for (let i = 0; i < batch.count; i++) {
      const run = batch.first + i;
      const sim = state.sim;
      if (perRunSpec)
        sim.load(compiledSystemFor(perRunSpec, this.plan.seed, cell.index, run, this.systemRng, true));
      this.rng.reseed(this.plan.seed, cell.index, run);
      sim.run(this.rng, out);
      if (runs) outcomeRow(out, runs, i * RUN_FIELDS.length);
      state.acc.add(out, sim);
    }
    return { stats: state.acc.pack(cell.index, batch.batch), ...(runs ? { runs } : {}) };
  }
}
