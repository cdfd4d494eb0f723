import { Eta } from './eta.js';

/**
 * Progress of a run on stderr: on a terminal one line redrawn in place, as wide as the
 * terminal (the bar shortened first, then the run counts left out: the rate and the time left
 * stay); otherwise a plain line every few seconds, for logs; or nothing.
 * Written here rather than with a progress-bar library: the line's width and its time left
 * (eta.ts, priced per cell) are the two things such a library decides for itself.
 */
export interface Progress {
  /** `batch.count` runs of cell `batch.cell` were merged: `done` of `total` now. */
  update(done: number, total: number, batch: { cell: number; count: number }): void;
  /** Stops drawing. `clear` removes the line (after Ctrl-C, so that the next message starts clean); else it stays as last drawn. */
  stop(clear?: boolean): void;
}

/** What the run will do, per cell: runs to do (in this shard) and the cell's scenario. */
export interface ProgressPlan {
  planned: readonly number[];
  scenarios: readonly string[];
}

/** Where progress goes: stderr, or a test's stand-in. */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

const REDRAW_MS = 100;
const LOG_EVERY_MS = 5000;
const BAR_MAX = 40;
const BAR_MIN = 5;

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Seconds as a person reads them: "42 s", "4 min 05 s", "2 h 07 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * The progress line for a terminal `width` columns wide, at most width − 3 long: the terminal
 * echoes a Ctrl-C as "^C" after it, and that must not wrap onto a line of its own.
 */
export function progressLine(
  p: { done: number; total: number; rate: number; left: number | undefined },
  width: number,
): string {
  const share = p.total > 0 ? p.done / p.total : 1;
  const head = `${Math.floor(share * 100)}%`.padStart(4);
  const rate = `${count(p.rate)} runs/s`;
  const left = p.left === undefined ? 'estimating time left' : `${formatDuration(p.left)} left`;
  const counts = `${count(p.done)}/${count(p.total)} runs`;
  const room = width - 3;
  for (const parts of [
    [head, counts, rate, left],
    [head, rate, left],
  ]) {
    const text = parts.join(' | ');
    const bar = Math.min(BAR_MAX, room - text.length - 2);
    if (bar >= BAR_MIN) {
      const full = Math.round(share * bar);
      return ` ${'█'.repeat(full)}${'░'.repeat(bar - full)} ${text}`;
    }
  }
  return [head, rate, left].join(' | ').slice(0, Math.max(0, room));
}

/** The progress display of a run: `mode.tty` for a terminal, `mode.quiet` for none. */
export function createProgress(
  mode: { quiet: boolean; tty: boolean },
  plan: ProgressPlan,
  stream: ProgressStream = process.stderr,
  clock: () => number = () => performance.now() / 1000,
): Progress {
  if (mode.quiet) return { update() {}, stop() {} };
  const started = clock();
  const eta = new Eta(plan.planned, plan.scenarios);
  let done = 0;
  let total = plan.planned.reduce((s, n) => s + n, 0);
  const state = () => {
    const now = clock();
    return { done, total, rate: done / Math.max(1e-3, now - started), left: eta.left(now) };
  };

  if (!mode.tty) {
    let last = started;
    return {
      update(d, t, batch) {
        done = d;
        total = t;
        eta.record(clock(), batch.cell, batch.count);
        const now = clock();
        if ((now - last) * 1000 < LOG_EVERY_MS && d < t) return;
        last = now;
        const s = state();
        const left = s.left === undefined ? '' : `, ${formatDuration(s.left)} left`;
        stream.write(
          `entangle: ${d}/${t} runs (${((100 * d) / t).toFixed(1)}%), ${Math.round(s.rate)} runs/s${left}\n`,
        );
      },
      stop() {},
    };
  }

  let drawn = 0;
  let stopped = false;
  const draw = () => {
    drawn = clock();
    // \r and erase-to-end-of-line: the line is redrawn in place, whatever was there before.
    stream.write(`\r${progressLine(state(), stream.columns || 80)}\x1b[K`);
  };
  // The clock runs down between batches too (a large system's batch can take seconds).
  const timer = setInterval(draw, 1000);
  timer.unref();
  draw();
  return {
    update(d, t, batch) {
      if (stopped) return;
      done = d;
      total = t;
      eta.record(clock(), batch.cell, batch.count);
      if ((clock() - drawn) * 1000 >= REDRAW_MS || d >= t) draw();
    },
    stop(clear = false) {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (clear) stream.write('\r\x1b[K');
      else {
        draw();
        stream.write('\n');
      }
    },
  };
}
