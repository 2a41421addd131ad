import { COLUMNS, type Column } from '../schema/columns.ts';
import type { Row } from '../schema/row.ts';

/**
 * One row as one newline-terminated JSON object for Firehose's OpenX JSON deserializer:
 * keys are schema column names in schema order, absent columns are omitted (null in Parquet),
 * timestamps are ISO-8601 UTC strings with milliseconds, which OpenX reads for a Glue `timestamp`.
 *
 *   { event_time: 1767607200250, event_name: 'api_request', cost_usd: 0.5 }
 *   -> '{"event_time":"2026-01-05T10:00:00.250Z","event_name":"api_request","cost_usd":0.5}\n'
 */
export function encodeRow(row: Row): string {
  const values = row as Record<string, unknown>;
  let out = '';
  for (const { name, prefix, timestamp } of FIELDS) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    out += out === '' ? '{' : ',';
    out += prefix;
    out += timestamp ? `"${new Date(value as number).toISOString()}"` : JSON.stringify(value);
  }
  return out === '' ? '{}\n' : `${out}}\n`;
}

const FIELDS = (COLUMNS as readonly Column[]).map((c) => ({
  name: c.name,
  prefix: `${JSON.stringify(c.name)}:`,
  timestamp: c.type === 'timestamp',
}));
