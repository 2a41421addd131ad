import * as crypto from 'node:crypto';
import { unwrapAnyValue } from '../otlp/any-value.ts';
import type { LogRecordInput } from '../otlp/log-record.ts';

/**
 * The de-duplication key stored as `event_id`, the same on both paths (the allowlist computes it,
 * for the local endpoint and the Firehose transform alike): a hash of the event's own identity,
 * so an event sent twice (a client retry after a timeout) or delivered twice (Firehose/Lambda
 * re-delivery, a re-ingest of the raw log group) gets the same key, and the semantic layer counts
 * each key once. Not the CloudWatch event id: a client retry to CloudWatch gets a new one.
 *
 * Identity = event time (ms, the record's own), event name, `user.id`, `session.id`,
 * `event.sequence`, `prompt.id`, and the per-event ids Claude Code sets on some events
 * (`message.uuid`, `tool_use_id`, `agent_id`). `(session.id, event.sequence)` alone is not
 * unique: the sequence restarts in every process and a resumed session keeps its id; with the
 * time in ms and the prompt id, two different events collide only if one process emitted two
 * events of the same name, with the same sequence, in the same millisecond, which it does not.
 * Limit: two truly identical records (same fields, same millisecond) collapse into one. A record
 * with no time of its own uses the transport's time (receive/ingestion time), so its retries are
 * not recognised.
 *
 * The raw `user.id` only enters the hash (SHA-256, 128 bits kept as 32 hex); it is never stored.
 * Hot path: one short string and one one-shot hash per event.
 */
const IDENTITY_KEYS = [
  'user.id',
  'session.id',
  'event.sequence',
  'prompt.id',
  'message.uuid',
  'tool_use_id',
  'agent_id',
] as const;

const SEPARATOR = '\u001f';

function identityValue(record: LogRecordInput, key: string): string {
  let value = unwrapAnyValue(record.attributes[key]);
  if (value === undefined || value === null) value = unwrapAnyValue(record.resource[key]);
  if (value === undefined || value === null || typeof value === 'object') return '';
  return String(value);
}

/** The record's own time in epoch ms, as a string ('' when it has none). */
function ownTime(record: LogRecordInput): string {
  if (record.timeMs !== null && Number.isFinite(record.timeMs)) return String(Math.trunc(record.timeMs));
  const iso = identityValue(record, 'event.timestamp');
  const ms = iso === '' ? Number.NaN : Date.parse(iso);
  return Number.isFinite(ms) ? String(ms) : '';
}

export function eventKey(record: LogRecordInput, eventName: string, transportTimeMs: number | null): string {
  let time = ownTime(record);
  if (time === '' && transportTimeMs !== null) time = `t${transportTimeMs}`;
  let text = `${time}${SEPARATOR}${eventName}`;
  for (const key of IDENTITY_KEYS) text += SEPARATOR + identityValue(record, key);
  return sha256Hex(text).slice(0, 32);
}

/**
 * One-shot `crypto.hash` (Node >= 20.12) is several times faster per event than a Hash object
 * (`createHash().update().digest()`), and gives the same digest; older Node 20 falls back.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
