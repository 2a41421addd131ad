import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Row } from '../schema/row.ts';
import { writeRowsToLake } from './lake-layout.ts';
import { LAKE_TABLES, type TableName } from './lake-table.ts';
import { quarantineDir } from './quarantine.ts';
import { fsyncDir, SPOOL_PREFIX, SPOOL_SUFFIX, spoolDir } from './spool-layout.ts';
import { type DamagedRange, decodeSpoolSegment } from './spool-record.ts';
import { uniqueByEventId } from './unique-rows.ts';

export interface FlushResult {
  readonly segment: string;
  readonly rows: number;
  readonly files: readonly string[];
  /** Bytes that could not be decoded (see `damaged`); kept in the quarantine, not deleted. */
  readonly discardedBytes: number;
  readonly damaged: readonly DamagedRange[];
  /** Decoded rows that cannot be stored (not an object, no valid event time); kept too. */
  readonly invalidRows: number;
  /** Where the segment was kept when any of it could not be stored, else null. */
  readonly quarantined: string | null;
}

/** Times a row may carry (years 1970 to 9999), so every stored row has a day every reader reads. */
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function storable(row: unknown, timeColumn: string): row is Row {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return false;
  const time = (row as Record<string, unknown>)[timeColumn];
  return typeof time === 'number' && Number.isFinite(time) && time >= 0 && time <= MAX_TIME_MS;
}

/**
 * Moves one closed spool segment into the lake: its rows grouped by day, one Parquet file per day
 * named `<segment id>.parquet` (atomic: temporary name, fsync, rename), then the segment removed.
 *
 * Idempotent, which is what makes recovery exactly-once: a crash after some or all Parquet files
 * were renamed but before the segment was removed leaves the segment, and flushing it again
 * writes the same rows under the same names, replacing the earlier files.
 *
 * A segment with bytes that do not decode or rows that cannot be stored is not removed but moved
 * whole to `errors/quarantine/spool/` (its good rows are in the lake), so nothing acknowledged is
 * ever deleted unread; the caller reports what was kept (lake-writer.ts).
 */
export async function flushSegment(
  lake: string,
  segmentFile: string,
  table: TableName = 'events',
): Promise<FlushResult> {
  const lakeTable = LAKE_TABLES[table];
  const id = basename(segmentFile, SPOOL_SUFFIX);
  const { rows: decoded, discardedBytes, damaged } = decodeSpoolSegment(await readFile(segmentFile));
  const valid = decoded.filter((row): row is Row => storable(row, lakeTable.timeColumn));
  const invalidRows = decoded.length - valid.length;
  const rows = uniqueByEventId(valid);
  const files = await writeRowsToLake(lake, rows, () => `${id}.parquet`, lakeTable);
  let quarantined: string | null = null;
  if (damaged.length > 0 || invalidRows > 0) {
    const dir = join(quarantineDir(lake), SPOOL_PREFIX, ...(table === 'events' ? [] : [table]));
    await mkdir(dir, { recursive: true });
    quarantined = join(dir, basename(segmentFile));
    await rename(segmentFile, quarantined);
    await fsyncDir(dir);
  } else await rm(segmentFile, { force: true });
  await fsyncDir(spoolDir(lake, table));
  return { segment: id, rows: rows.length, files, discardedBytes, damaged, invalidRows, quarantined };
}

/** Every segment file in the spool, oldest first (see `spoolEntries` for the rest). */
export async function listSegments(lake: string, table: TableName = 'events'): Promise<string[]> {
  return (await spoolEntries(lake, table)).segments;
}

/** Names the spool holds besides segments and its own lock and temporary files. */
const OWN_ENTRY = /^\.lock(\.tmp)?$/;

/**
 * The spool directory's segment files, oldest first, and every other entry (a directory named
 * `x.spool`, a stray file), which recovery leaves where it is and reports in one line each.
 */
export async function spoolEntries(
  lake: string,
  table: TableName = 'events',
): Promise<{ segments: string[]; unexpected: string[] }> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(spoolDir(lake, table), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { segments: [], unexpected: [] };
    throw error;
  }
  const segments: string[] = [];
  const unexpected: string[] = [];
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith(SPOOL_SUFFIX)) segments.push(entry.name);
    else if (!(entry.isFile() && OWN_ENTRY.test(entry.name)) && !isOtherTablesSpool(table, entry))
      unexpected.push(entry.name);
  }
  const inSpool = (n: string) => join(spoolDir(lake, table), n);
  return { segments: segments.sort().map(inSpool), unexpected: unexpected.sort().map(inSpool) };
}

/** The events spool holds the other tables' spool directories (spool/metrics/): not strays. */
function isOtherTablesSpool(table: TableName, entry: import('node:fs').Dirent): boolean {
  return table === 'events' && entry.isDirectory() && entry.name !== 'events' && entry.name in LAKE_TABLES;
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
