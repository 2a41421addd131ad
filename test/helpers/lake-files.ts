import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventsDir } from '../../functions/lake/lake-layout.ts';
import { readParquetRows } from '../../functions/lake/read-parquet-rows.ts';
import type { Row } from '../../functions/schema/row.ts';

/** Every file under a directory (recursively), with its bytes. */
export async function allFiles(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = names.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
  return Promise.all(files.map(async (path) => ({ path, bytes: await readFile(path) })));
}

/** The data files of the lake (`events/dt=*\/*.parquet`), sorted. */
export async function dataFiles(lake: string): Promise<string[]> {
  try {
    const names = await readdir(eventsDir(lake), { recursive: true });
    return names
      .filter((n) => n.endsWith('.parquet') && !n.split('/').pop()!.startsWith('.'))
      .sort()
      .map((n) => join(eventsDir(lake), n));
  } catch {
    return [];
  }
}

/** Every row in the lake, read back with DuckDB. */
export async function lakeRows(lake: string): Promise<Row[]> {
  return readParquetRows(await dataFiles(lake));
}
