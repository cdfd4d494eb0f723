/**
 * report.html end to end: `run --report` and `compare --report` on small experiments, then the
 * page itself: one self-contained file (no scripts, nothing fetched), each chart inline and
 * beside it as an SVG file, what was run as manifest.json says, the same bytes when made
 * again. Where Chromium is installed the page is opened in headless Chromium: every chart drawn
 * with marks, no console error, no request leaving the file, a screenshot saved.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entangle, ROOT, writeSweepExperiment } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'entangle-report-'));
const sweep = join(dir, 'sweep');
const cmp = join(dir, 'cmp');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const common = ['--runs', '300', '--seed', '9', '--workers', '2', '--report'];
  const a = await entangle(['run', writeSweepExperiment(dir), '--out', sweep, '--quiet', ...common]);
  expect(a.stderr).toBe('');
  const b = await entangle([
    'compare',
    join(ROOT, 'configs/tight.yaml'),
    join(ROOT, 'configs/loose.yaml'),
    '--out',
    cmp,
    ...common,
  ]);
  expect(b.code).toBe(0);
  expect(b.stdout).toContain(`Report in `);
});

const page = (d: string) => readFileSync(join(d, 'report.html'), 'utf8');
const figures = (html: string) => [...html.matchAll(/<figure id="chart-([a-z0-9-]+)">(<svg .*?<\/svg>)/gs)];

describe('report.html', () => {
  it('holds the charts of a sweep: each outcome against the parameter, war sizes, entry chances', () => {
    expect(figures(page(sweep)).map((m) => m[1])).toEqual([
      'sweep-p-contained-by-offensedominance',
      'sweep-p-great-power-war-by-offensedominance',
      'sweep-p-world-war-by-offensedominance',
      'sweep-participants-mean-by-offensedominance',
      'war-sizes',
      'state-entry',
    ]);
  });

  it("holds a comparison's differences and each side's charts", () => {
    expect(figures(page(cmp)).map((m) => m[1])).toEqual([
      'compare-shares',
      'compare-means',
      'a-war-sizes',
      'b-war-sizes',
      'a-state-entry',
      'b-state-entry',
    ]);
  });

  it('is self-contained: no script, no stylesheet or image to fetch', () => {
    for (const html of [page(sweep), page(cmp)]) {
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
      expect(html).not.toMatch(/\b(src|href)="(?!#)/);
      expect(html).not.toMatch(/url\((?!#)/);
    }
  });

  it('saves each chart beside the report as the same SVG', () => {
    for (const d of [sweep, cmp]) {
      const inline = figures(page(d));
      const files = readdirSync(d).filter((f) => f.endsWith('.svg'));
      expect(files.sort()).toEqual(inline.map((m) => `chart-${m[1]}.svg`).sort());
      for (const [, name, svg] of inline)
        expect(readFileSync(join(d, `chart-${name}.svg`), 'utf8').trim()).toBe(svg);
    }
  });

  it('says what was run, as manifest.json records it', () => {
    const m = JSON.parse(readFileSync(join(sweep, 'manifest.json'), 'utf8'));
    const html = page(sweep);
    const row = (k: string) => new RegExp(`<tr><th>${k}</th><td>(.*?)</td></tr>`).exec(html)?.[1];
    expect(row('Seed')).toBe('9');
    expect(row('Runs')).toBe('300 per cell × 6 cells, in batches of 1,000');
    expect(row('Complete')).toBe('yes (1,800 runs)');
    expect(row('entangle version')).toBe(m.entangle);
    expect(row('Swept')).toBe('<code>offenseDominance</code>');
    expect(row('Input')).toContain(m.input.sha256);
    expect(row('Date')).toBe(`${m.run.started_at.slice(0, 10)} ${m.run.started_at.slice(11, 19)} UTC`);
    expect(html).toContain('docs/MODEL.md');
    // The swept parameter is shown as a range, in bold as it is not the default 0.5.
    expect(html).toContain(
      '<td><code>offenseDominance</code></td><td class="n"><strong>0 to 1</strong></td>',
    );
  });

  it('is the same bytes when made again from the same files', async () => {
    const before = readdirSync(sweep).map((f) => [f, readFileSync(join(sweep, f), 'utf8')]);
    const again = await entangle(['report', sweep, '--quiet']);
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(sweep).map((f) => [f, readFileSync(join(sweep, f), 'utf8')])).toEqual(before);
  });

  it('refuses a folder without results in one line, exit code 2, writing nothing', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = await entangle(['report', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('empty: no CSV files');
    expect(readdirSync(empty)).toEqual([]);
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM)
  console.log('report.test: Chromium not installed (/usr/bin/chromium); skipping the browser check');

describe.skipIf(!CHROMIUM)('report.html in headless Chromium', () => {
  it('draws every chart with marks, logs no error and fetches nothing; screenshot saved', async () => {
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'entangle-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM!,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      for (const [name, d] of [
        ['sweep', sweep],
        ['compare', cmp],
      ] as const) {
        const tab = await context.newPage();
        const errors: string[] = [];
        const requests: string[] = [];
        tab.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
        });
        tab.on('pageerror', (e) => errors.push(String(e)));
        tab.on('request', (r) => requests.push(r.url()));
        const url = pathToFileURL(join(d, 'report.html')).href;
        await tab.goto(url, { waitUntil: 'load' });
        const drawn = await tab.$$eval('figure', (all) =>
          all.map((f) => {
            const svg = f.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            return {
              id: f.id,
              marks: svg
                ? svg.querySelectorAll(
                    'g[class*="role-mark"] > path, g[class*="role-mark"] > line, g[class*="role-mark"] > text, g[class*="role-mark"] > g',
                  ).length
                : 0,
              visible: box ? box.width > 100 && box.height > 100 : false,
            };
          }),
        );
        expect(drawn.length, name).toBe(figures(page(d)).length);
        for (const f of drawn) {
          expect(f.marks, `${name} ${f.id}`).toBeGreaterThan(0);
          expect(f.visible, `${name} ${f.id}`).toBe(true);
        }
        expect(errors, name).toEqual([]);
        expect(requests, name).toEqual([url]);
        const shots = join(ROOT, '.vitest-tmp');
        mkdirSync(shots, { recursive: true });
        const png = join(shots, `report-${name}.png`);
        await tab.screenshot({ path: png, fullPage: true });
        expect(readFileSync(png).subarray(0, 8)).toEqual(
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        );
        await tab.close();
      }
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
