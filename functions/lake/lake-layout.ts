import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PARTITION_KEY } from '../schema/columns.ts';
import type { Row } from '../schema/row.ts';
import { EVENTS_TABLE, type LakeTable } from './lake-table.ts';
import { writeParquetFile } from './parquet-file.ts';

/**
 * The lake's layout, the same locally and on S3:
 *
 *   <lake>/events/dt=2026-01-05/<unique>.parquet     sanitized rows
 *   <lake>/errors/                                    rejected records (local mode)
 *
 * Locally `dt` is the UTC date of `event_time`; Firehose uses the UTC arrival date, which is the
 * same day for live traffic. Queries allow one day of slack on each side for that reason.
 */
export const EVENTS_PREFIX = 'events';
export const ERRORS_PREFIX = 'errors';

export const eventsDir = (lake: string): string => join(lake, EVENTS_PREFIX);
export const errorsDir = (lake: string): string => join(lake, ERRORS_PREFIX);
export const partitionDir = (lake: string, dt: string, table: LakeTable = EVENTS_TABLE): string =>
  join(lake, table.prefix, `${PARTITION_KEY}=${dt}`);

/** Glob of every data file, for DuckDB's read_parquet. */
export const eventsGlob = (lake: string): string => join(eventsDir(lake), '**', '*.parquet');

/** `yyyy-MM-dd` (UTC) of a row's event time. */
export function partitionOf(row: Row, timeColumn = 'event_time'): string {
  const time = (row as Record<string, unknown>)[timeColumn];
  return new Date(typeof time === 'number' ? time : 0).toISOString().slice(0, 10);
}

/** A sortable, unique file name: time first so a directory listing reads in write order. */
export function newDataFileName(now = Date.now()): string {
  return `${now.toString().padStart(14, '0')}-${randomUUID()}.parquet`;
}

/**
 * Groups rows by partition and writes one new Parquet file per partition; returns the paths.
 * `fileName` names each day's file (default: a new unique name); the spool flush passes its
 * segment id so that flushing a segment again replaces its files instead of adding copies.
 */
export async function writeRowsToLake(
  lake: string,
  rows: Iterable<Row>,
  fileName: (dt: string) => string = () => newDataFileName(),
  table: LakeTable = EVENTS_TABLE,
): Promise<string[]> {
  const byDay = new Map<string, Row[]>();
  for (const row of rows) {
    const dt = partitionOf(row, table.timeColumn);
    const bucket = byDay.get(dt);
    if (bucket) bucket.push(row);
    else byDay.set(dt, [row]);
  }
  const written: string[] = [];
  for (const [dt, dayRows] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(partitionDir(lake, dt, table), fileName(dt));
    await writeParquetFile(path, dayRows, table.columns);
    written.push(path);
  }
  return written;
}
