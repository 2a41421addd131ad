import { gunzipSync } from 'node:zlib';
import { parsePayloadByEvent, splitPayload } from './cloudwatch-split.ts';

/**
 * The CloudWatch Logs subscription payload inside one Firehose record:
 * base64( gzip( JSON {messageType, owner, logGroup, logStream, subscriptionFilters, logEvents} ) ).
 *
 *   { messageType: 'DATA_MESSAGE', logGroup: '/claude/raw', logEvents: [{ id: '3719…', timestamp: 1767225600000,
 *     message: '{"body":"claude_code.user_prompt",…}' }] }
 */
export interface CloudWatchLogEvent {
  readonly id: string;
  readonly timestamp: number | null;
  /** Null when the event carried no message string (counted as rejected, not thrown). */
  readonly message: string | null;
}

export type CloudWatchPayload =
  | { readonly messageType: 'CONTROL_MESSAGE' }
  | {
      readonly messageType: 'DATA_MESSAGE';
      readonly logGroup: string;
      readonly logStream: string;
      readonly logEvents: readonly CloudWatchLogEvent[];
    };

export type EnvelopeErrorCode =
  | 'bad-base64'
  | 'bad-gzip'
  | 'too-large'
  | 'not-json'
  | 'not-an-object'
  | 'bad-shape';

/**
 * Largest decompressed payload accepted. A real subscription payload is a few MB at most (a
 * PutLogEvents batch is 1 MiB); a gzip bomb inside one 1,000 KiB Firehose record could expand to
 * ~1 GB and kill the Lambda, failing the whole batch on every retry.
 */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly code: EnvelopeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes one Firehose record's `data`; throws EnvelopeError naming what was wrong (never the
 * content). The base64 alphabet is checked only when gunzip fails, to name the right error:
 * checking 1 MB of base64 up front costs as much as a tenth of the whole decode, and gzip's own
 * CRC already proves that the bytes that did inflate are intact.
 */
export function decodeCloudWatchPayload(data: string): CloudWatchPayload {
  const bytes = gunzipPayload(data);
  return validatePayload(parsePayloadByEvent(bytes) ?? parseWholePayload(bytes));
}

/**
 * A DATA_MESSAGE whose log events are parsed one at a time, as they are read (the transform's
 * hot path: nothing of the payload outlives its event). `event(i)` may throw
 * EventLayoutMismatch: then read the record again with `decodeCloudWatchPayload`.
 */
export interface LazyDataMessage {
  readonly messageType: 'DATA_MESSAGE';
  readonly eventCount: number;
  event(index: number): CloudWatchLogEvent;
}

/** Like decodeCloudWatchPayload, with the log events of a DATA_MESSAGE read lazily. */
export function openCloudWatchPayload(data: string): LazyDataMessage | CloudWatchPayload {
  const bytes = gunzipPayload(data);
  const pieces = splitPayload(bytes);
  if (pieces === null) return validatePayload(parseWholePayload(bytes));
  const head = validatePayload(pieces.head);
  if (head.messageType !== 'DATA_MESSAGE') return head;
  return {
    messageType: 'DATA_MESSAGE',
    eventCount: pieces.eventCount,
    event: (index) => toLogEvent(pieces.event(index), index),
  };
}

function gunzipPayload(data: string): Buffer {
  try {
    return gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch (cause) {
    if (data.length % 4 !== 0 || !BASE64.test(data)) {
      throw new EnvelopeError('bad-base64', 'data is not base64', { cause });
    }
    if (cause instanceof RangeError) {
      throw new EnvelopeError('too-large', `payload decompresses to more than ${MAX_PAYLOAD_BYTES} bytes`, {
        cause,
      });
    }
    throw new EnvelopeError('bad-gzip', 'data is not a complete gzip stream', { cause });
  }
}

function parseWholePayload(bytes: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new EnvelopeError('not-json', 'payload is not JSON', { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EnvelopeError('not-an-object', 'payload is not a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function validatePayload(p: Record<string, unknown>): CloudWatchPayload {
  if (p.messageType === 'CONTROL_MESSAGE') return { messageType: 'CONTROL_MESSAGE' };
  if (p.messageType !== 'DATA_MESSAGE') {
    throw new EnvelopeError('bad-shape', 'messageType is neither DATA_MESSAGE nor CONTROL_MESSAGE');
  }
  if (!Array.isArray(p.logEvents))
    throw new EnvelopeError('bad-shape', 'DATA_MESSAGE has no logEvents array');
  return {
    messageType: 'DATA_MESSAGE',
    logGroup: typeof p.logGroup === 'string' ? p.logGroup : '',
    logStream: typeof p.logStream === 'string' ? p.logStream : '',
    logEvents: p.logEvents.map(toLogEvent),
  };
}

function toLogEvent(e: unknown, index: number): CloudWatchLogEvent {
  const event = (e !== null && typeof e === 'object' ? e : {}) as Record<string, unknown>;
  return {
    id: typeof event.id === 'string' ? event.id : String(index),
    timestamp:
      typeof event.timestamp === 'number' && Number.isFinite(event.timestamp) ? event.timestamp : null,
    message: typeof event.message === 'string' ? event.message : null,
  };
}
