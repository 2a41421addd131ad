import { gunzipSync } from 'node:zlib';
import { otlpTypes } from '../../functions/otlp/otlp-proto.ts';
import type { CapturedRequest } from './recording-proxy.ts';

/**
 * The captured OTLP requests decoded for the independent side of the comparison: straight from
 * the wire format (protobufjs with the OTLP protos, or JSON.parse), without the project's
 * normalizer or allowlist. Attribute values are flattened to JS primitives.
 */
export type Primitive = string | number | boolean | null | readonly Primitive[];

export interface RawRecord {
  /** The short event name from the body, `claude_code.<name>`. */
  readonly eventName: string;
  readonly attributes: Readonly<Record<string, Primitive>>;
  readonly resource: Readonly<Record<string, Primitive>>;
  readonly scopeName: string;
  readonly timeUnixNano: string;
  /** The LogRecord as OTLP/JSON (attributes as `[{key, value}]`), for CloudWatch stored messages. */
  readonly otlpJson: Record<string, unknown>;
  readonly resourceJson: readonly unknown[];
}

interface OtlpKeyValue {
  key: string;
  value?: Record<string, unknown>;
}

function flatten(value: Record<string, unknown> | undefined): Primitive {
  if (!value) return null;
  if ('stringValue' in value) return String(value.stringValue);
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('arrayValue' in value) {
    const values = ((value.arrayValue as { values?: Record<string, unknown>[] })?.values ?? []).map(flatten);
    return values;
  }
  return null;
}

const toMap = (list: readonly OtlpKeyValue[] | undefined): Record<string, Primitive> =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, flatten(kv.value)]));

/** The ExportLogsServiceRequest of one captured request, as a plain OTLP/JSON-shaped object. */
export function requestObject(captured: CapturedRequest): Record<string, unknown> {
  const gz = captured.contentEncoding.toLowerCase() === 'gzip';
  const body = gz ? gunzipSync(captured.body) : captured.body;
  if (captured.contentType.startsWith('application/json')) return JSON.parse(body.toString('utf8'));
  const { ExportLogsServiceRequest } = otlpTypes();
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), {
    longs: String,
    bytes: String,
    enums: Number,
  }) as Record<string, unknown>;
}

export function rawRecords(captured: readonly CapturedRequest[]): RawRecord[] {
  const out: RawRecord[] = [];
  for (const request of captured) {
    const object = requestObject(request) as {
      resourceLogs?: {
        resource?: { attributes?: OtlpKeyValue[] };
        scopeLogs?: { scope?: { name?: string }; logRecords?: Record<string, unknown>[] }[];
      }[];
    };
    for (const rl of object.resourceLogs ?? []) {
      for (const sl of rl.scopeLogs ?? []) {
        for (const record of sl.logRecords ?? []) {
          const body = flatten(record.body as Record<string, unknown>);
          out.push({
            eventName: String(body).replace(/^claude_code\./, ''),
            attributes: toMap(record.attributes as OtlpKeyValue[]),
            resource: toMap(rl.resource?.attributes),
            scopeName: sl.scope?.name ?? '',
            timeUnixNano: String(record.timeUnixNano),
            otlpJson: record,
            resourceJson: rl.resource?.attributes ?? [],
          });
        }
      }
    }
  }
  return out;
}
