import { SingleBar } from 'cli-progress';

/** Progress of a run on stderr: a bar on a terminal, a plain line every few seconds otherwise, or nothing. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** `from`: runs already done when the bar starts (a resumed run), not counted in the rate. */
export function createProgress(mode: { quiet: boolean; tty: boolean }, total: number, from = 0): Progress {
  if (mode.quiet) return { update() {}, stop() {} };
  const started = Date.now();
  const rate = (done: number) => Math.max(0, done - from) / Math.max(1e-3, (Date.now() - started) / 1000);
  if (mode.tty) {
    const bar = new SingleBar({
      format: ' {bar} {percentage}% | {value}/{total} runs | {rate} runs/s | {eta_formatted} left',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    });
    bar.start(total, from, { rate: '0' });
    return {
      update: (done) => bar.update(done, { rate: Math.round(rate(done)).toLocaleString('en-US') }),
      stop: () => bar.stop(),
    };
  }
  let last = started;
  return {
    update(done, all) {
      const now = Date.now();
      if (now - last < 5000 && done < all) return;
      last = now;
      const r = rate(done);
      const left = r > 0 ? Math.round((all - done) / r) : 0;
      process.stderr.write(
        `entangle: ${done}/${all} runs (${((100 * done) / all).toFixed(1)}%), ${Math.round(r)} runs/s, ${left} s left\n`,
      );
    },
    stop() {},
  };
}
