import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '../errors.js';

/**
 * Merges the runs.csv files of shards (given in shard order) into one with the rows an unsharded
 * run writes: cell by cell, and within a cell shard by shard (each shard holds a contiguous
 * range of every cell's runs). Streams line by line; the result is renamed into place at the end.
 */
export async function mergeRunsCsv(shardDirs: string[], outFile: string): Promise<void> {
  const readers = shardDirs.map((dir) => {
    const file = join(dir, 'runs.csv');
    if (!existsSync(file))
      throw new InputError(`${file}: missing; every shard needs runs.csv to merge it (run with --runs-csv)`);
    return {
      file,
      lines: createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })[
        Symbol.asyncIterator
      ](),
    };
  });
  const tmp = `${outFile}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  let header: string | undefined;
  const pending: (string | undefined)[] = [];
  for (const r of readers) {
    const first = await r.lines.next();
    if (first.done) throw new InputError(`${r.file}: empty; expected a header row`);
    if (header === undefined) header = first.value;
    else if (first.value !== header) throw new InputError(`${r.file}: header differs from the first shard's`);
    const next = await r.lines.next();
    pending.push(next.done ? undefined : next.value);
  }
  await write(`${header}\n`);
  const cellOf = (line: string) => Number(line.slice(0, line.indexOf(',')));
  for (;;) {
    let cell = Number.POSITIVE_INFINITY;
    for (const line of pending) if (line !== undefined) cell = Math.min(cell, cellOf(line));
    if (cell === Number.POSITIVE_INFINITY) break;
    for (let s = 0; s < readers.length; s++) {
      while (pending[s] !== undefined && cellOf(pending[s]!) === cell) {
        await write(`${pending[s]}\n`);
        const next = await readers[s]!.lines.next();
        pending[s] = next.done ? undefined : next.value;
      }
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    out.end();
  });
  renameSync(tmp, outFile);
}
