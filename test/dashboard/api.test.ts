import { afterEach, describe, expect, it } from 'vitest';
import { DashboardApi } from '../../functions/dashboard/api.ts';
import { createDashboardHandler } from '../../functions/dashboard/http-handler.ts';
import { ResultCache } from '../../functions/dashboard/result-cache.ts';
import { type RunningServer, startHttpServer } from '../../functions/dashboard/server.ts';
import { FakeQueries, TOTALS } from './fake-queries.ts';

const NOW = new Date('2026-01-12T10:00:00Z');
let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { token?: string; loopbackOnly?: boolean; cache?: ResultCache } = {}) {
  const queries = new FakeQueries({ team_totals: TOTALS, per_user_activity: TOTALS });
  const api = new DashboardApi({ queries, now: () => NOW, maxDays: 92, cache: options.cache });
  const handler = createDashboardHandler({
    api,
    token: options.token,
    loopbackOnly: options.loopbackOnly ?? true,
  });
  server = await startHttpServer([handler], { host: '127.0.0.1', port: 0 });
  return { queries, api, url: server.url };
}

async function getJson(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('dashboard API', () => {
  it('answers a named query with its columns, rows and window', async () => {
    const { url, queries } = await start();
    const { status, body } = await getJson(`${url}/api/queries/team_totals?days=7&tz=UTC`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      query: 'team_totals',
      window: {
        from: '2026-01-05T00:00:00.000Z',
        to: '2026-01-12T00:00:00.000Z',
        timeZone: 'UTC',
        days: 7,
        partial: false,
        label: 'last 7 whole days: Mon 5 Jan – Sun 11 Jan 2026 (UTC)',
      },
      columns: TOTALS.columns,
      rows: TOTALS.rows,
      cached: false,
    });
    expect(queries.runs).toHaveLength(1);
    expect(queries.runs[0]!.window.from.toISOString()).toBe('2026-01-05T00:00:00.000Z');
  });

  it('lists the engine, latency, zone and query names at /api/meta', async () => {
    const { url } = await start();
    const { body } = await getJson(`${url}/api/meta`);
    expect(body).toMatchObject({
      engine: 'local',
      timeZone: 'UTC',
      defaultDays: 7,
      queries: ['team_totals', 'per_user_activity'],
    });
    expect(body.dataLatency).toMatch(/spool/);
  });

  it.each([
    ['days=0', /"days" must be a whole number/],
    ['days=7&from=2026-01-01&to=2026-01-05', /either "days" or "from" and "to"/],
    ['from=2026-13-01&to=2026-13-05', /"from" must be a date/],
    ['tz=Nowhere/Land', /"tz" must be an IANA time zone/],
    ['sql=DROP%20TABLE%20events', /unknown parameter "sql"/],
  ])('answers 400 with a message for %s, without running anything', async (query, message) => {
    const { url, queries } = await start();
    const { status, body } = await getJson(`${url}/api/queries/team_totals?${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
    expect(queries.runs).toHaveLength(0);
  });

  it.each(['nope', 'team_totals.sql', '..%2F..%2Fetc%2Fpasswd', 'SELECT%201', 'Team_Totals'])(
    'answers 404 for the unknown query %s',
    async (name) => {
      const { url, queries } = await start();
      const { status, body } = await getJson(`${url}/api/queries/${name}`);
      expect(status).toBe(404);
      expect(body.error).toMatch(/unknown query/);
      expect(body.error).toContain('team_totals, per_user_activity');
      expect(queries.runs).toHaveLength(0);
    },
  );

  it('answers 404 for unknown API routes and page files', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${url}/vendor/../../package.json`)).status).toBe(404);
    expect((await fetch(`${url}/vendor/uPlot.cjs.js`)).status).toBe(404);
  });

  it('caches per (query, window): a repeat does not run the query again, another window does', async () => {
    const { url, queries } = await start();
    const first = await getJson(`${url}/api/queries/team_totals?days=7`);
    const again = await getJson(`${url}/api/queries/team_totals?days=7&tz=UTC`);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.body.cached).toBe(true);
    expect(again.body.rows).toEqual(first.body.rows);
    expect(queries.runs).toHaveLength(1);

    await getJson(`${url}/api/queries/team_totals?days=14`);
    await getJson(`${url}/api/queries/team_totals?days=7&tz=Asia/Tokyo`);
    await getJson(`${url}/api/queries/per_user_activity?days=7`);
    expect(queries.runs.map((r) => r.name)).toEqual([
      'team_totals',
      'team_totals',
      'team_totals',
      'per_user_activity',
    ]);
  });

  it('shares one run between concurrent requests for the same key', async () => {
    const { url, queries } = await start();
    await Promise.all([1, 2, 3].map(() => getJson(`${url}/api/queries/team_totals?days=31`)));
    expect(queries.runs).toHaveLength(1);
  });

  it('answers 500 with the reason when a query fails, and does not cache the failure', async () => {
    const { url, queries } = await start();
    queries.failNext = new Error('Athena: access denied');
    const failed = await getJson(`${url}/api/queries/team_totals?days=7`);
    expect(failed.status).toBe(500);
    expect(failed.body.error).toBe('query "team_totals" failed: Athena: access denied');
    const retried = await getJson(`${url}/api/queries/team_totals?days=7`);
    expect(retried.status).toBe(200);
    expect(queries.runs).toHaveLength(2);
  });

  it('serves only GET and HEAD', async () => {
    const { url } = await start();
    const post = await fetch(`${url}/api/queries/team_totals`, { method: 'POST', body: 'SELECT 1' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${url}/api/meta`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('serves the page and uPlot from the repository, with a strict CSP', async () => {
    const { url } = await start();
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('How to read this');
    const uplot = await fetch(`${url}/vendor/uPlot.esm.js`);
    expect(uplot.status).toBe(200);
    expect(uplot.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await uplot.text()).toContain('export');
  });
});

describe('dashboard auth', () => {
  it('needs the token on the API when one is set, as bearer or ?token', async () => {
    const { url, queries } = await start({ token: 's3cret' });
    const none = await getJson(`${url}/api/queries/team_totals`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await getJson(`${url}/api/meta`)).status).toBe(401);
    const wrong = await fetch(`${url}/api/queries/team_totals`, {
      headers: { authorization: 'Bearer s3cre' },
    });
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${url}/api/queries/team_totals?token=s3cret`, {
      headers: { authorization: 'Basic czNjcmV0' },
    });
    expect(basic.status).toBe(401);
    expect(queries.runs).toHaveLength(0);

    const bearer = await fetch(`${url}/api/queries/team_totals`, {
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(bearer.status).toBe(200);
    expect((await fetch(`${url}/api/queries/team_totals?token=s3cret&days=7`)).status).toBe(200);
  });

  it('serves the page itself without the token (it holds no data)', async () => {
    const { url } = await start({ token: 's3cret' });
    expect((await fetch(`${url}/`)).status).toBe(200);
  });

  it('refuses a foreign Host header on loopback (DNS rebinding)', async () => {
    const { url } = await start();
    const port = new URL(url).port;
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request(
        { host: '127.0.0.1', port, path: '/api/meta', headers: { host: `evil.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
    expect((await fetch(`http://localhost:${port}/api/meta`)).status).toBe(200);
  });
});

describe('ResultCache', () => {
  const window = {
    from: new Date('2026-01-01T00:00:00Z'),
    to: new Date('2026-01-08T00:00:00Z'),
    timeZone: 'UTC',
  };
  const run = async () => TOTALS;

  it('expires an open window after its TTL but keeps a settled one', async () => {
    let now = Date.parse('2026-01-07T12:00:00Z');
    const cache = new ResultCache({ openTtlMs: 1000, settleMs: 3_600_000, now: () => now });
    expect((await cache.get('q', window, run)).hit).toBe(false);
    expect((await cache.get('q', window, run)).hit).toBe(true);
    now += 1001;
    expect((await cache.get('q', window, run)).hit).toBe(false);

    now = Date.parse('2026-02-01T00:00:00Z'); // long after the window ended
    expect((await cache.get('q', window, run)).hit).toBe(false);
    now += 86_400_000 * 30;
    expect((await cache.get('q', window, run)).hit).toBe(true);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = new ResultCache({ maxEntries: 2 });
    await cache.get('a', window, run);
    await cache.get('b', window, run);
    await cache.get('a', window, run);
    await cache.get('c', window, run);
    expect(cache.size).toBe(2);
    expect((await cache.get('a', window, run)).hit).toBe(true);
    expect((await cache.get('b', window, run)).hit).toBe(false);
  });
});
