import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import { COLUMNS, type Column, PARTITION_KEY } from '../../functions/schema/columns.ts';

/** Name of the events table, the same in Glue and in the local DuckDB engine. */
export const EVENTS_TABLE = 'events';

const PARQUET = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
} as const;

/** Glue limits a column comment to 255 characters. */
const MAX_COMMENT = 255;

/**
 * Glue columns generated from the one schema module, in storage order:
 * `{ name: 'cost_usd', type: 'double', comment: 'API-equivalent cost in USD of one API request.' }`.
 */
export function glueColumns(columns: readonly Column[] = COLUMNS): CfnTable.ColumnProperty[] {
  return columns.map((c) => ({ name: c.name, type: c.type, comment: c.description.slice(0, MAX_COMMENT) }));
}

/** The `dt` partition: a `yyyy-MM-dd` string (UTC arrival date), never a data column. */
export function gluePartitionKeys(): CfnTable.ColumnProperty[] {
  return [{ name: PARTITION_KEY, type: 'string', comment: 'UTC arrival date, yyyy-MM-dd (partition).' }];
}

/**
 * Table parameters: Parquet, and partition projection on `dt` so no partition is ever added by
 * hand or by a crawler. `locationTemplate` is `s3://<bucket>/events/dt=${dt}/`.
 */
export function eventsTableParameters(locationTemplate: string): Record<string, string> {
  return {
    classification: 'parquet',
    EXTERNAL: 'TRUE',
    'parquet.compression': 'SNAPPY',
    'projection.enabled': 'true',
    [`projection.${PARTITION_KEY}.type`]: 'date',
    [`projection.${PARTITION_KEY}.format`]: 'yyyy-MM-dd',
    [`projection.${PARTITION_KEY}.range`]: 'NOW-3YEARS,NOW',
    [`projection.${PARTITION_KEY}.interval`]: '1',
    [`projection.${PARTITION_KEY}.interval.unit`]: 'DAYS',
    'storage.location.template': locationTemplate,
  };
}

/** The storage descriptor of the Parquet events table at `location`. */
export function eventsStorageDescriptor(location: string): CfnTable.StorageDescriptorProperty {
  return {
    columns: glueColumns(),
    location,
    inputFormat: PARQUET.inputFormat,
    outputFormat: PARQUET.outputFormat,
    serdeInfo: {
      serializationLibrary: PARQUET.serializationLibrary,
      parameters: { 'serialization.format': '1' },
    },
    compressed: true,
    storedAsSubDirectories: false,
  };
}

/** Glue database names are lower case with underscores: `claude-otel` -> `claude_otel`. */
export function databaseNameFor(prefix: string): string {
  return prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
