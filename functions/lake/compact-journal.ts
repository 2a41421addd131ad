import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventsDir } from './lake-layout.ts';
import { PARTIAL_SUFFIX } from './parquet-file.ts';
import { fsyncDir } from './spool-layout.ts';

/**
 * Compaction's journal, so a crash in the middle never leaves a day with rows twice or lost:
 *
 *   1. write `dt=…/.compact-<uuid>.json` = { output, inputs } (fsync'd; hidden from `*.parquet`)
 *   2. write the merged file atomically (temporary name, fsync, rename)
 *   3. remove the inputs, fsync the directory
 *   4. remove the journal
 *
 * Replaying a journal: if its output exists the merge completed, so the inputs still present are
 * removed; if not, nothing was published and the journal is simply dropped.
 */
export const JOURNAL_PREFIX = '.compact-';

export interface CompactJournal {
  readonly output: string;
  readonly inputs: readonly string[];
}

export async function writeJournal(dayDir: string, journal: CompactJournal): Promise<string> {
  const path = join(dayDir, `${JOURNAL_PREFIX}${randomUUID()}.json`);
  await writeFile(path, JSON.stringify(journal), { flush: true });
  await fsyncDir(dayDir);
  return path;
}

export async function finishJournal(dayDir: string, path: string, journal: CompactJournal): Promise<void> {
  for (const input of journal.inputs) await rm(join(dayDir, input), { force: true });
  await fsyncDir(dayDir);
  await rm(path, { force: true });
}

/**
 * Replays leftover journals in every day of the lake and, unless `removePartials` is false,
 * removes temporary (`.partial`) files. Pass false while a writer may be flushing: its
 * temporary files look the same as the ones a crash left behind.
 */
export async function recoverCompactions(lake: string, { removePartials = true } = {}): Promise<number> {
  let replayed = 0;
  for (const day of await listDir(eventsDir(lake))) {
    const dayDir = join(eventsDir(lake), day);
    for (const name of await listDir(dayDir)) {
      const path = join(dayDir, name);
      if (name.endsWith(PARTIAL_SUFFIX)) {
        if (removePartials) await rm(path, { force: true });
      } else if (name.startsWith(JOURNAL_PREFIX)) {
        let journal: CompactJournal | null = null;
        try {
          journal = JSON.parse(await readFile(path, 'utf8')) as CompactJournal;
        } catch {
          journal = null;
        }
        if (journal && (await exists(join(dayDir, journal.output))))
          await finishJournal(dayDir, path, journal);
        else await rm(path, { force: true });
        replayed++;
      }
    }
  }
  return replayed;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return [];
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
