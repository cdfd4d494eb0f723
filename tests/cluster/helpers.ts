import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Shared by the shard and Slurm tests: manifests compared without their `run` object. */
export const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
export const withoutRun = (m: Record<string, unknown>) => {
  const { run: _run, ...rest } = m;
  return rest;
};

/** A small tight system: two blocs of reliable defense pacts, six states. */
export const SMALL_TIGHT = `name: Small tight
states:
  - { id: AAA, capability: 0.20, greatPower: true }
  - { id: BBB, capability: 0.10, greatPower: true }
  - { id: CCC, capability: 0.05 }
  - { id: DDD, capability: 0.18, greatPower: true }
  - { id: EEE, capability: 0.12, greatPower: true }
  - { id: FFF, capability: 0.02 }
borders: [[AAA, BBB], [BBB, CCC], [CCC, DDD], [DDD, EEE], [EEE, AAA], [BBB, FFF], [FFF, DDD]]
alliances:
  - { name: North, type: defense, members: [AAA, BBB, FFF], reliability: 0.9 }
  - { name: South, type: defense, members: [CCC, DDD, EEE], reliability: 0.9 }
crisis: { initiator: BBB, target: CCC }
`;
