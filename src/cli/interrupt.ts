/**
 * Ctrl-C and SIGTERM for every command that runs: the first signal while computing stops
 * submitting (tasks in flight finish, everything finished is written); the first while
 * writing lets the writing finish; a second signal quits at once, after `quit` has saved what
 * can be saved (the checkpoint) and removed every temporary file.
 */
import { removePendingTemps } from '../output/atomic.js';

export type Phase = 'computing' | 'writing';

export class Interrupts {
  readonly controller = new AbortController();
  /** The first signal received, if any. */
  signal: NodeJS.Signals | undefined;
  phase: Phase = 'computing';
  private readonly handler = (signal: NodeJS.Signals) => this.receive(signal);

  /**
   * `say` prints a line unless quiet; `quit` runs before an exit at once (sync) and returns the
   * sentence to print about what was kept.
   */
  constructor(
    private readonly say: (line: string) => void,
    private readonly quit: () => string,
  ) {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  private receive(signal: NodeJS.Signals): void {
    if (this.signal === undefined) {
      this.signal = signal;
      if (this.phase === 'computing') {
        this.say(
          `\nentangle: ${signal}: finishing the batches in flight and writing what is done (again to quit at once)`,
        );
        this.controller.abort();
      } else {
        this.say(`\nentangle: ${signal}: finishing writing the results (again to quit at once)`);
      }
      return;
    }
    let kept = '';
    try {
      kept = this.quit();
    } finally {
      removePendingTemps();
    }
    process.stderr.write(`\nentangle: ${signal} again: stopped at once${kept ? `; ${kept}` : ''}\n`);
    process.exit(130);
  }

  /** Stops listening (the default action of a signal applies again). */
  uninstall(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
