import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { InputError, writeFailure } from '../errors.js';
import type { PartialFile } from './partial.js';
import { runsHeader, runsRowPrefix } from './runs-csv.js';

/** A shard's runs.csv read record by record, checked against what its partial.json says it holds. */
class ShardRows {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly decoder = new StringDecoder('utf8');
  private readonly hash = createHash('sha256');
  private buf = '';
  private pos = 0;
  private eof = false;
  bytes = 0;
  rows = 0;

  constructor(
    readonly file: string,
    readonly label: string,
  ) {
    this.chunks = createReadStream(file)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  private async more(): Promise<boolean> {
    if (this.eof) return false;
    let next: IteratorResult<Buffer>;
    try {
      next = await this.chunks.next();
    } catch (err) {
      throw new InputError(`${this.file}: cannot read the file: ${(err as Error).message.split('\n')[0]}`);
    }
    if (next.done) {
      this.eof = true;
      this.buf = this.buf.slice(this.pos) + this.decoder.end();
      this.pos = 0;
      return false;
    }
    this.bytes += next.value.length;
    this.hash.update(next.value);
    this.buf = this.buf.slice(this.pos) + this.decoder.write(next.value);
    this.pos = 0;
    return true;
  }

  /** The next record, which must start with `prefix` (its cell, scenario and run): the whole line. */
  async record(prefix: string, what: string): Promise<string> {
    for (;;) {
      // The line ends at the first newline from the prefix's last character on (the header's own).
      const from = this.pos + Math.max(0, prefix.length - 1);
      const end = this.buf.length > from ? this.buf.indexOf('\n', from) : -1;
      if (end >= 0) {
        if (!this.buf.startsWith(prefix, this.pos))
          throw new InputError(
            `${this.file}: row ${this.rows + 1}: expected ${what}; the ${this.label}'s runs.csv was changed or damaged (rerun the shard)`,
          );
        const line = this.buf.slice(this.pos, end + 1);
        this.pos = end + 1;
        this.rows++;
        return line;
      }
      if (!(await this.more())) {
        throw new InputError(
          `${this.file}: ends after ${this.rows} rows, before ${what}; the ${this.label}'s runs.csv is short (truncated?): rerun the shard`,
        );
      }
    }
  }

  /** Checks the end: nothing after the last row, and the size and SHA-256 partial.json recorded. */
  async finish(expected: { bytes: number; sha256: string }): Promise<void> {
    while (await this.more());
    if (this.pos < this.buf.length)
      throw new InputError(
        `${this.file}: rows after the last run of the ${this.label}; expected none (rerun the shard)`,
      );
    if (this.bytes !== expected.bytes || this.hash.digest('hex') !== expected.sha256)
      throw new InputError(
        `${this.file}: does not match the checksum in partial.json (${this.bytes} bytes, ${expected.bytes} recorded); the file was changed or damaged: rerun the shard`,
      );
  }
}

/**
 * Merges the runs.csv files of shards (given in shard order) into `outFile`: the rows an
 * unsharded run writes, cell by cell, and within a cell shard by shard (each shard holds a
 * contiguous range of every cell's runs). Every row is checked to be the run partial.json
 * says comes next, and each file against its recorded size and SHA-256, so a missing,
 * truncated or edited runs.csv is refused, naming the shard.
 */
export async function mergeRunsCsv(
  shards: { dir: string; data: PartialFile }[],
  outFile: string,
): Promise<void> {
  const header = runsHeader();
  const readers = shards.map((s) => new ShardRows(join(s.dir, 'runs.csv'), `shard ${s.data.shard.index}`));
  const out = createWriteStream(outFile);
  let failed: Error | undefined;
  out.on('error', (err) => {
    failed ??= writeFailure(outFile, err);
  });
  const write = async (text: string) => {
    if (failed) throw failed;
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', r).once('error', () => r()));
  };
  try {
    for (const r of readers) await r.record(header, 'the header row');
    await write(header);
    const plan = shards[0]!.data.plan;
    for (const cell of plan.cells) {
      const prefix = runsRowPrefix(cell.index, cell.scenario);
      for (const [s, shard] of shards.entries()) {
        const record = shard.data.cells[cell.index]!;
        const first = record.from * plan.batchSize;
        let text = '';
        for (let run = first; run < first + record.runs; run++) {
          text += await readers[s]!.record(`${prefix}${run},`, `run ${run} of cell ${cell.index}`);
          if (text.length > 1 << 20) {
            await write(text);
            text = '';
          }
        }
        await write(text);
      }
    }
    for (const [s, r] of readers.entries()) await r.finish(shards[s]!.data.checksums.runs_csv!);
  } finally {
    await new Promise<void>((resolve) => {
      out.end(() => resolve());
      out.once('error', () => resolve());
    });
  }
  if (failed) throw failed;
}
