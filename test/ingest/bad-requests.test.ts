import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { type IngestServer, startIngestServer } from '../../functions/ingest/server.ts';
import { otlpTypes } from '../../functions/otlp/otlp-proto.ts';
import { allFiles, lakeRows } from '../helpers/lake-files.ts';
import { exportRequest, gzip, JSON_TYPE, PROTOBUF, post, protobufBody } from '../helpers/otlp-requests.ts';

const LIMIT = 64 * 1024;
const TOKEN = 'test-token-0123456789';
const [event] = generateTeamActivity({ seed: 5, teamSize: 1, days: 1, endMs: Date.UTC(2026, 0, 8) }).events;
const good = exportRequest([event!]);
const auth = { authorization: `Bearer ${TOKEN}` };

let lake: string;
let server: IngestServer;
const logged: string[] = [];

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'lake-bad-'));
  server = await startIngestServer({
    lake,
    port: 0,
    token: TOKEN,
    maxBodyBytes: LIMIT,
    log: (line) => logged.push(line),
    fallback: (req, res) => {
      if (req.url !== '/dashboard') return false;
      res.end('dashboard here');
      return true;
    },
  });
});
afterAll(async () => {
  await server?.close();
  await rm(lake, { recursive: true, force: true });
});

const logs = () => server.logsUrl;
const ok = () => post(logs(), JSON.stringify(good), { ...JSON_TYPE, ...auth });

describe('the endpoint answers each bad request with its status and keeps serving', () => {
  const cases: [string, () => Promise<{ status: number }>, number][] = [
    ['no token', () => post(logs(), JSON.stringify(good), JSON_TYPE), 401],
    [
      'wrong token',
      () => post(logs(), JSON.stringify(good), { ...JSON_TYPE, authorization: 'Bearer nope' }),
      401,
    ],
    [
      'token without Bearer',
      () => post(logs(), JSON.stringify(good), { ...JSON_TYPE, authorization: TOKEN }),
      401,
    ],
    ['GET /v1/logs', () => post(logs(), null, auth, 'GET'), 405],
    ['text/plain', () => post(logs(), 'hello', { 'content-type': 'text/plain', ...auth }), 415],
    ['no content type', () => post(logs(), 'hello', auth), 415],
    ['brotli', () => post(logs(), 'x', { ...JSON_TYPE, 'content-encoding': 'br', ...auth }), 415],
    [
      'garbage protobuf',
      () => post(logs(), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), { ...PROTOBUF, ...auth }),
      400,
    ],
    ['broken JSON', () => post(logs(), '{"resourceLogs":[', { ...JSON_TYPE, ...auth }), 400],
    ['wrong JSON shape', () => post(logs(), '{"resourceLogs":5}', { ...JSON_TYPE, ...auth }), 400],
    [
      'gzip header, not gzip',
      () => post(logs(), 'plain', { ...JSON_TYPE, 'content-encoding': 'gzip', ...auth }),
      400,
    ],
    [
      'truncated gzip',
      () =>
        post(logs(), gzip(JSON.stringify(good)).subarray(0, 20), {
          ...JSON_TYPE,
          'content-encoding': 'gzip',
          ...auth,
        }),
      400,
    ],
    [
      'declared too large',
      () =>
        post(logs(), Buffer.alloc(LIMIT + 1, 32), {
          ...JSON_TYPE,
          'content-length': String(LIMIT + 1),
          ...auth,
        }),
      413,
    ],
    [
      'chunked too large',
      () =>
        post(logs(), Buffer.alloc(LIMIT * 3, 32), { ...JSON_TYPE, 'transfer-encoding': 'chunked', ...auth }),
      413,
    ],
    [
      'gzip bomb',
      () =>
        post(logs(), gzip(Buffer.alloc(50 * LIMIT, 32)), {
          ...JSON_TYPE,
          'content-encoding': 'gzip',
          ...auth,
        }),
      413,
    ],
    ['metrics without token', () => post(`${server.url}/v1/metrics`, 'x', PROTOBUF), 401],
    ['metrics, bad protobuf', () => post(`${server.url}/v1/metrics`, 'x', { ...PROTOBUF, ...auth }), 400],
    ['traces', () => post(`${server.url}/v1/traces`, '{}', JSON_TYPE), 404],
    ['unknown path', () => post(`${server.url}/nope`, null, {}, 'GET'), 404],
  ];
  it.each(cases)('%s -> %i', async (_name, send, status) => {
    expect((await send()).status).toBe(status);
    expect((await ok()).status).toBe(200);
  });

  it('explains /v1/traces in the request encoding', async () => {
    const res = await post(`${server.url}/v1/traces`, '{}', JSON_TYPE);
    expect(JSON.parse(res.body.toString())).toMatchObject({
      message: expect.stringContaining('logs and metrics only'),
    });
    expect(logged.some((l) => l.includes('/v1/traces'))).toBe(true);
  });

  it('answers 200 with partialSuccess for rejected records, in the request encoding', async () => {
    const bad = { ...event!, body: 'claude_code.<script>' };
    const mixed = exportRequest([event!, bad, { ...event!, body: 'GET /health' }]);
    const json = await post(logs(), JSON.stringify(mixed), { ...JSON_TYPE, ...auth });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body.toString())).toEqual({
      partialSuccess: { rejectedLogRecords: '1', errorMessage: 'invalid event name (1)' },
    });
    const proto = await post(logs(), gzip(protobufBody(mixed)), {
      ...PROTOBUF,
      'content-encoding': 'gzip',
      ...auth,
    });
    expect(proto.status).toBe(200);
    expect(proto.headers['content-type']).toBe('application/x-protobuf');
    const { ExportLogsServiceResponse } = otlpTypes();
    expect(
      ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(proto.body), { longs: String }),
    ).toEqual({
      partialSuccess: { rejectedLogRecords: '1', errorMessage: 'invalid event name (1)' },
    });
  });

  it('hands other paths to the fallback (how the dashboard mounts)', async () => {
    const res = await post(`${server.url}/dashboard`, null, {}, 'GET');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('dashboard here');
  });

  it('counts rejections with reason and size in errors/, without bodies or the token', async () => {
    await server.errors.settled();
    const files = await allFiles(join(lake, 'errors'));
    expect(files.map((f) => f.path)).toEqual([
      expect.stringMatching(/errors\/rejected-\d{4}-\d{2}-\d{2}\.jsonl$/),
    ]);
    const lines = (await readFile(files[0]!.path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toContainEqual(
      expect.objectContaining({
        kind: 'record',
        reason: 'invalid event name',
        // One line per reason and minute: every invalid-name record of the run is in it.
        count: expect.any(Number),
        bytes: expect.any(Number),
      }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ kind: 'request', status: 413 }));
    expect(lines).toContainEqual(
      expect.objectContaining({ kind: 'request', status: 401, reason: 'missing or wrong bearer token' }),
    );
    const text = files[0]!.bytes.toString();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(event!.attributes['session.id'] as string);
    expect(logged.join('\n')).not.toContain(TOKEN);
  });

  it('stored every accepted event', async () => {
    await server.flush();
    const stored = await lakeRows(lake);
    // One per successful `ok()` plus two accepted from the partial-success requests; `ok()` sends
    // the same event every time, so the flush keeps one copy per event key.
    expect(server.handler.stats.rows).toBeGreaterThanOrEqual(20);
    const ids = stored.map((r) => r.event_id);
    expect(new Set(ids).size).toBe(stored.length);
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored.length).toBeLessThan(server.handler.stats.rows);
  });
});
