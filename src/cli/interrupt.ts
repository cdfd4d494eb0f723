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
    /** Clears what is drawn on the terminal (the progress line) before a message is printed. */
    private readonly clear: () => void = () => {},
  ) {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  private receive(signal: NodeJS.Signals): void {
    this.clear();
    if (this.signal === undefined) {
      this.signal = signal;
      if (this.phase === 'computing') {
        // What is done is written when they have: the summary says so, not this line.
        this.say(`entangle: ${signal}: stopping after the batches in flight (again to quit now)`);
        this.controller.abort();
      } else {
        this.say(`entangle: ${signal}: finishing writing the results (again to quit now)`);
      }
      return;
    }
    let kept = '';
    try {
      kept = this.quit();
    } finally {
      removePendingTemps();
    }
    process.stderr.write(`entangle: ${signal} again: stopped at once${kept ? `; ${kept}` : ''}\n`);
    process.exit(130);
  }

  /** Stops listening (the default action of a signal applies again). */
  uninstall(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
