import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../functions/demo/team-activity.ts';
import { type IngestServer, startIngestServer } from '../../functions/ingest/server.ts';
import { listSegments } from '../../functions/lake/flush-segment.ts';
import { lakeRows } from '../helpers/lake-files.ts';
import { exportRequest, JSON_TYPE, PROTOBUF, post, protobufBody } from '../helpers/otlp-requests.ts';

/** Issue 11, items 7 and 8: the endpoint stays bounded and answers the right status under abuse. */

const T = Date.UTC(2026, 0, 5, 10);
const event = (i: number): DemoEvent => ({
  body: 'claude_code.api_request',
  timeMs: T + i,
  resource: { 'service.name': 'claude-code' },
  attributes: { 'session.id': 's', 'event.sequence': i, cost_usd: 0.25, model: 'm' },
});

let lake: string;
let server: IngestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  await rm(lake, { recursive: true, force: true });
});

async function start(options: Partial<Parameters<typeof startIngestServer>[0]> = {}) {
  lake = await mkdtemp(join(tmpdir(), 'lake-abuse-'));
  server = await startIngestServer({ lake, port: 0, ...options });
  return server;
}

/** A kvlist AnyValue nested `depth` deep. */
function nested(depth: number): string {
  return `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(depth)}{"stringValue":"x"}${'}]}}'.repeat(depth)}`;
}

describe('bounded under abuse', () => {
  it('deep JSON nesting in a skipped record: 200, the valid record of the same request stored', async () => {
    const s = await start();
    const valid = (exportRequest([event(1)]) as { resourceLogs: unknown[] }).resourceLogs[0];
    const body = `{"resourceLogs":[${JSON.stringify(valid)},{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"GET /health"},"attributes":[{"key":"deep","value":${nested(6000)}}]}]}]}]}`;
    const res = await post(s.logsUrl, body, JSON_TYPE);
    expect(res.status).toBe(200);
    await s.close();
    const rows = await lakeRows(lake);
    expect(rows.map((r) => r.event_sequence)).toEqual([1]);
  });

  it('a protobuf with the wrong wire type for field 1 is a 400, not a 200 with nothing stored', async () => {
    const s = await start();
    const res = await post(s.logsUrl, Buffer.from([0x08, 0x01]), PROTOBUF);
    expect(res.status).toBe(400);
    const good = await post(s.logsUrl, protobufBody(exportRequest([event(2)])), PROTOBUF);
    expect(good.status).toBe(200);
  });

  it('refuses a foreign Host on /v1/logs when bound to loopback without a token (DNS rebinding)', async () => {
    const s = await start();
    const body = JSON.stringify(exportRequest([event(3)]));
    expect((await post(s.logsUrl, body, { ...JSON_TYPE, host: 'evil.example:4318' })).status).toBe(403);
    expect((await post(s.logsUrl, body, { ...JSON_TYPE, host: 'localhost:4318' })).status).toBe(200);
    await s.close();
    expect((await lakeRows(lake)).length).toBe(1);
  });

  it('answers 503 + Retry-After once in-flight body bytes pass the cap, and stores nothing of it', async () => {
    const s = await start({ maxInFlightBytes: 64 * 1024 });
    // One request holds 60 KiB of the budget by declaring it and stalling mid-body.
    const stalled = connect((s.server.address() as { port: number }).port, '127.0.0.1');
    stalled.on('error', () => undefined);
    await new Promise<void>((r) => stalled.once('connect', () => r()));
    stalled.write(
      'POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 61440\r\n\r\n{',
    );
    await new Promise((r) => setTimeout(r, 200));
    const body = Buffer.from(JSON.stringify(exportRequest(Array.from({ length: 40 }, (_, i) => event(i)))));
    expect(body.length).toBeGreaterThan(4096);
    const res = await post(s.logsUrl, body, JSON_TYPE);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    stalled.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await post(s.logsUrl, body, JSON_TYPE)).status).toBe(200);
  });

  it('cuts a body that stalls past the request timeout, and caps connections', async () => {
    const s = await start({ requestTimeoutMs: 1_000, maxConnections: 3 });
    const port = (s.server.address() as { port: number }).port;
    const answers: string[] = [];
    const open = async (): Promise<Promise<void>> => {
      const socket: Socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('data', (d: Buffer) => answers.push(d.toString().split('\r\n')[0]!));
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      await new Promise<void>((r) => socket.once('connect', () => r()));
      socket.write(
        'POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      );
      return closed;
    };
    // Over the cap: closed by the server at once; within it: cut at the request timeout (408).
    await Promise.all(await Promise.all(Array.from({ length: 6 }, open)));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThanOrEqual(3);
    for (const answer of answers) expect(answer).toBe('HTTP/1.1 408 Request Timeout');
    expect(s.server.listening).toBe(true);
    expect((await post(s.logsUrl, JSON.stringify(exportRequest([event(5)])), JSON_TYPE)).status).toBe(200);
  }, 20_000);

  it('aggregates errors/ lines per reason and minute: 50 bad requests, one line', async () => {
    const s = await start();
    for (let i = 0; i < 50; i++) expect((await post(s.logsUrl, 'not json', JSON_TYPE)).status).toBe(400);
    await s.errors.settled();
    const dir = join(lake, 'errors');
    const lines = (
      await Promise.all(
        (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).map((n) => readFile(join(dir, n), 'utf8')),
      )
    )
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reason: string; count: number });
    const bad = lines.filter((l) => l.reason.startsWith('bad-json'));
    // Two lines at most if the run crossed a minute boundary; the count is exact either way.
    expect(bad.length).toBeLessThanOrEqual(2);
    expect(bad.reduce((n, l) => n + l.count, 0)).toBe(50);
  });

  it('close within its flush budget leaves the rest in the spool; the next start stores every row once', async () => {
    const s = await start({ closeFlushMs: 0 });
    const events = Array.from({ length: 30 }, (_, i) => event(100 + i));
    expect((await post(s.logsUrl, JSON.stringify(exportRequest(events)), JSON_TYPE)).status).toBe(200);
    await s.close();
    server = null;
    expect((await listSegments(lake)).length).toBe(1);
    const again = await startIngestServer({ lake, port: 0 });
    await again.close();
    const rows = await lakeRows(lake);
    expect(rows.map((r) => r.event_sequence).sort((a, b) => Number(a) - Number(b))).toEqual(
      events.map((e) => e.attributes['event.sequence']),
    );
  });
});
