import { cloneParams } from '../../dist/model/params.js';
import { RunRng } from '../../dist/model/rng.js';
import type { ModelParams, Scenario } from '../../dist/model/types.js';

/** MODEL.md's pure contagion case on an Erdős–Rényi graph: 40 states, mean degree 4, p = 0.3. */
export function pureContagion(): { scenario: Scenario; params: ModelParams; edges: [number, number][] } {
  const n = 40;
  const rng = new RunRng(40, 0, 0);
  const edges: [number, number][] = [];
  // State 0 is the initiator and has no alliances.
  for (let i = 1; i < n; i++)
    for (let j = i + 1; j < n; j++) if (rng.uniform() < 4 / (n - 1)) edges.push([i, j]);
  const params = cloneParams();
  Object.assign(params, {
    offenseDominance: 1,
    borderHazard: 0,
    balanceHazard: 0,
    invasionHazard: 0,
    settlement: 0,
    mediation: 0,
    maxSteps: 48,
  });
  const id = (i: number) => `S${i}`;
  return {
    scenario: {
      name: 'pure contagion 40',
      states: Array.from({ length: n }, (_, i) => ({
        id: id(i),
        name: id(i),
        capability: 1,
        greatPower: false,
      })),
      borders: [],
      alliances: edges.map(([i, j]) => ({
        name: `${i}-${j}`,
        type: 'offense',
        members: [id(i), id(j)],
        reliability: 0.3,
      })),
      crisis: { initiator: 'S0', target: 'S1' },
    },
    params,
    edges,
  };
}
