import type { OtlpEncoding } from './otlp-decode.ts';
import { otlpTypes } from './otlp-proto.ts';

/**
 * OTLP/HTTP answers, in the request's encoding.
 *
 * Success: an ExportLogsServiceResponse, with `partialSuccess` only when records were rejected:
 *   json: {"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"2 rejected: invalid event name"}}
 *   json, all accepted: {}
 * Failure (4xx/5xx): a google.rpc.Status `{ code, message }` (gRPC code numbers).
 */
export interface PartialSuccess {
  readonly rejectedLogRecords: number;
  readonly errorMessage: string;
}

export function encodeExportLogsResponse(encoding: OtlpEncoding, partial?: PartialSuccess): Uint8Array {
  const body =
    partial && partial.rejectedLogRecords > 0
      ? {
          partialSuccess: {
            rejectedLogRecords: String(partial.rejectedLogRecords),
            errorMessage: partial.errorMessage,
          },
        }
      : {};
  if (encoding === 'json') return Buffer.from(JSON.stringify(body));
  const { ExportLogsServiceResponse } = otlpTypes();
  return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(body)).finish();
}

/** gRPC status codes used in google.rpc.Status bodies. */
export const RPC_CODE = {
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

export function encodeStatus(encoding: OtlpEncoding, code: number, message: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const { Status } = otlpTypes();
  return Status.encode(Status.fromObject({ code, message })).finish();
}
