import { gunzipSync } from 'node:zlib';

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
  let json: string;
  try {
    json = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_PAYLOAD_BYTES }).toString('utf8');
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw new EnvelopeError('not-json', 'payload is not JSON', { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EnvelopeError('not-an-object', 'payload is not a JSON object');
  }
  return validatePayload(parsed as Record<string, unknown>);
}

function validatePayload(p: Record<string, unknown>): CloudWatchPayload {
  if (p.messageType === 'CONTROL_MESSAGE') return { messageType: 'CONTROL_MESSAGE' };
  if (p.messageType !== 'DATA_MESSAGE') {
    throw new EnvelopeError('bad-shape', 'messageType is neither DATA_MESSAGE nor CONTROL_MESSAGE');
  }
  if (!Array.isArray(p.logEvents))
    throw new EnvelopeError('bad-shape', 'DATA_MESSAGE has no logEvents array');
  const logEvents: CloudWatchLogEvent[] = [];
  for (const [index, e] of p.logEvents.entries()) {
    const event = (e !== null && typeof e === 'object' ? e : {}) as Record<string, unknown>;
    logEvents.push({
      id: typeof event.id === 'string' ? event.id : String(index),
      timestamp:
        typeof event.timestamp === 'number' && Number.isFinite(event.timestamp) ? event.timestamp : null,
      message: typeof event.message === 'string' ? event.message : null,
    });
  }
  return {
    messageType: 'DATA_MESSAGE',
    logGroup: typeof p.logGroup === 'string' ? p.logGroup : '',
    logStream: typeof p.logStream === 'string' ? p.logStream : '',
    logEvents,
  };
}
