import { afterEach, describe, expect, it } from 'vitest';
import { DashboardApi } from '../../functions/dashboard/api.ts';
import { createDashboardHandler } from '../../functions/dashboard/http-handler.ts';
import { type RunningServer, startHttpServer } from '../../functions/dashboard/server.ts';
import type { QueryResult } from '../../functions/sql/engine.ts';
import { FakeQueries, TOTALS } from './fake-queries.ts';

const NOW = new Date('2026-01-12T10:00:00Z');
const PER_USER: QueryResult = {
  columns: [
    { name: 'user_name', type: 'varchar' },
    { name: 'cost_usd', type: 'double' },
  ],
  rows: [
    { user_name: 'alice', cost_usd: 3.5 },
    { user_name: '=HYPERLINK("x")', cost_usd: 1 },
  ],
};
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start() {
  const queries = new FakeQueries(
    { team_totals: TOTALS, per_user_activity: PER_USER, top_models: TOTALS },
    { team_totals: ['person', 'model'], per_user_activity: ['model'] },
  );
  const api = new DashboardApi({ queries, now: () => NOW });
  server = await startHttpServer([createDashboardHandler({ api, loopbackOnly: true })], {
    host: '127.0.0.1',
    port: 0,
  });
  return { queries, url: server.url };
}

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('dashboard API filters, batch and CSV', () => {
  it('passes each query only the filters it declares and names the ones it could not apply', async () => {
    const { url, queries } = await start();
    const r = await get(`${url}/api/queries/per_user_activity?days=7&person=alice&model=claude-opus-4`);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as Record<string, unknown>;
    expect(body.filters).toEqual({ model: 'claude-opus-4' });
    expect(body.unfiltered).toEqual(['person']);
    expect(queries.runs.at(-1)!.filters).toEqual({ model: 'claude-opus-4' });
    const meta = JSON.parse((await get(`${url}/api/meta`)).text) as { filters: unknown };
    expect(meta.filters).toEqual({
      team_totals: ['person', 'model'],
      per_user_activity: ['model'],
      top_models: [],
    });
  });

  it('caches per filter: another person runs the query again, the same one does not', async () => {
    const { url, queries } = await start();
    await get(`${url}/api/queries/team_totals?days=7&person=alice`);
    await get(`${url}/api/queries/team_totals?days=7&person=alice`);
    await get(`${url}/api/queries/team_totals?days=7&person=bob`);
    await get(`${url}/api/queries/team_totals?days=7`);
    expect(queries.runs.map((r) => r.filters.person)).toEqual(['alice', 'bob', undefined]);
  });

  it('answers a batch in one response, one window, each query with its own filters', async () => {
    const { url, queries } = await start();
    const r = await get(`${url}/api/batch?queries=team_totals,per_user_activity&days=14&person=alice`);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as {
      window: { days: number };
      results: Record<string, { rows: unknown[]; filters: unknown }>;
    };
    expect(body.window.days).toBe(14);
    expect(Object.keys(body.results)).toEqual(['team_totals', 'per_user_activity']);
    expect(body.results.team_totals!.filters).toEqual({ person: 'alice' });
    expect(body.results.per_user_activity!.rows).toEqual(PER_USER.rows);
    expect(queries.runs).toHaveLength(2);
  });

  it.each([
    ['queries=team_totals&tz=Mars/Base', /"tz" must be an IANA time zone/, 400],
    ['queries=team_totals,nope&days=7', /unknown query "nope"/, 404],
    ['days=7', /give "queries" once/, 400],
    ['queries=team_totals&person=a&person=b', /"person" is given twice/, 400],
    ['queries=team_totals&user=a', /unknown parameter "user"/, 400],
  ])('refuses a bad batch once, running nothing: %s', async (query, message, status) => {
    const { url, queries } = await start();
    const r = await get(`${url}/api/batch?${query}`);
    expect(r.status).toBe(status);
    expect((JSON.parse(r.text) as { error: string }).error).toMatch(message);
    expect(queries.runs).toHaveLength(0);
  });

  it('keeps a failed query to its own entry in a batch', async () => {
    const { url, queries } = await start();
    queries.failNext = new Error('disk on fire');
    const r = await get(`${url}/api/batch?queries=team_totals,top_models&days=7`);
    const body = JSON.parse(r.text) as { results: Record<string, { error?: string; rows?: unknown[] }> };
    expect(body.results.team_totals!.error).toMatch(/disk on fire/);
    expect(body.results.top_models!.rows).toEqual(TOTALS.rows);
  });

  it('downloads a query as CSV with the range and filters in the file name', async () => {
    const { url } = await start();
    const r = await get(`${url}/api/queries/per_user_activity.csv?from=2026-01-05&to=2026-01-12&model=opus`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe(
      'attachment; filename="per_user_activity_2026-01-05_2026-01-11_model-opus.csv"',
    );
    const lines = r.text.trimEnd().split('\n');
    expect(lines[0]).toBe('user_name,cost_usd');
    expect(lines[1]).toBe('alice,3.5');
    expect(lines).toHaveLength(3);
  });
});
