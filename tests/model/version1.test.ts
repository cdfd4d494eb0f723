/**
 * MODEL.md (introduction): with deterrence 0, invasionHazard 0, neutrality and non-aggression
 * kept for sure, version 2 gives version 1's results. Here it must give version 1's bytes: every
 * ready-made config as it was under version 1 (tests/fixtures/v1/) is run through the CLI
 * with those overrides, and each output file, restricted to version 1's columns, must hash to
 * what version 1 wrote (tests/fixtures/v1-outputs.json, recorded before version 2 existed).
 * The commitment counts are left out: version 2 counts promises of neutrality among them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { VERSION_1_PARAMS } from '../../src/model/params.js';
import { changedOutputs, type RecordedOutputs, runConfig } from '../fixtures/recorded-outputs.js';
import { V1_FIXTURE_CONFIGS, V1_FIXTURE_RUNS } from '../fixtures/v1-configs.js';

const recorded = JSON.parse(readFileSync('tests/fixtures/v1-outputs.json', 'utf8')) as Record<
  string,
  RecordedOutputs
>;
const tmp = mkdtempSync(join(tmpdir(), 'entangle-v1-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The config as an experiment whose every cell carries version 1's parameters. */
function asVersion1(config: string): string {
  const data = parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
  const here = dirname(resolve(config));
  const experiment: Record<string, unknown> = Array.isArray(data.scenarios)
    ? {
        ...data,
        scenarios: data.scenarios.map((s) => (typeof s === 'string' ? resolve(here, s) : s)),
      }
    : { name: data.name ?? config, seed: 1914, scenarios: [resolve(config)] };
  experiment.params = { ...((data.params as object) ?? {}), ...VERSION_1_PARAMS };
  const file = join(tmp, `${config.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  writeFileSync(file, stringify(experiment));
  return file;
}

describe('version 2 under version 1 parameters reproduces version 1 byte for byte', () => {
  for (const config of V1_FIXTURE_CONFIGS) {
    it(config, () => {
      const out = join(tmp, `out-${config.replace(/[^a-z0-9]+/gi, '-')}`);
      runConfig(asVersion1(config), V1_FIXTURE_RUNS, out);
      expect(changedOutputs(out, recorded[config]!), config).toEqual([]);
    }, 60_000);
  }
});
