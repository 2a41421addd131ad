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
 * The first `dt` a kept-forever lake projects. `dt` is the date Firehose received an event, and
 * nothing reached a lake of this project before Claude Code's OpenTelemetry events existed.
 */
export const LAKE_EPOCH = '2025-01-01';

/**
 * The projected `dt` range, which must cover every day the lake keeps (a day outside it is
 * invisible to Athena though its files are there): with an expiration of N days,
 * `NOW-<N+1>DAYS,NOW` (one day of slack: S3 expires objects at the next UTC midnight after N
 * days); kept forever (0), `2025-01-01,NOW`.
 */
export function projectionRange(expirationDays: number): string {
  return expirationDays > 0 ? `NOW-${expirationDays + 1}DAYS,NOW` : `${LAKE_EPOCH},NOW`;
}

/**
 * Table parameters: Parquet, and partition projection on `dt` so no partition is ever added by
 * hand or by a crawler. `locationTemplate` is `s3://<bucket>/events/dt=${dt}/`; `expirationDays`
 * is the lake's retention (0 = forever), which the projection covers.
 */
export function eventsTableParameters(
  locationTemplate: string,
  expirationDays: number,
): Record<string, string> {
  return {
    classification: 'parquet',
    EXTERNAL: 'TRUE',
    'parquet.compression': 'SNAPPY',
    'projection.enabled': 'true',
    [`projection.${PARTITION_KEY}.type`]: 'date',
    [`projection.${PARTITION_KEY}.format`]: 'yyyy-MM-dd',
    [`projection.${PARTITION_KEY}.range`]: projectionRange(expirationDays),
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
