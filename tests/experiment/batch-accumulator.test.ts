/**
 * BatchAccumulator.add names every outcome field by hand (for speed): each must land in the
 * statistic of its own field. Checked against sums worked out here from the outcome table.
 */
import { describe, expect, it } from 'vitest';
import { BatchAccumulator, unpackBatch } from '../../src/experiment/aggregate.js';
import {
  BOOLEAN_FIELDS,
  COUNT_FIELDS,
  emptyOutcome,
  OUTCOME_FIELDS,
  type RunOutcome,
  SHARE_FIELDS,
} from '../../src/model/outcome.js';
import type { Simulator } from '../../src/model/simulate.js';
import { mulberry32 } from '../model/helpers.js';

const STATES = 5;

/** A run's outcome where every field has its own odds and range, and who fought in it. */
function randomRun(rand: () => number): { out: RunOutcome; sim: Simulator } {
  const out = emptyOutcome() as unknown as Record<string, number | boolean>;
  OUTCOME_FIELDS.forEach((f, i) => {
    if (f.kind === 'boolean') out[f.name] = rand() < (i + 1) / (OUTCOME_FIELDS.length + 1);
    else if (f.kind === 'count') out[f.name] = Math.floor(rand() * (3 + i));
    else out[f.name] = rand() * (i + 1);
  });
  const side = new Uint8Array(STATES);
  const entryStep = new Int32Array(STATES).fill(-1);
  const atWar: number[] = [];
  for (let s = 0; s < STATES; s++)
    if (rand() < 0.5) {
      side[s] = rand() < 0.5 ? 1 : 2;
      entryStep[s] = Math.floor(rand() * 4);
      atWar.push(s);
    }
  const sim = { side, entryStep, atWar: Int32Array.from(atWar), atWarCount: atWar.length };
  return { out: out as unknown as RunOutcome, sim: sim as unknown as Simulator };
}

describe('BatchAccumulator', () => {
  it('adds each field of an outcome to its own statistic, and each belligerent to its state', () => {
    const rand = mulberry32(14);
    const acc = new BatchAccumulator(STATES);
    const runs = Array.from({ length: 300 }, () => randomRun(rand));
    for (const { out, sim } of runs) acc.add(out, sim);
    const got = unpackBatch(acc.pack(2, 7), STATES);

    const field = (r: { out: RunOutcome }, name: string) =>
      (r.out as unknown as Record<string, number>)[name]!;
    expect([got.cell, got.batch, got.runs]).toEqual([2, 7, 300]);
    BOOLEAN_FIELDS.forEach((name, f) => {
      expect(got.trues[f], name).toBe(runs.filter((r) => field(r, name)).length);
    });
    SHARE_FIELDS.forEach((name, f) => {
      // Summed in run order, like the accumulator: the same float.
      expect(got.shareSums[f], name).toBe(runs.reduce((a, r) => a + field(r, name), 0));
    });
    COUNT_FIELDS.forEach((name, f) => {
      const expected: number[] = [];
      for (const r of runs) expected[field(r, name)] = (expected[field(r, name)] ?? 0) + 1;
      expect([...got.histograms[f]!], name).toEqual(Array.from(expected, (c) => c ?? 0));
    });
    for (let s = 0; s < STATES; s++) {
      const fought = runs.filter((r) => r.sim.side[s] !== 0);
      expect(got.enters[s]).toBe(fought.length);
      expect(got.side1[s]).toBe(fought.filter((r) => r.sim.side[s] === 1).length);
      expect(got.side2[s]).toBe(fought.filter((r) => r.sim.side[s] === 2).length);
      expect(got.entryStepSum[s]).toBe(fought.reduce((a, r) => a + r.sim.entryStep[s]!, 0));
    }
  });
});
