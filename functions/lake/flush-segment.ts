import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeRowsToLake } from './lake-layout.ts';
import { LAKE_TABLES, type TableName } from './lake-table.ts';
import { fsyncDir, SPOOL_SUFFIX, spoolDir } from './spool-layout.ts';
import { decodeSpoolSegment } from './spool-record.ts';

export interface FlushResult {
  readonly segment: string;
  readonly rows: number;
  readonly files: readonly string[];
  /** Bytes of a torn tail left by a crash (never acknowledged), dropped. */
  readonly discardedBytes: number;
}

/**
 * Moves one closed spool segment into the lake: its rows grouped by day, one Parquet file per day
 * named `<segment id>.parquet` (atomic: temporary name, fsync, rename), then the segment removed.
 *
 * Idempotent, which is what makes recovery exactly-once: a crash after some or all Parquet files
 * were renamed but before the segment was removed leaves the segment, and flushing it again
 * writes the same rows under the same names, replacing the earlier files.
 */
export async function flushSegment(
  lake: string,
  segmentFile: string,
  table: TableName = 'events',
): Promise<FlushResult> {
  const id = basename(segmentFile, SPOOL_SUFFIX);
  const { rows, discardedBytes } = decodeSpoolSegment(await readFile(segmentFile));
  const files = await writeRowsToLake(lake, rows, () => `${id}.parquet`, LAKE_TABLES[table]);
  await rm(segmentFile, { force: true });
  await fsyncDir(spoolDir(lake, table));
  return { segment: id, rows: rows.length, files, discardedBytes };
}

/** Every segment file in the spool, oldest first. */
export async function listSegments(lake: string, table: TableName = 'events'): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(spoolDir(lake, table));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((n) => n.endsWith(SPOOL_SUFFIX))
    .sort()
    .map((n) => join(spoolDir(lake, table), n));
}

/** True while the spool segment a data file came from still exists (not yet committed). */
export async function segmentPending(lake: string, dataFileName: string): Promise<boolean> {
  const id = basename(dataFileName, '.parquet');
  try {
    await stat(join(spoolDir(lake), `${id}${SPOOL_SUFFIX}`));
    return true;
  } catch {
    return false;
  }
}
