import { OtlpDecodeError } from './otlp-errors.ts';
import { type NormalizedLogs, normalizeExportRequest } from './otlp-normalize.ts';
import { otlpTypes, TO_OBJECT } from './otlp-proto.ts';

/** The two OTLP/HTTP encodings, by their media types. */
export type OtlpEncoding = 'protobuf' | 'json';

export const MEDIA_TYPES: Readonly<Record<OtlpEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The encoding of a `Content-Type` header (parameters such as `charset` ignored), or null. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === MEDIA_TYPES.protobuf || media === 'application/protobuf') return 'protobuf';
  if (media === MEDIA_TYPES.json) return 'json';
  return null;
}

export interface DecodedLogs extends NormalizedLogs {
  readonly encoding: OtlpEncoding;
  /** Size in bytes of record `index` in the request's encoding (for the errors log). */
  sizeOf(index: number): number;
}

/**
 * An ExportLogsServiceRequest body (already decompressed) to normalized records; throws
 * OtlpDecodeError for a body that does not decode. Both encodings go through the one normalizer.
 */
export function decodeLogsRequest(encoding: OtlpEncoding, body: Uint8Array): DecodedLogs {
  return encoding === 'protobuf' ? decodeProtobuf(body) : decodeJson(body);
}

function decodeProtobuf(body: Uint8Array): DecodedLogs {
  const { ExportLogsServiceRequest, LogRecord } = otlpTypes();
  let object: Record<string, unknown>;
  try {
    object = ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), TO_OBJECT);
  } catch (cause) {
    throw new OtlpDecodeError('bad-protobuf', 'body is not a protobuf ExportLogsServiceRequest', { cause });
  }
  const normalized = normalizeExportRequest(object);
  return {
    ...normalized,
    encoding: 'protobuf',
    sizeOf: (index) =>
      LogRecord.encode(LogRecord.fromObject(normalized.raw[index] as object)).finish().length,
  };
}

function decodeJson(body: Uint8Array): DecodedLogs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (cause) {
    throw new OtlpDecodeError('bad-json', 'body is not UTF-8 JSON', { cause });
  }
  const normalized = normalizeExportRequest(parsed);
  return {
    ...normalized,
    encoding: 'json',
    sizeOf: (index) => Buffer.byteLength(JSON.stringify(normalized.raw[index]) ?? ''),
  };
}
