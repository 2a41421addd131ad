import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { createIngestHandler } from '../../functions/ingest/handler.ts';
import { sendWithOtelSdk } from '../../functions/ingest/otel-client.ts';
import type { Row } from '../../functions/schema/row.ts';
import { exportRequest, JSON_TYPE, post } from '../helpers/otlp-requests.ts';

/**
 * When the spool cannot store a request's rows the endpoint answers 503 with Retry-After (a
 * retryable status in OTLP/HTTP), and the OTel SDK exporter's retry then delivers every record.
 */
const events = generateTeamActivity({ seed: 3, teamSize: 1, days: 1, endMs: Date.UTC(2026, 0, 8) }).events;
const stored: Row[] = [];
let failuresLeft = 0;
let server: Server;
let logsUrl: string;

beforeAll(async () => {
  const handler = createIngestHandler({
    sink: {
      append: async (rows) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('ENOSPC: no space left on device');
        }
        stored.push(...rows);
      },
    },
    sanitize: { email: (email) => email },
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  logsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the spool cannot store the rows', () => {
  it('answers 503 with Retry-After and a Status naming the problem (no disk detail)', async () => {
    failuresLeft = 1;
    const res = await post(logsUrl, JSON.stringify(exportRequest(events.slice(0, 2))), JSON_TYPE);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(JSON.parse(res.body.toString())).toEqual({
      code: 14,
      message: 'the lake could not store the rows; retry later',
    });
  });

  it('the OTel SDK exporter retries and every record is stored once', async () => {
    stored.length = 0;
    failuresLeft = 1;
    const result = await sendWithOtelSdk(events, { url: logsUrl, protocol: 'protobuf', chunk: 5000 });
    expect(result).toEqual({ exported: events.length, failed: 0 });
    expect(stored.length).toBe(events.length);
    expect(new Set(stored.map((r) => r.event_id)).size).toBe(events.length);
  });
});
