/**
 * Publishing a command's outputs together: every file is first written completely under its
 * temporary name in the output folder, then the older manifest and the older run's files go,
 * the new files are renamed into place, and manifest.json comes last. Until the new manifest
 * is there the folder has none, so a folder with a manifest always holds the files it lists.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFailure } from '../errors.js';
import {
  fsyncDir,
  fsyncFile,
  pendingTemp,
  renameIntoPlace,
  settled,
  tempPath,
  writeFileAtomic,
} from './atomic.js';
import { CHECKPOINT_FILE, MANIFEST_FILE, RUNS_WORK_FILE, removeResults } from './folder.js';

/**
 * One output file of a publication. Either `write` writes its whole content to the path it is
 * given (a temporary name; it may be async), or `from` names a file already written in the
 * folder (runs.csv's rows), renamed into place as it is.
 */
export interface OutputFile {
  name: string;
  write?: (path: string) => void | Promise<void>;
  from?: string;
}

/** An output file whose content `text` makes (when the publication writes it). */
export function textFile(name: string, text: () => string | Uint8Array): OutputFile {
  return { name, write: (path) => writeFileSync(path, text()) };
}

/**
 * Publishes `files` into `dir`, then the manifest that `manifest` builds from the list of
 * file names (manifest.json included). `keep` names files of the folder that stay (the
 * checkpoint of an interrupted run). `views` writes files made from the published ones
 * (report.html, results.xlsx, sensitivity.csv: they read the folder) and returns their names,
 * which a second manifest then lists. Returns the names. A failure removes what it wrote under
 * temporary names and throws an OutputError; files given by `from` stay where they were.
 */
export async function publish(
  dir: string,
  files: readonly OutputFile[],
  manifest: (names: string[]) => unknown,
  keep: readonly string[] = [],
  views?: () => Promise<string[]>,
): Promise<string[]> {
  const written: { tmp: string; final: string }[] = [];
  try {
    for (const f of files) {
      const final = join(dir, f.name);
      if (f.from !== undefined) {
        try {
          fsyncFile(f.from);
        } catch (err) {
          throw writeFailure(f.from, err);
        }
        written.push({ tmp: f.from, final });
        continue;
      }
      const tmp = pendingTemp(tempPath(final));
      written.push({ tmp, final });
      try {
        await f.write!(tmp);
        fsyncFile(tmp);
      } catch (err) {
        throw writeFailure(final, err);
      }
    }
  } catch (err) {
    for (const w of written) {
      if (files.some((f) => f.from === w.tmp)) continue;
      rmSync(w.tmp, { force: true });
      settled(w.tmp);
    }
    throw err;
  }
  // Test hook: hold the publication here, every file written under its temporary name.
  const pause = Number(process.env.ENTANGLE_TEST_PUBLISH_PAUSE_MS);
  if (pause > 0) await new Promise((r) => setTimeout(r, pause));
  const names = [...files.map((f) => f.name), MANIFEST_FILE];
  // The older manifest first, then whatever of the older results the new ones do not replace.
  removeResults(dir, [...names, ...keep, CHECKPOINT_FILE, RUNS_WORK_FILE]);
  for (const w of written) {
    renameIntoPlace(w.tmp, w.final);
    settled(w.tmp);
  }
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest(names), null, 2)}\n`);
  fsyncDir(dir);
  // Views of the published files (they read them, the manifest included): written atomically
  // next, then listed by a new manifest, so at every moment the manifest lists files that exist.
  const more = views ? await views() : [];
  if (more.length === 0) return names;
  const all = [...names.slice(0, -1), ...more, MANIFEST_FILE];
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest(all), null, 2)}\n`);
  fsyncDir(dir);
  return all;
}
