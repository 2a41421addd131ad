import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * The vendored OTLP logs protos (./proto, see its README), loaded once with protobufjs.
 * Field names become lowerCamelCase (`resourceLogs`, `timeUnixNano`), the same keys as OTLP/JSON,
 * so one normalizer reads both encodings.
 */
const PROTO_ROOT = fileURLToPath(new URL('./proto/', import.meta.url));
const FILES = ['opentelemetry/proto/collector/logs/v1/logs_service.proto', 'google/rpc/status.proto'];

export interface OtlpTypes {
  readonly ExportLogsServiceRequest: protobuf.Type;
  readonly ExportLogsServiceResponse: protobuf.Type;
  readonly LogRecord: protobuf.Type;
  readonly Status: protobuf.Type;
}

let types: OtlpTypes | undefined;

export function otlpTypes(): OtlpTypes {
  if (types) return types;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => PROTO_ROOT + target;
  root.loadSync(FILES);
  types = {
    ExportLogsServiceRequest: root.lookupType(
      'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
    ),
    ExportLogsServiceResponse: root.lookupType(
      'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse',
    ),
    LogRecord: root.lookupType('opentelemetry.proto.logs.v1.LogRecord'),
    Status: root.lookupType('google.rpc.Status'),
  };
  return types;
}

/**
 * How decoded messages become plain objects: 64-bit integers as decimal strings (never a lossy
 * number, never a Long), bytes as base64, enums as numbers, absent fields left out.
 */
export const TO_OBJECT: protobuf.IConversionOptions = { longs: String, bytes: String, enums: Number };
