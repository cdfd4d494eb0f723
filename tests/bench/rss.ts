/**
 * Preloaded (`node --import`) into an entangle process by the bench: at exit, writes the
 * process's peak resident set (KB, worker threads included) to BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE)
    writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
