import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finishJournal, recoverCompactions, writeJournal } from './compact-journal.ts';
import { segmentPending } from './flush-segment.ts';
import { eventsDir, newDataFileName, partitionDir } from './lake-layout.ts';
import { acquireLock, readLock } from './lake-lock.ts';
import { COMPACT_LOCK, lockPath } from './lake-writer.ts';
import { writeParquetFile } from './parquet-file.ts';
import { readParquetRows } from './read-parquet-rows.ts';

/**
 * Merges a day's Parquet files into one with the same rows (same values, same order: file name
 * order, then row order), safely while `serve` runs:
 * - files whose spool segment still exists (a flush not yet committed) are left alone, and so
 *   are temporary files while a writer holds the lake;
 * - the merged file is published atomically, then the inputs are removed, under a journal
 *   (compact-journal.ts), so a crash never leaves rows twice or lost;
 * - one compaction at a time per lake (`<lake>/.compact.lock`).
 * A query that lists the day's files in the instant between publishing and removing can see
 * the rows twice; queries that start after see them once.
 */
export interface CompactResult {
  readonly dt: string;
  readonly inputs: number;
  readonly rows: number;
  /** File name of the merged file, or null when there was nothing to merge. */
  readonly output: string | null;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

const DAY = /^dt=(\d{4}-\d{2}-\d{2})$/;

/** Days present in the lake (`yyyy-MM-dd`), oldest first. */
export async function lakeDays(lake: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(eventsDir(lake));
  } catch {
    return [];
  }
  return names
    .map((n) => DAY.exec(n)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
}

export async function compactDays(lake: string, days: readonly string[]): Promise<CompactResult[]> {
  const release = await acquireLock(join(lake, COMPACT_LOCK), { command: 'compact' });
  try {
    // A live `serve` writes its flushes through temporary files too: leave those alone (it
    // removes what a crash left behind when it starts).
    const writer = await readLock(lockPath(lake));
    await recoverCompactions(lake, { removePartials: writer === null });
    const results: CompactResult[] = [];
    for (const dt of days) results.push(await compactDayLocked(lake, dt));
    return results;
  } finally {
    await release();
  }
}

async function compactDayLocked(lake: string, dt: string): Promise<CompactResult> {
  const dayDir = partitionDir(lake, dt);
  const inputs: string[] = [];
  let bytesBefore = 0;
  let names: string[] = [];
  try {
    names = (await readdir(dayDir)).filter((n) => n.endsWith('.parquet') && !n.startsWith('.')).sort();
  } catch {
    names = [];
  }
  for (const name of names) {
    if (await segmentPending(lake, name)) continue;
    inputs.push(name);
    bytesBefore += (await stat(join(dayDir, name))).size;
  }
  if (inputs.length < 2)
    return { dt, inputs: inputs.length, rows: 0, output: null, bytesBefore, bytesAfter: bytesBefore };
  const rows = await readParquetRows(inputs.map((n) => join(dayDir, n)));
  const output = newDataFileName();
  const journal = { output, inputs };
  const journalPath = await writeJournal(dayDir, journal);
  await writeParquetFile(join(dayDir, output), rows);
  await finishJournal(dayDir, journalPath, journal);
  const bytesAfter = (await stat(join(dayDir, output))).size;
  return { dt, inputs: inputs.length, rows: rows.length, output, bytesBefore, bytesAfter };
}
