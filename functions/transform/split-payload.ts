import { gzipSync } from 'node:zlib';
import type { CloudWatchPayload } from '../otlp/cloudwatch-envelope.ts';

type DataMessage = Extract<CloudWatchPayload, { messageType: 'DATA_MESSAGE' }>;

/**
 * Splits a DATA_MESSAGE into two gzipped CloudWatch payloads of half the events each, as AWS's
 * blueprint does, so that re-ingested halves look as if CloudWatch had sent them and are
 * transformed again on a later invocation (and split again if still too large).
 *
 *   { messageType: 'DATA_MESSAGE', logGroup, logStream, logEvents: [e1, e2, e3] }
 *   -> [gzip({…, logEvents: [e1]}), gzip({…, logEvents: [e2, e3]})]
 */
export function splitDataMessage(payload: DataMessage): [Buffer, Buffer] {
  const { logGroup, logStream, logEvents } = payload;
  if (logEvents.length < 2) throw new RangeError('a DATA_MESSAGE with fewer than 2 events cannot be split');
  const mid = Math.floor(logEvents.length / 2);
  const half = (events: DataMessage['logEvents']): Buffer =>
    gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup, logStream, logEvents: events }));
  return [half(logEvents.slice(0, mid)), half(logEvents.slice(mid))];
}
