import { COLUMNS, type Column } from '../schema/columns.ts';
import { METRIC_COLUMNS } from '../schema/metric-columns.ts';

/**
 * The lake's tables. Each has its own directory of `dt=` partitions, its own spool directory and
 * lock, and its own column list; the spool, flush and Parquet code is shared and takes the table.
 *
 *   <lake>/events/dt=…/   <lake>/spool/*.spool          (events, the default)
 *   <lake>/metrics/dt=…/  <lake>/spool/metrics/*.spool  (Claude Code metrics)
 */
export type TableName = 'events' | 'metrics';

export interface LakeTable {
  readonly name: TableName;
  /** Directory under the lake (and S3 prefix on AWS). */
  readonly prefix: string;
  readonly columns: readonly Column[];
  /** The timestamp column whose UTC date is the row's local `dt`. */
  readonly timeColumn: string;
}

export const EVENTS_TABLE: LakeTable = {
  name: 'events',
  prefix: 'events',
  columns: COLUMNS,
  timeColumn: 'event_time',
};
export const METRICS_TABLE: LakeTable = {
  name: 'metrics',
  prefix: 'metrics',
  columns: METRIC_COLUMNS,
  timeColumn: 'metric_time',
};

export const LAKE_TABLES: Readonly<Record<TableName, LakeTable>> = {
  events: EVENTS_TABLE,
  metrics: METRICS_TABLE,
};
