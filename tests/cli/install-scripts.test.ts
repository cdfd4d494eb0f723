/**
 * A fresh `npm ci` prints no warning the project can avoid: npm 11 lists every dependency whose
 * install script package.json's `allowScripts` does not cover ("not yet covered by
 * allowScripts"), and npm 12 will skip such scripts. Every package the lockfile marks as having
 * an install script must therefore have an entry, approved or denied, by name or name@version.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const read = (file: string) => JSON.parse(readFileSync(fileURLToPath(new URL(file, ROOT)), 'utf8'));

describe('install scripts', () => {
  it('every dependency with an install script is covered by allowScripts in package.json', () => {
    const lock = read('package-lock.json') as {
      packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
    };
    const allow = (read('package.json') as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path, p]) => ({
        name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
        version: p.version,
      }));
    // esbuild (through vite and tsx) is one today; the check is that none is left out.
    expect(withScripts.map((p) => p.name)).toContain('esbuild');
    for (const p of withScripts) {
      const entry = allow[p.name] ?? allow[`${p.name}@${p.version}`];
      expect(typeof entry, `${p.name}@${p.version}`).toBe('boolean');
    }
  });
});
