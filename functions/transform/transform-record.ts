import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import {
  type CloudWatchLogEvent,
  type CloudWatchPayload,
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

const LAST_ROW_END = '}\n';
const SPACE = 0x20;

/** One output buffer for every invocation of this container (one invocation at a time). */
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
/**
 * Every record of one invocation, in order. Their rows go into one buffer, turned into base64
 * once; each record's data is its slice of that (whole base64 groups: each record's bytes are
 * padded to a multiple of 3, see transformEvents), so nothing is encoded or copied twice.
 */
export function transformRecords(
  records: readonly FirehoseTransformationEventRecord[],
  options: SanitizeOptions,
): RecordResult[] {
  output.reset();
  const results = records.map((record) => transformRecord(record, options));
  const base64 = output.toBase64();
  return results.map(({ outputBytes, ...result }) =>
    outputBytes === undefined
      ? result
      : {
          ...result,
          outcome: {
            kind: 'ok',
            rows: result.rows,
            data: base64.slice((outputBytes[0] / 3) * 4, (outputBytes[1] / 3) * 4),
          },
        },
  );
}

/** A record's result before the batch's base64 exists: its rows' place in the output buffer. */
type PendingResult = RecordResult & { readonly outputBytes?: readonly [number, number] };

function transformRecord(record: FirehoseTransformationEventRecord, options: SanitizeOptions): PendingResult {
  const start = output.size;
  try {
    return transformPayload(record.data, options);
  } catch (error) {
    output.truncate(start);
    if (error instanceof EnvelopeError)
      return { ...NO_EVENTS, outcome: { kind: 'failed', reason: error.code } };
    // A bug, not bad input: keep the raw record (ProcessingFailed) rather than block the stream.
    const errorName = error instanceof Error ? error.name : typeof error;
    return { ...NO_EVENTS, outcome: { kind: 'failed', reason: 'internal-error' }, errorName };
  }
}

function transformPayload(data: string, options: SanitizeOptions): PendingResult {
  const payload = openCloudWatchPayload(data);
  if (!('eventCount' in payload)) return transformDecoded(payload, options);
  // Lazily read events: the key counts of this record are kept apart until every event has
  // parsed, so that a record read again whole (another layout) is not counted twice.
  const dropped = options.dropped && new DroppedKeyCounter(Number.POSITIVE_INFINITY);
  const unknownEvents = options.unknownEvents && new DroppedKeyCounter(Number.POSITIVE_INFINITY);
  const start = output.size;
  try {
    const result = transformEvents(lazyEvents(payload), { ...options, dropped, unknownEvents });
    if (dropped) options.dropped?.addAll(dropped);
    if (unknownEvents) options.unknownEvents?.addAll(unknownEvents);
    return result;
  } catch (error) {
    if (!(error instanceof EventLayoutMismatch)) throw error;
    output.truncate(start);
    return transformDecoded(decodeCloudWatchPayload(data), options);
  }
}

function transformDecoded(payload: CloudWatchPayload, options: SanitizeOptions): PendingResult {
  if (payload.messageType === 'CONTROL_MESSAGE') {
    return { ...NO_EVENTS, outcome: { kind: 'dropped', reason: 'control-message' } };
  }
  return transformEvents(payload.logEvents, options);
}

function* lazyEvents(payload: LazyDataMessage): Generator<CloudWatchLogEvent> {
  for (let i = 0; i < payload.eventCount; i++) yield payload.event(i);
}

function transformEvents(events: Iterable<CloudWatchLogEvent>, options: SanitizeOptions): PendingResult {
  const skipped: EventMiss[] = [];
  const rejected: EventMiss[] = [];
  let count = 0;
  let rows = 0;
  let messageChars = 0;
  const start = output.size;
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
  const counts = { events: count, rows, skipped, rejected, messageChars };
  if (rows === 0) return { ...counts, outcome: { kind: 'dropped', reason: 'no-rows' } };
  // Whole base64 groups: the next record starts on a group, so each record's base64 is a slice.
  output.padBefore(LAST_ROW_END.length, 3, SPACE);
  return { ...counts, outcome: { kind: 'ok', rows, data: '' }, outputBytes: [start, output.size] };
}
