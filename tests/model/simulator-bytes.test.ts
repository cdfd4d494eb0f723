/**
 * The simulator's speed-ups (issue 14) must not change a single draw or outcome: every config
 * in simulator-configs.ts, run through the CLI, must give files whose columns hash to what the
 * simulator gave before it was made faster (simulator-outputs.json, recorded then).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectedHash } from '../fixtures/project-csv.js';
import { SIMULATOR_FIXTURE_CONFIGS, SIMULATOR_FIXTURE_RUNS } from '../fixtures/simulator-configs.js';

const recorded = JSON.parse(readFileSync('tests/fixtures/simulator-outputs.json', 'utf8')) as Record<
  string,
  Record<string, { columns: string[]; sha256: string }>
>;
const tmp = mkdtempSync(join(tmpdir(), 'entangle-sim-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the simulator gives the bytes it gave before it was made faster', () => {
  for (const config of SIMULATOR_FIXTURE_CONFIGS) {
    it(config, () => {
      const out = join(tmp, config.replace(/[^a-z0-9]+/gi, '-'));
      execFileSync(
        'node',
        [
          'dist/cli.js',
          'run',
          config,
          '--runs',
          String(SIMULATOR_FIXTURE_RUNS),
          '--runs-csv',
          '--quiet',
          '--workers',
          '2',
          '--out',
          out,
        ],
        { stdio: 'pipe' },
      );
      for (const [file, { columns, sha256 }] of Object.entries(recorded[config]!)) {
        expect(projectedHash(readFileSync(join(out, file), 'utf8'), columns), `${config}: ${file}`).toBe(
          sha256,
        );
      }
    }, 60_000);
  }
});
