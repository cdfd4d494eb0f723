/**
 * The simulator's speed-ups (issue 14) must not change a single draw or outcome: every config
 * in simulator-configs.ts, run through the CLI, must give files whose columns hash to what the
 * simulator gave before it was made faster (simulator-outputs.json, recorded then).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedOutputs, type RecordedOutputs, runConfig } from '../fixtures/recorded-outputs.js';
import { SIMULATOR_FIXTURE_CONFIGS, SIMULATOR_FIXTURE_RUNS } from '../fixtures/simulator-configs.js';

const recorded = JSON.parse(readFileSync('tests/fixtures/simulator-outputs.json', 'utf8')) as Record<
  string,
  RecordedOutputs
>;
const tmp = mkdtempSync(join(tmpdir(), 'entangle-sim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the simulator gives the bytes it gave before it was made faster', () => {
  for (const config of SIMULATOR_FIXTURE_CONFIGS) {
    it(config, () => {
      const out = join(tmp, config.replace(/[^a-z0-9]+/gi, '-'));
      runConfig(config, SIMULATOR_FIXTURE_RUNS, out);
      expect(changedOutputs(out, recorded[config]!), config).toEqual([]);
    }, 60_000);
  }
});
