/**
 * runs.csv while a run goes on: rows appended to checkpoint-runs.csv in the output folder as
 * tasks are merged. The checkpoint records how many bytes belong to the batches it holds, so
 * a resumed run cuts the file back to that length (dropping rows of batches in flight when the
 * run died) and appends from there: the finished file is byte for byte an uninterrupted one.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError, writeFailure } from '../errors.js';
import { RUNS_WORK_FILE } from './folder.js';
import { runsHeader } from './runs-csv.js';

const datasync = promisify(fdatasync);

/** The runs.csv being written; `hashed` keeps a SHA-256 of the bytes (for a shard's checksums). */
export class RunsFile {
  private constructor(
    readonly path: string,
    private fd: number,
    public bytes: number,
    private readonly hash: Hash | undefined,
  ) {}

  /** Starts checkpoint-runs.csv in `dir` with the header row. */
  static create(dir: string, hashed: boolean): RunsFile {
    const path = join(dir, RUNS_WORK_FILE);
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (err) {
      throw writeFailure(path, err);
    }
    const file = new RunsFile(path, fd, 0, hashed ? createHash('sha256') : undefined);
    file.append(Buffer.from(runsHeader()));
    return file;
  }

  /**
   * Reopens the rows of an interrupted run, cut back to the `bytes` its checkpoint holds: from
   * checkpoint-runs.csv, or from runs.csv where the interrupted run published them.
   */
  static reopen(dir: string, bytes: number, hashed: boolean): RunsFile {
    const path = join(dir, RUNS_WORK_FILE);
    const published = join(dir, 'runs.csv');
    if (!existsSync(path) && existsSync(published)) {
      try {
        renameSync(published, path);
      } catch (err) {
        throw writeFailure(published, err);
      }
    } else if (existsSync(published)) rmSync(published, { force: true });
    const size = existsSync(path) ? statSync(path).size : -1;
    if (size < bytes)
      throw new InputError(
        `${dir}: the checkpoint holds ${bytes} bytes of runs.csv rows, but ${size < 0 ? `${RUNS_WORK_FILE} is missing` : `${RUNS_WORK_FILE} has ${size}`}; cannot resume (--force starts over)`,
      );
    let fd: number;
    try {
      fd = openSync(path, 'r+');
      ftruncateSync(fd, bytes);
    } catch (err) {
      throw writeFailure(path, err);
    }
    const hash = hashed ? createHash('sha256') : undefined;
    if (hash) {
      const chunk = Buffer.alloc(1 << 20);
      for (let at = 0; at < bytes; ) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, bytes - at), at);
        if (n <= 0) break;
        hash.update(chunk.subarray(0, n));
        at += n;
      }
    }
    return new RunsFile(path, fd, bytes, hash);
  }

  /** Appends rows (whole rows: a task's), at the end of what the checkpoint holds. */
  append(rows: Uint8Array): void {
    try {
      for (let done = 0; done < rows.length; )
        done += writeSync(this.fd, rows, done, rows.length - done, this.bytes + done);
    } catch (err) {
      throw writeFailure(this.path, err);
    }
    this.bytes += rows.length;
    this.hash?.update(rows);
  }

  /** Resolves when every byte appended so far is on disk. */
  async sync(): Promise<void> {
    try {
      await datasync(this.fd);
    } catch (err) {
      throw writeFailure(this.path, err);
    }
  }

  /** sync, blocking (for an exit at once). */
  syncNow(): void {
    try {
      fdatasyncSync(this.fd);
    } catch (err) {
      throw writeFailure(this.path, err);
    }
  }

  /** SHA-256 of the bytes so far (hashed files only). */
  digest(): string {
    return this.hash!.copy().digest('hex');
  }

  /** Closes the file; it stays where it is. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
