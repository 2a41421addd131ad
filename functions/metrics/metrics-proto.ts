import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { OtlpEncoding } from '../otlp/otlp-decode.ts';
import { OtlpDecodeError } from '../otlp/otlp-errors.ts';
import { TO_OBJECT } from '../otlp/otlp-proto.ts';

/**
 * The vendored OTLP metrics protos (functions/otlp/proto, see its README), loaded once with
 * protobufjs; field names become lowerCamelCase, the same keys as OTLP/JSON, so one normalizer
 * (metric-points.ts) reads both encodings.
 */
const PROTO_ROOT = fileURLToPath(new URL('../otlp/proto/', import.meta.url));

interface MetricsTypes {
  readonly ExportMetricsServiceRequest: protobuf.Type;
  readonly ExportMetricsServiceResponse: protobuf.Type;
}

let types: MetricsTypes | undefined;

export function metricsTypes(): MetricsTypes {
  if (types) return types;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => PROTO_ROOT + target;
  root.loadSync(['opentelemetry/proto/collector/metrics/v1/metrics_service.proto']);
  const pkg = 'opentelemetry.proto.collector.metrics.v1';
  types = {
    ExportMetricsServiceRequest: root.lookupType(`${pkg}.ExportMetricsServiceRequest`),
    ExportMetricsServiceResponse: root.lookupType(`${pkg}.ExportMetricsServiceResponse`),
  };
  return types;
}

/** A decompressed ExportMetricsServiceRequest body as a plain object; OtlpDecodeError when it does not decode. */
export function decodeMetricsRequest(encoding: OtlpEncoding, body: Uint8Array): unknown {
  if (encoding === 'json') {
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch (cause) {
      throw new OtlpDecodeError('bad-json', 'body is not UTF-8 JSON', { cause });
    }
  }
  const { ExportMetricsServiceRequest } = metricsTypes();
  try {
    return ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(body), TO_OBJECT);
  } catch (cause) {
    throw new OtlpDecodeError('bad-protobuf', 'body is not a protobuf ExportMetricsServiceRequest', {
      cause,
    });
  }
}

/** ExportMetricsServiceResponse: `{}` when all points were taken, else partialSuccess. */
export function encodeExportMetricsResponse(
  encoding: OtlpEncoding,
  rejectedDataPoints: number,
  errorMessage: string,
): Uint8Array {
  const body =
    rejectedDataPoints > 0
      ? { partialSuccess: { rejectedDataPoints: String(rejectedDataPoints), errorMessage } }
      : {};
  if (encoding === 'json') return Buffer.from(JSON.stringify(body));
  const { ExportMetricsServiceResponse } = metricsTypes();
  return ExportMetricsServiceResponse.encode(ExportMetricsServiceResponse.fromObject(body)).finish();
}
