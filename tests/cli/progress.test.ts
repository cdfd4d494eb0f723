/**
 * The progress display (src/cli/progress.ts): the line fits the terminal (rate and time left
 * kept, the bar shortened first), plain lines off a terminal, and on Ctrl-C the line cleared
 * before anything else is printed, checked on a real terminal (tmux) where one is available.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgress, formatDuration, progressLine } from '../../src/cli/progress.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('progressLine', () => {
  const p = { done: 235_000, total: 480_000, rate: 7799.4, left: 31.4 };

  it.each([20, 30, 40, 50, 60, 80, 100, 200])(
    'fits %i columns, with room for the "^C" a terminal echoes',
    (w) => {
      const line = progressLine(p, w);
      expect([...line].length).toBeLessThanOrEqual(w - 3);
    },
  );

  it.each([40, 50, 60, 80, 120])('keeps the rate and the time left at %i columns', (w) => {
    const line = progressLine(p, w);
    expect(line).toContain('7,799 runs/s');
    expect(line).toContain('31 s left');
    expect(line).toMatch(/^\s*48%|█|░/);
  });

  it('shortens the bar first, then leaves out the run counts', () => {
    const bar = (line: string) => (line.match(/[█░]/g) ?? []).length;
    const at80 = progressLine(p, 80);
    const at70 = progressLine(p, 70);
    expect(at80).toContain('235,000/480,000 runs');
    expect(at70).toContain('235,000/480,000 runs');
    expect(bar(at80)).toBeGreaterThan(bar(at70));
    expect(progressLine(p, 60)).not.toContain('235,000/480,000');
    expect(bar(progressLine(p, 200))).toBe(40);
  });

  it('says it is estimating before the time left is known', () => {
    expect(progressLine({ ...p, left: undefined }, 80)).toContain('estimating time left');
  });

  it('formats durations as a person reads them', () => {
    expect(formatDuration(0.4)).toBe('0 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(2 * 3600 + 7 * 60 + 10)).toBe('2 h 07 min');
  });
});

/** A stand-in for stderr that keeps what is written, and a clock the test moves. */
function fake(columns = 80) {
  const written: string[] = [];
  let now = 0;
  return {
    stream: { columns, write: (t: string) => written.push(t) },
    written,
    clock: () => now,
    advance: (s: number) => {
      now += s;
    },
  };
}

describe('createProgress', () => {
  const plan = { planned: [4000, 4000], scenarios: ['a', 'b'] };

  it('off a terminal: plain lines, every five seconds and at the end, no control characters', () => {
    const f = fake();
    const progress = createProgress({ quiet: false, tty: false }, plan, f.stream, f.clock);
    for (let b = 0; b < 8; b++) {
      f.advance(2);
      progress.update((b + 1) * 1000, 8000, { cell: b < 4 ? 0 : 1, count: 1000 });
    }
    progress.stop();
    // At 6 s, 12 s (five seconds after the last line) and at the end, 16 s.
    expect(f.written).toHaveLength(3);
    for (const line of f.written) {
      expect(line).toMatch(/^entangle: \d+\/8000 runs \([\d.]+%\), \d+ runs\/s(, .* left)?\n$/);
      expect(line.includes('\r') || line.includes('\x1b')).toBe(false);
    }
    expect(f.written[2]).toMatch(/^entangle: 8000\/8000 runs \(100\.0%\)/);
  });

  it('on a terminal: one line redrawn in place; stop(true) clears it and nothing is drawn after', () => {
    const f = fake(80);
    const progress = createProgress({ quiet: false, tty: true }, plan, f.stream, f.clock);
    f.advance(1);
    progress.update(1000, 8000, { cell: 0, count: 1000 });
    for (const w of f.written) expect(w.startsWith('\r') && w.endsWith('\x1b[K')).toBe(true);
    progress.stop(true);
    expect(f.written[f.written.length - 1]).toBe('\r\x1b[K');
    const count = f.written.length;
    f.advance(1);
    progress.update(2000, 8000, { cell: 0, count: 1000 });
    expect(f.written).toHaveLength(count);
  });

  it('quiet: nothing at all', () => {
    const f = fake();
    const progress = createProgress({ quiet: true, tty: true }, plan, f.stream, f.clock);
    progress.update(1000, 8000, { cell: 0, count: 1000 });
    progress.stop();
    expect(f.written).toEqual([]);
  });
});

/** tmux, on a server of this test's own; undefined where there is none. */
const TMUX = spawnSync('tmux', ['-V']).status === 0 ? `entangle-test-${process.pid}` : undefined;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', TMUX!, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!TMUX)('on a real terminal, 80 columns (tmux; skipped where tmux is not installed)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entangle-tty-'));
  });
  afterAll(() => {
    tmux('kill-server');
    rmSync(dir, { recursive: true, force: true });
  });

  /** The screen, waiting up to `ms` for `until` to show on it. */
  async function screen(until: RegExp, ms: number): Promise<string> {
    const end = Date.now() + ms;
    let text = '';
    while (Date.now() < end) {
      text = tmux('capture-pane', '-p', '-t', 'run').stdout;
      if (until.test(text)) return text;
      await sleep(200);
    }
    return text;
  }

  it('draws a line that fits, and on Ctrl-C clears it before anything else is printed', async () => {
    const out = join(dir, 'out');
    const command = `cd ${ROOT} && node dist/cli.js run configs/tight-vs-loose.yaml --runs 400000 --workers 1 --out ${out}; echo "exit $?"; sleep 60`;
    expect(tmux('new-session', '-d', '-s', 'run', '-x', '80', '-y', '30', command).status).toBe(0);
    const running = await screen(/runs\/s \| .*left/, 60_000);
    const bar = running.split('\n').find((l) => l.includes('runs/s'))!;
    expect([...bar].length).toBeLessThanOrEqual(77);
    expect(bar).toMatch(/runs\/s \| (\d+ (s|min|h)|estimating time)/);

    tmux('send-keys', '-t', 'run', 'C-c');
    const done = await screen(/exit \d+/, 60_000);
    const lines = done.split('\n');
    // The header, then the interrupt's message on a line of its own: no bar left over, no "^C".
    expect(lines[0]).toMatch(/^entangle: tight versus loose: 4 cells/);
    expect(lines[1]).toMatch(/^entangle: SIGINT: stopping after the batches in flight/);
    expect(done).not.toMatch(/[█░]|\^C/);
    // The summary of what was done fits, its shares right-aligned under their header.
    const header = lines.find((l) => /^cell\s+scenario/.test(l))!;
    const end = header.indexOf('contained') + 'contained'.length;
    const row = lines.find((l) => /^\s+0\s/.test(l))!;
    expect(row[end - 1]).toBe('%');
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(done).toMatch(/exit 130/);
  });
});
