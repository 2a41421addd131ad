import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { newDataFileName } from './lake-layout.ts';
import type { TableName } from './lake-table.ts';

/**
 * Where the spool lives and how its segments are named:
 *
 *   <lake>/spool/00001767607200000-3f2a….spool      one segment, appended while active
 *   <lake>/events/dt=2026-01-05/00001767607200000-3f2a….parquet   its rows of that day, once flushed
 *
 * A segment's Parquet files carry the segment's id, so flushing a segment again after a crash
 * (before its spool file was removed) replaces the same files instead of adding copies, and
 * compaction leaves alone any file whose segment still exists.
 */
export const SPOOL_PREFIX = 'spool';
export const SPOOL_SUFFIX = '.spool';

/** Events spool in `<lake>/spool`, any other table's in `<lake>/spool/<table>`. */
export const spoolDir = (lake: string, table: TableName = 'events'): string =>
  table === 'events' ? join(lake, SPOOL_PREFIX) : join(lake, SPOOL_PREFIX, table);

/** Sortable and unique: the same shape as data file names, without the extension. */
export const newSegmentId = (now = Date.now()): string => newDataFileName(now).replace(/\.parquet$/, '');

export const segmentPath = (lake: string, id: string): string => join(spoolDir(lake), `${id}${SPOOL_SUFFIX}`);

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
