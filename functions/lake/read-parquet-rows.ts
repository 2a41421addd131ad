import { COLUMNS, type Column } from '../schema/columns.ts';
import type { Row } from '../schema/row.ts';
import { quoteIdent, quoteString } from '../sql/sql.ts';

/**
 * Reads lake Parquet files back into rows, in file order then row order, with DuckDB
 * (parquetjs-lite cannot read its own files). Timestamps come back as epoch ms and INT64 as
 * numbers, so `writeParquetFile(readParquetRows(files))` reproduces the same values.
 */
export async function readParquetRows(files: readonly string[]): Promise<Row[]> {
  if (files.length === 0) return [];
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const select = (COLUMNS as readonly Column[])
      .map((c) => {
        const id = quoteIdent(c.name);
        return c.type === 'timestamp' ? `epoch_ms(${id}) AS ${id}` : id;
      })
      .join(', ');
    const list = files.map(quoteString).join(', ');
    const reader = await connection.runAndReadAll(
      `SELECT ${select} FROM read_parquet([${list}], filename = true, file_row_number = true, hive_partitioning = false, union_by_name = true) ORDER BY filename, file_row_number`,
    );
    return reader.getRowObjectsJS().map(toRow);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function toRow(record: Record<string, unknown>): Row {
  const row: Record<string, unknown> = {};
  for (const column of COLUMNS as readonly Column[]) {
    const value = record[column.name];
    if (value === null || value === undefined) continue;
    row[column.name] = typeof value === 'bigint' ? toSafeNumber(value, column.name) : value;
  }
  return row as Row;
}

function toSafeNumber(value: bigint, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`column ${column} holds an integer beyond 2^53`);
  return n;
}
