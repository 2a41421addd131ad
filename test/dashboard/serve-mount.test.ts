import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalDashboard, openLocalDashboard } from '../../functions/dashboard/local-dashboard.ts';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { sendWithOtelSdk } from '../../functions/ingest/otel-client.ts';
import { type IngestServer, startIngestServer } from '../../functions/ingest/server.ts';

/**
 * The dashboard mounted beside the OTLP endpoint, as `serve` does: one port answers /v1/logs and
 * the page; events sent with the OpenTelemetry SDK show up in the API once flushed.
 */
let lake: string;
let server: IngestServer | undefined;
let dashboard: LocalDashboard | undefined;

beforeEach(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dashboard-serve-'));
});

afterEach(async () => {
  await server?.close();
  await dashboard?.close();
  server = undefined;
  dashboard = undefined;
  await rm(lake, { recursive: true, force: true });
});

async function start(token?: string) {
  const local = await openLocalDashboard({ lake, host: '127.0.0.1', flushIntervalMs: 60_000, token });
  dashboard = local;
  server = await startIngestServer({
    lake,
    port: 0,
    token,
    flushIntervalMs: 60_000,
    fallback: local.handler,
    onFlush: () => local.invalidate(),
  });
  return server;
}

const json = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('dashboard beside the OTLP endpoint', () => {
  it('serves the page and the API on the OTLP port; new events appear after a flush', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/`)).status).toBe(200);
    expect((await json(`${s.url}/healthz`)).status).toBe(200);
    const meta = await json(`${s.url}/api/meta`);
    expect(meta.body).toMatchObject({ engine: 'local' });
    expect(meta.body.dataLatency).toContain('every 60 seconds');

    const empty = await json(`${s.url}/api/queries/team_totals?days=7`);
    expect(empty.status).toBe(200);
    expect(empty.body.rows).toEqual([expect.objectContaining({ messages: 0 })]);

    const { events } = generateTeamActivity({ seed: 3, teamSize: 3, days: 2, endMs: Date.now() });
    const sent = await sendWithOtelSdk(events, { url: s.logsUrl, protocol: 'json' });
    expect(sent.failed).toBe(0);
    await s.flush();

    const prompts = events.filter((e) => e.body === 'claude_code.user_prompt').length;
    const totals = await json(`${s.url}/api/queries/team_totals?days=7`);
    expect(totals.body.cached).toBe(false);
    expect(totals.body.rows).toEqual([expect.objectContaining({ messages: prompts })]);
  });

  it('puts the API behind the serve token', async () => {
    const s = await start('team-token-123');
    expect((await fetch(`${s.url}/api/meta`)).status).toBe(401);
    expect(
      (await fetch(`${s.url}/api/meta`, { headers: { authorization: 'Bearer team-token-123' } })).status,
    ).toBe(200);
    expect((await fetch(`${s.url}/nothing-here`)).status).toBe(404);
  });
});
