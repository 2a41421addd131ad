import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import parquet from 'parquetjs-lite';
import { COLUMNS, type Column } from '../schema/columns.ts';
import type { Row } from '../schema/row.ts';
import { lakeParquetSchema } from './parquet-schema.ts';

/** Suffix of files being written; readers glob `*.parquet`, so they never see one. */
export const PARTIAL_SUFFIX = '.partial';

const ROW_GROUP_SIZE = 100_000;
const schemas = new Map<readonly Column[], ReturnType<typeof lakeParquetSchema>>();
const schemaOf = (columns: readonly Column[]) => {
  let schema = schemas.get(columns);
  if (!schema) {
    schema = lakeParquetSchema(columns);
    schemas.set(columns, schema);
  }
  return schema;
};

/**
 * Writes rows to one Parquet file atomically: a temporary name in the same directory, fsync, then
 * rename, then fsync of the directory. A crash leaves either no file or the whole file.
 * Data pages are v1 (the most widely readable: Athena, Hive, Spark, DuckDB).
 */
export async function writeParquetFile(
  path: string,
  rows: Iterable<Row>,
  columns: readonly Column[] = COLUMNS,
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${randomUUID()}${PARTIAL_SUFFIX}`);
  try {
    const stream = createWriteStream(temporary);
    const writer = await parquet.ParquetWriter.openStream(schemaOf(columns), stream, {
      useDataPageV2: false,
    });
    writer.setRowGroupSize(ROW_GROUP_SIZE);
    for (const row of rows) await writer.appendRow(toParquetRow(row, columns));
    await writer.close();
    await fsyncPath(temporary);
    await rename(temporary, path);
    await fsyncPath(dir);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** parquetjs-lite wants Dates for timestamps (a string would silently become 1970). */
function toParquetRow(row: Row, columns: readonly Column[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const value = (row as Record<string, unknown>)[column.name];
    if (value === undefined || value === null) continue;
    out[column.name] = column.type === 'timestamp' ? new Date(value as number) : value;
  }
  return out;
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
