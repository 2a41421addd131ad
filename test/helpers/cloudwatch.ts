import { gzipSync } from 'node:zlib';
import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { COLUMNS, type Column } from '../../functions/schema/columns.ts';

/**
 * Builders for real CloudWatch Logs -> Firehose envelopes: a Claude Code LogRecord as the
 * CloudWatch OTLP endpoint stores it, a subscription DATA_MESSAGE, gzip + base64, a Firehose
 * transformation event; and the reverse for outputs (base64 -> JSON lines).
 */

export const STREAM_ARN = 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/claude-otel-lake';

export interface StoredMessage {
  resource?: { attributes: Record<string, unknown> };
  body: unknown;
  attributes: Record<string, unknown> | { key: string; value: unknown }[];
  [extra: string]: unknown;
}

export interface LogEventInput {
  id: string;
  timestamp: number;
  message: string;
}

let nextId = 0;

/** A CloudWatch log event id: 56 digits, unique per call. */
export function eventId(): string {
  nextId++;
  return `3719${String(nextId).padStart(52, '0')}`;
}

/** One log event; objects are serialized as CloudWatch stores them (one JSON object per message). */
export function logEvent(message: StoredMessage | string, over: Partial<LogEventInput> = {}): LogEventInput {
  return {
    id: over.id ?? eventId(),
    timestamp: over.timestamp ?? Date.UTC(2026, 0, 5, 10, 0, 1),
    message: typeof message === 'string' ? message : JSON.stringify(message),
  };
}

/** A subscription DATA_MESSAGE as CloudWatch Logs sends it to Firehose. */
export function dataMessage(logEvents: readonly LogEventInput[]): Record<string, unknown> {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/claude-code/otel',
    logStream: 'team-a',
    subscriptionFilters: ['claude-otel-lake'],
    logEvents,
  };
}

export function controlMessage(): Record<string, unknown> {
  return {
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [
      {
        id: '',
        timestamp: Date.UTC(2026, 0, 5),
        message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.',
      },
    ],
  };
}

/** base64(gzip(JSON)) exactly as Firehose hands CloudWatch subscription data to the Lambda. */
export function encodeData(payload: unknown): string {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return gzipSync(Buffer.from(text, 'utf8')).toString('base64');
}

let nextRecord = 0;

export function firehoseRecord(data: string, recordId?: string): FirehoseTransformationEventRecord {
  nextRecord++;
  return {
    recordId: recordId ?? `49546986683135544286507457936321625675700192471156785154${nextRecord}`,
    approximateArrivalTimestamp: Date.UTC(2026, 0, 5, 10, 0, 5),
    data,
  };
}

export function firehoseEvent(
  records: readonly FirehoseTransformationEventRecord[],
): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: STREAM_ARN,
    region: 'eu-west-1',
    records: [...records],
  };
}

/** Shortcut: one Firehose event with one DATA_MESSAGE record per list of log events. */
export function eventOf(...recordsOfEvents: readonly LogEventInput[][]): FirehoseTransformationEvent {
  return firehoseEvent(recordsOfEvents.map((events) => firehoseRecord(encodeData(dataMessage(events)))));
}

/** The JSON lines of an `Ok` output record, parsed; asserts each line ends with a newline. */
export function outputRows(record: FirehoseTransformationResultRecord): Record<string, unknown>[] {
  const text = Buffer.from(record.data ?? '', 'base64').toString('utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error('output does not end with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every output byte of a response, decoded, for "never appears in the output" checks. */
export function outputText(records: readonly FirehoseTransformationResultRecord[]): string {
  return records.map((r) => Buffer.from(r.data ?? '', 'base64').toString('utf8')).join('');
}

/**
 * The first attribute key of every string column of the schema: an event that sets them all at
 * the 256-character cap gives the widest row the transform can emit.
 */
export function stringAttributeKeys(): string[] {
  return (COLUMNS as readonly Column[])
    .filter((c) => c.type === 'string')
    .flatMap((c) => c.sources.filter((s) => s.startsWith('attr:')).slice(0, 1))
    .map((s) => s.slice('attr:'.length));
}
