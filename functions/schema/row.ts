import type { COLUMNS, ColumnType } from './columns.ts';

/** The JS type a column holds: timestamps are epoch milliseconds, bigints safe integers. */
export interface ColumnValueTypes {
  string: string;
  bigint: number;
  double: number;
  boolean: boolean;
  timestamp: number;
}

export type ColumnValue = ColumnValueTypes[ColumnType];

/**
 * One sanitized event. Sparse: a column without a value is absent (null in the lake), so rows
 * serialize small and in schema order. Example:
 * `{ event_time: 1767225600000, event_name: 'api_request', model: 'claude-sonnet-4-5', cost_usd: 0.0123 }`
 */
export type Row = {
  [C in (typeof COLUMNS)[number] as C['name']]?: ColumnValueTypes[C['type']];
};
