import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDashboard } from '../../functions/dashboard/create-dashboard.ts';
import { DASHBOARD_DUCKDB } from '../../functions/dashboard/local-dashboard.ts';
import { type RunningServer, startHttpServer } from '../../functions/dashboard/server.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { SqlEngine, SqlRow } from '../../functions/sql/engine.ts';
import { launchChromium } from '../../scripts/chromium.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core loads the page
 * over a generated lake (DuckDB) and checks that what it shows equals what the API answers,
 * that sorting and the range selector work, and that a narrow window does not overflow.
 * Screenshots go to test-results/ (git-ignored).
 */
const END = Date.UTC(2026, 0, 15); // the lake's data ends here; "today" is Jan 14 (UTC)
// "The last N days" are whole days ending at midnight (functions/sql/time-window.ts): today,
// Jan 14, is not in them.
const NOW = new Date(END - 2 * 3_600_000);
const RESULTS = join(process.cwd(), 'test-results');

/** The browser globals the checks below read (the project compiles without the DOM lib). */
interface PageElement {
  textContent: string | null;
  scrollWidth: number;
  dataset: Record<string, string | undefined>;
  closest(selector: string): PageElement | null;
}
interface PageRange {
  selectNodeContents(node: unknown): void;
  getBoundingClientRect(): { left: number; right: number };
}

interface PageGlobals {
  innerWidth: number;
  document: {
    getElementById(id: string): PageElement | null;
    activeElement: PageElement | null;
    documentElement: PageElement;
  };
}

let lake: TestLake;
let engine: SqlEngine;
let server: RunningServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

interface ApiResult {
  columns: { name: string; type: string }[];
  rows: SqlRow[];
  window: { fromDate: string; toDate: string };
}

async function api(name: string, query: string): Promise<ApiResult> {
  const response = await fetch(`${server.url}/api/queries/${name}?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ApiResult;
}

/** `$1,234.56` / `1,234` / `98.5 %` / `—` back to a number (or null). */
function parseShown(text: string): number | null {
  const t = text.trim();
  if (t === '—') return null;
  return Number(t.replace(/[$,%\s]/g, ''));
}

/** What the page must show for an API value of a column: money to the cent, counts exact. */
function expectShown(text: string, value: unknown, column: string) {
  const shown = parseShown(text);
  if (value === null) return expect(shown).toBeNull();
  const v = Number(value);
  if (column === 'cost_per_message') expect(shown).toBeCloseTo(v, 4);
  else if (/cost|usd/.test(column)) expect(shown).toBeCloseTo(v, 2);
  else if (/pct/.test(column)) expect(shown).toBeCloseTo(v, 1);
  else expect(shown).toBe(v);
}

async function waitForLoad() {
  await page.waitForFunction(
    () =>
      /^Updated /.test(
        (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent ?? '',
      ),
    null,
    {
      timeout: 60_000,
    },
  );
}

async function tableColumn(tableSelector: string, column: string): Promise<string[]> {
  return page.$$eval(`${tableSelector} tbody [data-column="${column}"]`, (cells) =>
    cells.map((c) => c.textContent ?? ''),
  );
}

async function checkTotals(query: string) {
  const totals = await api('team_totals', query);
  const row = totals.rows[0]!;
  for (const column of totals.columns) {
    const text = await page.textContent(`#totals [data-column="${column.name}"] dd`);
    expectShown(text ?? '', row[column.name], column.name);
  }
  return row;
}

beforeAll(async () => {
  lake = await buildTestLake({ seed: 11, teamSize: 12, days: 40, endMs: END });
  // As the dashboard opens it (the base view kept as a table, two connections).
  engine = await openDuckDbEngine({ ...DASHBOARD_DUCKDB, lake: lake.dir, timeZone: 'UTC' });
  const { handler } = await createDashboard({ engine, host: '127.0.0.1', now: () => NOW });
  server = await startHttpServer([handler], { host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await mkdir(RESULTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
  await lake?.dispose();
});

afterEach(() => {
  // No script error, no failed request (a 404 for a page file shows up here too).
  expect(pageErrors).toEqual([]);
});

describe('dashboard in Chromium', () => {
  it('shows the API numbers: totals, per-user activity, the daily chart and the top lists', async () => {
    await page.goto(`${server.url}/`);
    await waitForLoad();
    expect(await page.textContent('#latency')).toMatch(/Local lake/);
    expect(await page.textContent('#range-label')).toContain('2026-01-07 to 2026-01-13 (7 days, UTC)');

    const totals = await checkTotals('days=7&tz=UTC');
    expect(Number(totals.cost_usd)).toBeGreaterThan(0);

    const perUser = await api('per_user_activity', 'days=7&tz=UTC');
    expect(await tableColumn('#per-user-table', 'user_name')).toEqual(perUser.rows.map((r) => r.user_name));
    for (const column of [
      'cost_usd',
      'messages',
      'skills',
      'subagents',
      'mcp_calls',
      'cost_per_message',
      'cache_hit_pct',
    ]) {
      const shown = await tableColumn('#per-user-table', column);
      for (const [i, text] of shown.entries()) expectShown(text, perUser.rows[i]![column], column);
    }

    const daily = await api('daily_cost_per_user', 'days=7&tz=UTC');
    const users = [...new Set(daily.rows.map((r) => String(r.user_name)))];
    expect(users.length).toBeGreaterThan(1);
    expect(users.length).toBeLessThanOrEqual(10);
    expect(await page.locator('#daily-chart canvas').count()).toBe(1);
    // The six people with the highest cost, then "Others"; the legend shows totals without hover.
    const byCost = users
      .map((u) => ({
        u,
        cost: daily.rows.filter((r) => r.user_name === u).reduce((n, r) => n + Number(r.cost_usd), 0),
      }))
      .sort((a, b) => b.cost - a.cost || a.u.localeCompare(b.u));
    const legend = await page.$$eval('#daily-chart .u-legend .u-series:not(:first-child) .u-label', (l) =>
      l.map((x) => x.textContent),
    );
    const top = byCost.length > 7 ? byCost.slice(0, 6) : byCost;
    expect(legend).toEqual([...top.map((x) => x.u), ...(byCost.length > 7 ? ['Others'] : [])]);
    const legendValues = await page.$$eval(
      '#daily-chart .u-legend .u-series:not(:first-child) .u-value',
      (l) => l.map((x) => x.textContent ?? ''),
    );
    for (const [i, x] of top.entries()) expect(parseShown(legendValues[i]!)).toBeCloseTo(x.cost, 2);
    if (byCost.length > 7) {
      const others = byCost.slice(6).reduce((n, x) => n + x.cost, 0);
      expect(parseShown(legendValues[6]!)).toBeCloseTo(others, 2);
    }
    // The chart's table: each user's cost on each day equals the API's row (0 where it has none).
    const headers = await page.$$eval('#daily-cost-table thead th', (th) => th.map((h) => h.textContent));
    const days = await tableColumn('#daily-cost-table', 'day');
    expect(days).toEqual([
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
      '2026-01-10',
      '2026-01-11',
      '2026-01-12',
      '2026-01-13',
    ]);
    for (const row of daily.rows) {
      const col = headers.indexOf(String(row.user_name));
      const line = days.findIndex((d) => d.startsWith(String(row.day)));
      const text = await page.textContent(
        `#daily-cost-table tbody tr:nth-child(${line + 1}) > :nth-child(${col + 1})`,
      );
      expectShown(text ?? '', row.cost_usd, 'cost_usd');
    }

    // The activity chart's table: people, sessions and messages per day equal the API's rows.
    const activity = await api('daily_activity', 'days=7&tz=UTC');
    expect(activity.rows.length).toBeGreaterThan(0);
    expect(await page.locator('#activity-chart canvas').count()).toBe(1);
    const activityDays = await tableColumn('#daily-activity-table', 'day');
    for (const row of activity.rows) {
      const line = activityDays.findIndex((d) => d.startsWith(String(row.day)));
      expect(line, String(row.day)).toBeGreaterThanOrEqual(0);
      for (const column of ['active_people', 'sessions', 'messages']) {
        const cells = await tableColumn('#daily-activity-table', column);
        expectShown(cells[line] ?? '', row[column], column);
      }
    }

    for (const name of [
      'top_skills',
      'top_subagents',
      'top_mcp_servers',
      'top_models',
      'cost_by_skill',
      'week_over_week',
    ]) {
      const result = await api(name, 'days=7&tz=UTC');
      const first = result.columns[0]!.name;
      const shown = await tableColumn(`[data-query="${name}"] table`, first);
      const expected = result.rows.slice(0, 10).map((r) => String(r[first]));
      if (name === 'week_over_week') expect(shown).toHaveLength(expected.length);
      else expect(shown).toEqual(expected);
    }
    await page.screenshot({ path: join(RESULTS, 'dashboard-1440.png'), fullPage: true });
  });

  it('sorts the per-user table by each column, both directions, with aria-sort', async () => {
    const perUser = await api('per_user_activity', 'days=7&tz=UTC');
    const table = '#per-user-table';
    expect(await page.getAttribute(`${table} th[data-column="cost_usd"]`, 'aria-sort')).toBe('descending');
    for (const column of ['messages', 'skills', 'subagents', 'mcp_calls', 'cost_usd']) {
      for (const direction of ['descending', 'ascending'] as const) {
        await page.click(`${table} th[data-column="${column}"] button`);
        expect(await page.getAttribute(`${table} th[data-column="${column}"]`, 'aria-sort')).toBe(direction);
        expect(await page.locator(`${table} th[aria-sort]`).count()).toBe(1);
        const values = perUser.rows.map((r) => Number(r[column]));
        const shown = (await tableColumn(table, column)).map(parseShown) as number[];
        const sorted = [...values].sort((a, b) => (direction === 'ascending' ? a - b : b - a));
        if (/cost/.test(column)) for (const [i, v] of shown.entries()) expect(v).toBeCloseTo(sorted[i]!, 2);
        else expect(shown).toEqual(sorted);
      }
    }
    // Focus stays on the heading's button, so a keyboard user can sort again.
    expect(
      await page.evaluate(
        () => (globalThis as unknown as PageGlobals).document.activeElement?.closest('th')?.dataset.column,
      ),
    ).toBe('cost_usd');
    expect(await page.textContent('#status')).toMatch(/sorted by Cost, ascending/);
  });

  it('changes the range: 14 and 31 days, and a custom range', async () => {
    await page.check('input[name="range"][value="14"]');
    await waitForLoad();
    expect(new URL(page.url()).searchParams.get('days')).toBe('14');
    expect(await page.textContent('#range-label')).toContain('2025-12-31 to 2026-01-13 (14 days, UTC)');
    const t14 = await checkTotals('days=14&tz=UTC');

    await page.check('input[name="range"][value="31"]');
    await waitForLoad();
    const t31 = await checkTotals('days=31&tz=UTC');
    expect(Number(t31.cost_usd)).toBeGreaterThan(Number(t14.cost_usd));

    await page.check('input[name="range"][value="custom"]');
    expect(await page.isVisible('#from')).toBe(true);
    await page.fill('#from', '2026-01-05');
    await page.fill('#to', '2026-01-06');
    await page.click('#range-form button[type="submit"]');
    await waitForLoad();
    expect(await page.textContent('#range-label')).toContain('2026-01-05 to 2026-01-06 (2 days, UTC)');
    await checkTotals('from=2026-01-05&to=2026-01-07&tz=UTC');
    const perUser = await api('per_user_activity', 'from=2026-01-05&to=2026-01-07&tz=UTC');
    expect(await page.locator('#per-user-table tbody tr').count()).toBe(Math.max(1, perUser.rows.length));

    // The team time zone: days start at midnight there.
    await page.check('input[name="range"][value="7"]');
    await waitForLoad();
    await page.fill('#tz', 'Asia/Tokyo');
    await page.click('#range-form button[type="submit"]');
    await waitForLoad();
    expect(new URL(page.url()).searchParams.get('tz')).toBe('Asia/Tokyo');
    await checkTotals('days=7&tz=Asia/Tokyo');
  });

  it('says why when the API refuses the range: a time zone it does not know', async () => {
    await page.goto(`${server.url}/?days=7&tz=UTC`);
    await waitForLoad();
    await page.fill('#tz', 'Mars/Olympus_Mons');
    await page.click('#range-form button[type="submit"]');
    await page.waitForFunction(
      () =>
        /could not be shown/.test(
          (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent ?? '',
        ),
      null,
      { timeout: 30_000 },
    );
    const status = await page.textContent('#status');
    expect(status).toContain('"tz" must be an IANA time zone');
    expect(status).toContain('Mars/Olympus_Mons');
    // Said once, at the top: no panel repeats it, and no sentence is left as "Showing ."
    const body = (await page.textContent('body')) ?? '';
    expect(body.split('"tz" must be an IANA time zone')).toHaveLength(2);
    expect(await page.locator('main .error').count()).toBe(0);
    expect(await page.textContent('#range-label')).not.toBe('');
    expect(body).not.toMatch(/Showing \./);
    // The refused requests are the only errors the page logged.
    expect(pageErrors.length).toBeGreaterThan(0);
    expect(pageErrors).toHaveLength(1);
    expect(pageErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    pageErrors.length = 0;
  });

  it('fits a narrow window', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/?days=7&tz=UTC`);
    await waitForLoad();
    const overflow = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.document.documentElement.scrollWidth - g.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(RESULTS, 'dashboard-390.png'), fullPage: true });

    // A range with no events: the wide per-user table says so where a narrow window shows it,
    // not in the middle of its scrolled-away width.
    await page.goto(`${server.url}/?from=2025-01-01&to=2025-01-02&tz=UTC`);
    await waitForLoad();
    const empty = page.locator('#per-user-table td.empty');
    expect(await empty.textContent()).toBe('Nothing in this range.');
    const text = await empty.evaluate((cell) => {
      const range = (
        cell as unknown as { ownerDocument: { createRange(): PageRange } }
      ).ownerDocument.createRange();
      range.selectNodeContents(cell);
      const rect = range.getBoundingClientRect();
      return { left: rect.left, right: rect.right, width: (globalThis as unknown as PageGlobals).innerWidth };
    });
    expect(text.left).toBeGreaterThanOrEqual(0);
    expect(text.right).toBeLessThanOrEqual(text.width);
    // An empty range, no filter: how to send events (and how to try the demo) instead of zeros.
    expect(await page.isVisible('#onboarding')).toBe(true);
    expect(await page.textContent('#onboarding')).toContain('npm run demo');
    await page.screenshot({ path: join(RESULTS, 'dashboard-390-empty.png') });
  });
});
