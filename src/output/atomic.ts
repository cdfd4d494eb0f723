/**
 * Atomic writes, the one way entangle puts a file in place: write under a temporary name beside
 * it (`NAME.tmp-PID`), flush it to disk, rename. A reader sees the old file or the new one,
 * never half of one; a leftover temporary file names the process that left it.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { writeFailure } from '../errors.js';

/** Temporary names: the final name, `.tmp-` and the writing process's id. */
export const TEMP_NAME = /\.tmp-(\d+)$/;

/** The temporary name of `file` for this process. */
export function tempPath(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

/** Temporary files this process is writing, so that an exit it controls removes them. */
const pending = new Set<string>();

/** Records a temporary file being written (until `settled`). */
export function pendingTemp(tmp: string): string {
  pending.add(tmp);
  return tmp;
}

/** The temporary file was renamed into place or removed. */
export function settled(tmp: string): void {
  pending.delete(tmp);
}

/** Removes every temporary file this process has not finished (for an exit at once). */
export function removePendingTemps(): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
  pending.clear();
}

// Whatever way the process ends that runs exit handlers, no temporary file of it stays.
process.on('exit', removePendingTemps);

/** Flushes a folder's entries (renames into it) to disk; file systems that cannot are ignored. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename itself has happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `file` atomically and durably. A failure (disk full, no permission, folder gone)
 * removes the temporary file and throws an OutputError naming `file` and the cause.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = pendingTemp(tempPath(file));
  try {
    writeFileSync(tmp, data);
    fsyncFile(tmp);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeFailure(file, err);
  } finally {
    settled(tmp);
  }
}

/** writeFileAtomic without blocking the event loop (for the checkpoint, written while workers run). */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = pendingTemp(tempPath(file));
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw writeFailure(file, err);
  } finally {
    settled(tmp);
  }
}

/** Flushes a written file to disk by name. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames a finished temporary file into place (failures as OutputError). */
export function renameIntoPlace(tmp: string, file: string): void {
  try {
    renameSync(tmp, file);
  } catch (err) {
    throw writeFailure(file, err);
  }
}
