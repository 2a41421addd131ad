import parquet, { type ParquetFieldDefinition, type ParquetSchema } from 'parquetjs-lite';
import { COLUMNS, type Column, type ColumnType } from '../schema/columns.ts';

/** Parquet physical/logical type per column type (derived from the one schema, columns.ts). */
export const PARQUET_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'UTF8',
  bigint: 'INT64',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP_MILLIS',
};

/** Every column optional and Snappy-compressed, as Firehose's Parquet conversion writes them. */
export function lakeParquetSchema(columns: readonly Column[] = COLUMNS): ParquetSchema {
  const fields: Record<string, ParquetFieldDefinition> = {};
  for (const column of columns) {
    fields[column.name] = { type: PARQUET_TYPES[column.type], optional: true, compression: 'SNAPPY' };
  }
  return new parquet.ParquetSchema(fields);
}
