import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestServer, startIngestServer } from '../../functions/ingest/server.ts';
import { metricsTypes } from '../../functions/metrics/metrics-proto.ts';
import { totalsInLake } from './helpers/metrics-lake.ts';

const TOKEN = 'route-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let lake: string;
let server: IngestServer;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'lake-metrics-route-'));
  server = await startIngestServer({
    lake,
    port: 0,
    token: TOKEN,
    maxBodyBytes: 64 * 1024,
    flushIntervalMs: 3_600_000,
  });
});
afterAll(async () => {
  await server?.close();
  await rm(lake, { recursive: true, force: true });
});

const attrs = (o: Record<string, string>) =>
  Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));
const who = { 'user.email': 'carol@example.com', 'user.id': 'install-1', 'session.id': 's1' };
const pt = (value: number, extra: Record<string, string> = {}) => ({
  attributes: attrs({ ...who, ...extra }),
  startTimeUnixNano: '1767600000000000000',
  timeUnixNano: '1767600060000000000',
  asDouble: value,
});
const request = (metrics: unknown[]) => ({
  resourceMetrics: [
    { resource: { attributes: attrs({ 'service.name': 'claude-code' }) }, scopeMetrics: [{ metrics }] },
  ],
});
const sum = (name: string, points: unknown[], temporality = 1, isMonotonic = true) => ({
  name,
  sum: { aggregationTemporality: temporality, isMonotonic, dataPoints: points },
});

const mixed = request([
  sum('claude_code.commit.count', [pt(2)]),
  sum('claude_code.lines_of_code.count', [pt(4, { type: 'added' })]),
  { name: 'claude_code.active_time.total', gauge: { dataPoints: [pt(1)] } },
  { name: 'claude_code.cost.usage', histogram: { dataPoints: [{ count: '1' }] } },
  sum('claude_code.session.count', [pt(1)], 1, false),
  sum('claude_code.token.usage', [pt(1)], 0),
  sum('some.other.metric', [pt(9)]),
]);

const post = (body: Buffer | string, headers: Record<string, string>) =>
  fetch(server.metricsUrl, { method: 'POST', headers, body });

describe('POST /v1/metrics', () => {
  it('stores the kept sums and answers partialSuccess for the points it rejects (JSON)', async () => {
    const res = await post(JSON.stringify(mixed), { 'content-type': 'application/json', ...auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedDataPoints: '4',
        errorMessage:
          'gauge points are not stored (sums only) (1); histogram points are not stored (sums only) (1); non-monotonic sum not stored (1); sum without aggregation temporality (1)',
      },
    });
  });

  it('answers in protobuf for a gzipped protobuf request, with the same partial success', async () => {
    const { ExportMetricsServiceRequest, ExportMetricsServiceResponse } = metricsTypes();
    const body = ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(mixed)).finish();
    const res = await post(gzipSync(body), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
      ...auth,
    });
    expect(res.status).toBe(200);
    const answer = ExportMetricsServiceResponse.toObject(
      ExportMetricsServiceResponse.decode(new Uint8Array(await res.arrayBuffer())),
      { longs: String },
    );
    expect(answer.partialSuccess.rejectedDataPoints).toBe('4');
  });

  it('refuses a missing token, a bad body and a body over the limit, like /v1/logs', async () => {
    expect((await post('{}', { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post('{not json', { 'content-type': 'application/json', ...auth })).status).toBe(400);
    expect(
      (await post('{"resourceMetrics":5}', { 'content-type': 'application/json', ...auth })).status,
    ).toBe(400);
    expect((await post('x', { 'content-type': 'text/plain', ...auth })).status).toBe(415);
    const big = gzipSync(Buffer.alloc(1024 * 1024, 32));
    expect(
      (await post(big, { 'content-type': 'application/json', 'content-encoding': 'gzip', ...auth })).status,
    ).toBe(413);
  });

  it('kept exactly the two delta sums of both requests, once per interval, and counted what it left out', async () => {
    await server.flush();
    expect(await totalsInLake(lake)).toEqual({
      'claude_code.commit.count||carol@example.com': 2,
      'claude_code.lines_of_code.count|added|carol@example.com': 4,
    });
    await server.errors.settled(); // this minute's lines are written at its end, or now
    const today = new Date().toISOString().slice(0, 10);
    const log = await readFile(join(lake, 'errors', `rejected-${today}.jsonl`), 'utf8');
    expect(log).toContain('"reason":"metrics: metric name not kept"');
    expect(server.dropped.toJSON()).toMatchObject({ 'service.name': expect.any(Number) });
  });
});
