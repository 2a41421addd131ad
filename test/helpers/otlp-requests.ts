import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { DemoEvent } from '../../functions/demo/team-activity.ts';
import { otlpTypes } from '../../functions/otlp/otlp-proto.ts';
import { CLAUDE_CODE_SCOPE } from '../../functions/schema/allowlist.ts';
import type { Row } from '../../functions/schema/row.ts';

/**
 * Hand-built OTLP requests for the endpoint tests (the OTel SDK is the realistic client; these
 * are for exact control: bad bodies, fixed payloads, raw protobuf under load).
 *
 *   exportRequest([event]) -> { resourceLogs: [{ resource: { attributes: [...] }, scopeLogs: [{ scope, logRecords }] }] }
 */
export function anyValue(value: string | number | boolean): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
}

const keyValues = (map: Readonly<Record<string, string | number | boolean>>) =>
  Object.entries(map).map(([key, value]) => ({ key, value: anyValue(value) }));

export function exportRequest(events: readonly DemoEvent[]): Record<string, unknown> {
  return {
    resourceLogs: events.map((e) => ({
      resource: { attributes: keyValues(e.resource) },
      scopeLogs: [
        {
          scope: { name: CLAUDE_CODE_SCOPE },
          logRecords: [
            {
              timeUnixNano: `${e.timeMs}000000`,
              body: { stringValue: e.body },
              attributes: keyValues(e.attributes),
            },
          ],
        },
      ],
    })),
  };
}

export function protobufBody(object: Record<string, unknown>): Buffer {
  const { ExportLogsServiceRequest } = otlpTypes();
  return Buffer.from(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(object)).finish());
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One HTTP request with full control of headers and body (chunked when no content-length). */
export function post(
  url: string,
  body: Buffer | string | null,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

export const PROTOBUF = { 'content-type': 'application/x-protobuf' };
export const JSON_TYPE = { 'content-type': 'application/json' };
export const gzip = (body: Buffer | string): Buffer => gzipSync(body);

/** Rows without the generated event id, in a stable order, for comparing lakes field by field. */
export function comparable(rows: readonly Row[]): Record<string, unknown>[] {
  return rows
    .map(({ event_id: _id, ...rest }) => rest as Record<string, unknown>)
    .sort(
      (a, b) =>
        String(a.session_id).localeCompare(String(b.session_id)) ||
        Number(a.event_sequence) - Number(b.event_sequence),
    );
}
