import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Row } from '../schema/row.ts';
import { finishJournal, recoverCompactions, writeJournal } from './compact-journal.ts';
import { listDataFiles } from './data-files.ts';
import type { ErrorsLog } from './errors-log.ts';
import { segmentPending } from './flush-segment.ts';
import { eventsDir, newDataFileName, partitionDir } from './lake-layout.ts';
import { acquireLock, readLock } from './lake-lock.ts';
import { COMPACT_LOCK, lockPath } from './lake-writer.ts';
import { writeParquetFile } from './parquet-file.ts';
import { quarantineFile } from './quarantine.ts';
import { readParquetRows } from './read-parquet-rows.ts';
import { uniqueByEventId } from './unique-rows.ts';

/**
 * Merges a day's Parquet files into one with the same rows (same values, same order: file name
 * order, then row order), safely while `serve` runs:
 * - files whose spool segment still exists (a flush not yet committed) are left alone, and so
 *   are temporary files while a writer holds the lake;
 * - the merged file is published atomically, then the inputs are removed, under a journal
 *   (compact-journal.ts), so a crash never leaves rows twice or lost;
 * - one compaction at a time per lake (`<lake>/.compact.lock`);
 * - rows are de-duplicated by `event_id` (the deterministic event key: a retried request stored
 *   twice is stored once after compaction; the first copy in file order is kept);
 * - a file that cannot be read is moved to the quarantine (one line in `errors/`), not merged.
 * Readers list files through data-files.ts, which leaves out the inputs once the merged file is
 * published, so no reader sees the day twice, even after a kill -9 between publish and removal.
 */
export interface CompactResult {
  readonly dt: string;
  readonly inputs: number;
  readonly rows: number;
  /** File name of the merged file, or null when there was nothing to merge. */
  readonly output: string | null;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  /** Rows dropped because an earlier row had the same event_id. */
  readonly duplicates: number;
  /** Files moved to the quarantine because they could not be read. */
  readonly quarantined: number;
}

/** Set only by the fault-injection tests: kill -9 this process at a named point. */
const FAULT = process.env.CLAUDE_OTEL_LAKE_FAULT;

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

export async function compactDays(
  lake: string,
  days: readonly string[],
  errors?: ErrorsLog,
): Promise<CompactResult[]> {
  const release = await acquireLock(join(lake, COMPACT_LOCK), { command: 'compact' });
  try {
    // A live `serve` writes its flushes through temporary files too: leave those alone (it
    // removes what a crash left behind when it starts).
    const writer = await readLock(lockPath(lake));
    await recoverCompactions(lake, { removePartials: writer === null });
    const results: CompactResult[] = [];
    for (const dt of days) results.push(await compactDayLocked(lake, dt, errors));
    return results;
  } finally {
    await release();
  }
}

async function compactDayLocked(lake: string, dt: string, errors?: ErrorsLog): Promise<CompactResult> {
  // Absolute, as data-files.ts lists them.
  const dayDir = partitionDir(resolve(lake), dt);
  const listing = await listDataFiles(lake);
  let quarantined = 0;
  for (const bad of listing.bad.filter((b) => b.path.startsWith(`${dayDir}/`))) {
    await quarantineFile(lake, bad.path, bad.reason, errors);
    quarantined++;
  }
  const inputs: string[] = [];
  for (const path of listing.files.filter((f) => f.startsWith(`${dayDir}/`))) {
    if (!(await segmentPending(lake, basename(path)))) inputs.push(path);
  }
  let rows: Row[] = [];
  for (;;) {
    if (inputs.length < 2) break;
    try {
      rows = await readParquetRows(inputs);
      break;
    } catch (error) {
      // Sound framing but unreadable inside: quarantine that file and merge the others.
      const text = error instanceof Error ? error.message : String(error);
      const culprit = inputs.find((f) => text.includes(f));
      if (culprit === undefined) throw error;
      await quarantineFile(lake, culprit, text.split('\n')[0]!, errors);
      inputs.splice(inputs.indexOf(culprit), 1);
      quarantined++;
    }
  }
  let bytesBefore = 0;
  for (const path of inputs) bytesBefore += (await stat(path)).size;
  if (inputs.length < 2) {
    const base = { dt, inputs: inputs.length, rows: 0, output: null, bytesBefore, bytesAfter: bytesBefore };
    return { ...base, duplicates: 0, quarantined };
  }
  const unique = uniqueByEventId(rows);
  const output = newDataFileName();
  const journal = { output, inputs: inputs.map((p) => basename(p)) };
  const journalPath = await writeJournal(dayDir, journal);
  await writeParquetFile(join(dayDir, output), unique);
  if (FAULT === 'compact-after-publish') process.kill(process.pid, 'SIGKILL');
  await finishJournal(dayDir, journalPath, journal);
  const bytesAfter = (await stat(join(dayDir, output))).size;
  return {
    dt,
    inputs: inputs.length,
    rows: unique.length,
    output,
    bytesBefore,
    bytesAfter,
    duplicates: rows.length - unique.length,
    quarantined,
  };
}
