import type { Row } from '../schema/row.ts';

/**
 * One row as one newline-terminated JSON object for Firehose's OpenX JSON deserializer: keys are
 * schema column names, absent columns are omitted (null in Parquet), timestamps are ISO-8601 UTC
 * strings with milliseconds, which OpenX reads for a Glue `timestamp`.
 *
 *   { event_time: 1767607200250, event_name: 'api_request', cost_usd: 0.5 }
 *   -> '{"event_time":"2026-01-05T10:00:00.250Z","event_name":"api_request","cost_usd":0.5}\n'
 *
 * Keys keep the row's order (replacing event_time keeps its place). This is the definition of a
 * line; the Firehose path writes the same text without the row object (json-line.ts, checked
 * against this byte for byte).
 */
export function encodeRow(row: Row): string {
  const ms = row.event_time;
  return `${JSON.stringify(ms === undefined ? row : { ...row, event_time: new Date(ms).toISOString() })}\n`;
}

let minuteStart = Number.NaN;
let minutePrefix = '';

/**
 * `new Date(ms).toISOString()`, without a Date per row: events of one batch share their minute,
 * so `YYYY-MM-DDTHH:MM:` is cached and only seconds and milliseconds are written.
 */
export function isoUtc(ms: number): string {
  const offset = ms - minuteStart;
  if (!(offset >= 0 && offset < 60_000)) {
    minuteStart = ms - (((ms % 60_000) + 60_000) % 60_000);
    minutePrefix = new Date(minuteStart).toISOString().slice(0, 17);
    return isoUtc(ms);
  }
  const seconds = Math.floor(offset / 1000);
  const millis = offset - seconds * 1000;
  return `${minutePrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
