import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import {
  type CloudWatchLogEvent,
  decodeCloudWatchPayload,
  EnvelopeError,
  type LazyDataMessage,
  openCloudWatchPayload,
} from '../otlp/cloudwatch-envelope.ts';
import { parseCloudWatchMessage } from '../otlp/cloudwatch-message.ts';
import { EventLayoutMismatch } from '../otlp/cloudwatch-split.ts';
import type { SanitizeOptions } from '../schema/allowlist.ts';
import { DroppedKeyCounter } from '../schema/dropped-keys.ts';
import { sanitizeToJsonLine } from './json-line.ts';
import { LineBuffer } from './line-buffer.ts';
import type { RecordOutcome } from './outcome.ts';

/** A log event that did not become a row, located by its CloudWatch event id (never content). */
export interface EventMiss {
  readonly id: string;
  readonly reason: string;
}

/**
 * One Firehose record after the transform: its outcome, and what became of each of its log
 * events. Invariant: `events === rows + skipped.length + rejected.length`.
 */
export interface RecordResult {
  readonly outcome: RecordOutcome;
  readonly events: number;
  readonly rows: number;
  readonly skipped: readonly EventMiss[];
  readonly rejected: readonly EventMiss[];
  /** Sum of the log event message lengths (UTF-16 code units): the decompressed input. */
  readonly messageChars: number;
  /** Name of the unexpected error class, for `internal-error` only. */
  readonly errorName?: string;
}

/** One output buffer for every record of this container (records are encoded one at a time). */
const output = new LineBuffer();

const NO_EVENTS = { events: 0, rows: 0, skipped: [], rejected: [], messageChars: 0 } as const;

/**
 * base64 -> gunzip -> CloudWatch payload -> one JSON line per Claude Code event.
 *
 *   { recordId: '1', data: base64(gzip('{"messageType":"DATA_MESSAGE","logEvents":[{"id":"37…",
 *     "timestamp":1767607200000,"message":"{\"body\":\"claude_code.user_prompt\",…}"}]}')) }
 *   -> { outcome: { kind: 'ok', rows: 1, data: base64('{"event_time":"2026-01-05T10:00:00.000Z",
 *        "event_name":"user_prompt",…}\n') }, events: 1, rows: 1, skipped: [], rejected: [] }
 */
export function transformRecord(
  record: FirehoseTransformationEventRecord,
  options: SanitizeOptions,
): RecordResult {
  try {
    return transformPayload(record.data, options);
  } catch (error) {
    if (error instanceof EnvelopeError)
      return { ...NO_EVENTS, outcome: { kind: 'failed', reason: error.code } };
    // A bug, not bad input: keep the raw record (ProcessingFailed) rather than block the stream.
    const errorName = error instanceof Error ? error.name : typeof error;
    return { ...NO_EVENTS, outcome: { kind: 'failed', reason: 'internal-error' }, errorName };
  }
}

function transformPayload(data: string, options: SanitizeOptions): RecordResult {
  const payload = openCloudWatchPayload(data);
  if (payload.messageType === 'CONTROL_MESSAGE') {
    return { ...NO_EVENTS, outcome: { kind: 'dropped', reason: 'control-message' } };
  }
  if ('logEvents' in payload) return transformEvents(payload.logEvents, options);
  // Lazily read events: the key counts of this record are kept apart until every event has
  // parsed, so that a record read again whole (another layout) is not counted twice.
  const dropped = options.dropped && new DroppedKeyCounter(Number.POSITIVE_INFINITY);
  const unknownEvents = options.unknownEvents && new DroppedKeyCounter(Number.POSITIVE_INFINITY);
  try {
    const result = transformEvents(lazyEvents(payload), { ...options, dropped, unknownEvents });
    if (dropped) options.dropped?.addAll(dropped);
    if (unknownEvents) options.unknownEvents?.addAll(unknownEvents);
    return result;
  } catch (error) {
    if (!(error instanceof EventLayoutMismatch)) throw error;
    const whole = decodeCloudWatchPayload(data);
    if (whole.messageType === 'CONTROL_MESSAGE')
      throw new Error('a DATA_MESSAGE read again became a control');
    return transformEvents(whole.logEvents, options);
  }
}

function* lazyEvents(payload: LazyDataMessage): Generator<CloudWatchLogEvent> {
  for (let i = 0; i < payload.eventCount; i++) yield payload.event(i);
}

function transformEvents(events: Iterable<CloudWatchLogEvent>, options: SanitizeOptions): RecordResult {
  const skipped: EventMiss[] = [];
  const rejected: EventMiss[] = [];
  let count = 0;
  let rows = 0;
  let messageChars = 0;
  output.reset();
  for (const event of events) {
    count++;
    if (event.message === null) {
      rejected.push({ id: event.id, reason: 'no message' });
      continue;
    }
    messageChars += event.message.length;
    const record = parseCloudWatchMessage(event.message);
    if (record === null) {
      rejected.push({ id: event.id, reason: 'message is not a JSON object' });
      continue;
    }
    const line = sanitizeToJsonLine(record, { id: event.id, timestampMs: event.timestamp }, options);
    if (typeof line === 'string') {
      output.write(line);
      output.writeByte(0x0a);
      rows++;
    } else {
      (line.kind === 'skipped' ? skipped : rejected).push({ id: event.id, reason: line.reason });
    }
  }
  const outcome: RecordOutcome =
    rows > 0 ? { kind: 'ok', rows, data: output.toBase64() } : { kind: 'dropped', reason: 'no-rows' };
  return { outcome, events: count, rows, skipped, rejected, messageChars };
}
