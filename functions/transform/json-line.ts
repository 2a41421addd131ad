import type { EventEnvelope, LogRecordInput } from '../otlp/log-record.ts';
import {
  type ColumnSink,
  type SanitizeMiss,
  type SanitizeOptions,
  sanitizeInto,
} from '../schema/allowlist.ts';
import { COLUMNS, type Column } from '../schema/columns.ts';
import type { ColumnValue } from '../schema/row.ts';
import { isoUtc } from './encode-row.ts';

/**
 * One record straight to its JSON line for Firehose (the text `encodeRow(sanitize(…).row)`
 * gives, byte for byte, without the row object and its JSON.stringify): the allowlist hands each
 * value to this sink, which appends `,"column":value`. `event_time` is column 0 and always
 * present in a row, so a line starts `{"event_time":"<ISO>"`.
 */
if (COLUMNS[0]?.name !== 'event_time') throw new Error('columns.ts must list event_time first');

const KEY_PREFIXES: readonly string[] = COLUMNS.map(
  (c: Column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`,
);

/** A string JSON.stringify writes as is between quotes: no quote, backslash, control or surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonValue(column: number, value: ColumnValue): string {
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (column === 0) return `"${isoUtc(value)}"`;
  return Number.isFinite(value) ? String(value) : 'null';
}

class JsonLineSink implements ColumnSink {
  line = '';
  add(column: number, value: ColumnValue): void {
    this.line += KEY_PREFIXES[column]! + jsonValue(column, value);
  }
}

const sink = new JsonLineSink();

/** The record's JSON line (without the newline), or why it is no row. */
export function sanitizeToJsonLine(
  record: LogRecordInput,
  envelope: EventEnvelope,
  options: SanitizeOptions,
): string | SanitizeMiss {
  sink.line = '';
  const miss = sanitizeInto(record, envelope, options, sink);
  return miss ?? `${sink.line}}`;
}
