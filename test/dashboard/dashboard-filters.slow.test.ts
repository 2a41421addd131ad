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
 * Filters, the person page and the layout in Chromium at 1440x900 and 390x844, over a generated
 * lake (DuckDB): a filter changes every panel, and each shows what the API answers for it; a
 * person's page shows the figures of their per-person row; no per-person column is clipped at
 * 1440; the name stays in view after scrolling the table sideways at 390. Screenshots go to
 * test-results/ (CI keeps them).
 */
const END = Date.UTC(2026, 0, 15);
const NOW = new Date(END - 2 * 3_600_000);
const RESULTS = join(process.cwd(), 'test-results');

interface Answer {
  columns: { name: string; type: string }[];
  rows: SqlRow[];
  error?: string;
  filters: Record<string, string>;
  unfiltered: string[];
}
interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface El {
  getBoundingClientRect(): Rect;
  scrollWidth: number;
  clientWidth: number;
  scrollLeft: number;
  textContent: string | null;
  contains(other: unknown): boolean;
}
interface Doc {
  querySelector(s: string): El | null;
  querySelectorAll(s: string): El[];
  elementFromPoint(x: number, y: number): El | null;
  getElementById(id: string): El | null;
}

let lake: TestLake;
let engine: SqlEngine;
let server: RunningServer;
let browser: Browser;
let page: Page;
let names: string[];
const pageErrors: string[] = [];

async function batch(query: string): Promise<Record<string, Answer>> {
  const response = await fetch(`${server.url}/api/batch?queries=${names.join(',')}&${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { results: Record<string, Answer> }).results;
}

async function waitForLoad() {
  await page.waitForFunction(
    () =>
      /^Updated /.test(
        (globalThis as unknown as { document: Doc }).document.getElementById('status')?.textContent ?? '',
      ),
    null,
    {
      timeout: 240_000, // a cold page over a 40-day lake on a loaded 2-core machine
    },
  );
}

/** What a panel shows: the text of each body row, or of the totals. */
async function panelText(name: string): Promise<string> {
  return page.$eval(`[data-query="${name}"]`, (box) =>
    [...(box as unknown as { querySelectorAll(s: string): El[] }).querySelectorAll('tbody tr, dl div')]
      .map((r) => r.textContent)
      .join('\n'),
  );
}

/** The first column of a panel's table as shown, and the API's rows it must show (first 10). */
async function expectPanelShows(name: string, answer: Answer) {
  const first = answer.columns[0]!.name;
  const shown = await page.$$eval(`[data-query="${name}"] table tbody [data-column="${first}"]`, (c) =>
    c.map((x) => (x.textContent ?? '').trim()),
  );
  if (answer.rows.length === 0) return expect(shown).toEqual([]);
  if (name === 'week_over_week') return expect(shown).toHaveLength(answer.rows.length);
  // A one-row figure panel (cost_per_output) leads with a number, shown formatted: compare the
  // figure, not its text.
  if (typeof answer.rows[0]![first] === 'number') {
    expect(shown).toHaveLength(Math.min(10, answer.rows.length));
    shown.forEach((text, i) => {
      expect(Number(text.replace(/[$,%]/g, ''))).toBeCloseTo(Number(answer.rows[i]![first]), 2);
    });
    return;
  }
  expect(shown).toEqual(answer.rows.slice(0, 10).map((r) => String(r[first])));
}

const money = (t: string) => Number(t.replace(/[$,\s]/g, ''));

beforeAll(async () => {
  lake = await buildTestLake({ seed: 11, teamSize: 12, days: 40, endMs: END });
  // As the dashboard opens it (the base view kept as a table, two connections).
  engine = await openDuckDbEngine({ ...DASHBOARD_DUCKDB, lake: lake.dir, timeZone: 'UTC' });
  const { handler } = await createDashboard({ engine, host: '127.0.0.1', now: () => NOW });
  server = await startHttpServer([handler], { host: '127.0.0.1', port: 0 });
  names = ((await (await fetch(`${server.url}/api/meta`)).json()) as { queries: string[] }).queries;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await mkdir(RESULTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await engine?.close();
  await lake?.dispose();
});

afterEach(() => expect(pageErrors).toEqual([]));

describe('dashboard filters and the person page in Chromium', { timeout: 420_000 }, () => {
  it('a person filter changes every panel, each showing the API answer for that person', async () => {
    await page.goto(`${server.url}/?days=14&tz=UTC`);
    await waitForLoad();
    const team = await batch('days=14&tz=UTC');
    // Every query has a panel except the alerts' input (daily cost of everyone, not a page figure).
    const shown = await page.$$eval('[data-query]', (l) => l.map((e) => e.getAttribute('data-query')));
    expect(names.filter((n) => !shown.includes(n))).toEqual(['daily_cost_per_person']);
    names = names.filter((n) => shown.includes(n));
    const before = new Map<string, string>();
    for (const name of names) before.set(name, await panelText(name));

    const person = String(team.per_user_activity!.rows[1]!.user_name);
    await page.selectOption('#filter-person', person);
    await waitForLoad();
    expect(new URL(page.url()).searchParams.get('person')).toBe(person);
    const theirs = await batch(`days=14&tz=UTC&person=${encodeURIComponent(person)}`);
    let changed = 0;
    for (const name of names) {
      const answer = theirs[name]!;
      expect(answer.error, name).toBeUndefined();
      expect(answer.filters, name).toEqual({ person });
      expect(answer.unfiltered, name).toEqual([]);
      if (name !== 'team_totals' && !/^daily_/.test(name)) await expectPanelShows(name, answer);
      // Every panel whose answer differs for this person shows something else than before.
      if (JSON.stringify(answer.rows) !== JSON.stringify(team[name]!.rows)) {
        expect(await panelText(name), name).not.toBe(before.get(name));
        changed++;
      }
    }
    // Every panel whose answer differs changed above; enough differ for that to mean something
    // (the metrics and MCP/subagent-run panels are empty for everyone on this lake).
    expect(changed).toBeGreaterThanOrEqual(10);
    // Only this person in the tables that list people.
    const people = await page.$$eval('[data-query] tbody [data-column="user_name"]', (c) => [
      ...new Set(c.map((x) => (x.textContent ?? '').trim())),
    ]);
    expect(people).toEqual([person]);
    await page.screenshot({ path: join(RESULTS, 'dashboard-1440-person-filter.png'), fullPage: true });
  });

  it('a model filter narrows every panel too and is kept in the address with the range', async () => {
    const team = await batch('days=14&tz=UTC');
    const model = String(team.top_models!.rows.at(-1)!.model);
    await page.selectOption('#filter-person', '');
    await waitForLoad();
    await page.selectOption('#filter-model', model);
    await waitForLoad();
    const url = new URL(page.url());
    expect([
      url.searchParams.get('model'),
      url.searchParams.get('days'),
      url.searchParams.get('person'),
    ]).toEqual([model, '14', null]);
    const filtered = await batch(`days=14&tz=UTC&model=${encodeURIComponent(model)}`);
    expect(filtered.team_totals!.rows[0]!.cost_usd).not.toBe(team.team_totals!.rows[0]!.cost_usd);
    const cost = await page.textContent('#totals [data-column="cost_usd"] dd');
    expect(money(cost ?? '')).toBeCloseTo(Number(filtered.team_totals!.rows[0]!.cost_usd), 2);
    for (const name of ['top_models', 'per_user_activity', 'tool_success_rate']) {
      await expectPanelShows(name, filtered[name]!);
    }
    // Reloading the address shows the same view.
    await page.reload();
    await waitForLoad();
    expect(await page.inputValue('#filter-model')).toBe(model);
  });

  it("a person's page, opened from their name, shows the figures of their per-person row", async () => {
    await page.goto(`${server.url}/?days=7&tz=UTC&sort=messages.desc`);
    await waitForLoad();
    expect(await page.getAttribute('#per-user-table th[data-column="messages"]', 'aria-sort')).toBe(
      'descending',
    );
    const row = (await batch('days=7&tz=UTC')).per_user_activity!.rows.sort(
      (a, b) => Number(b.messages) - Number(a.messages),
    )[0]!;
    const person = String(row.user_name);
    await page.click(`#per-user-table tbody tr:first-child th a`);
    await waitForLoad();
    expect(await page.textContent('#person-name')).toBe(person);
    expect(new URL(page.url()).searchParams.get('person')).toBe(person);
    for (const [total, column] of [
      ['cost_usd', 'cost_usd'],
      ['messages', 'messages'],
      ['sessions', 'sessions'],
      ['skills', 'skills'],
      ['subagents', 'subagents'],
      ['mcp_calls', 'mcp_calls'],
    ] as const) {
      const shown = (await page.textContent(`#totals [data-column="${total}"] dd`)) ?? '';
      if (total === 'cost_usd') expect(money(shown)).toBeCloseTo(Number(row[column]), 2);
      else expect(Number(shown.replace(/,/g, '')), total).toBe(Number(row[column]));
    }
    expect(await page.textContent('#totals [data-column="active_users"] dd')).toBe('1');
    // Their daily trend is one line, theirs; the way back keeps the range.
    const legend = await page.$$eval('#daily-chart .u-legend .u-series:not(:first-child) .u-label', (l) =>
      l.map((x) => x.textContent),
    );
    expect(legend).toEqual([person]);
    expect(await page.getAttribute('#back-to-team', 'href')).toMatch(/days=7/);
    await page.screenshot({ path: join(RESULTS, 'dashboard-1440-person.png'), fullPage: true });
  });

  it('every per-person column is visible at 1440x900, none clipped, and each table has a CSV', async () => {
    await page.goto(`${server.url}/?days=31&tz=UTC`);
    await waitForLoad();
    const fit = await page.evaluate(() => {
      const region = (globalThis as unknown as { document: Doc }).document.querySelector(
        '#per-user .table-scroll',
      )!;
      const box = region.getBoundingClientRect();
      const heads = (globalThis as unknown as { document: Doc }).document.querySelectorAll(
        '#per-user-table thead th',
      );
      return {
        scroll: region.scrollWidth - region.clientWidth,
        clipped: [...heads]
          .filter((h) => h.getBoundingClientRect().right > box.right + 0.5)
          .map((h) => h.textContent),
        count: heads.length,
      };
    });
    expect(fit.count).toBeGreaterThanOrEqual(13);
    expect(fit).toMatchObject({ scroll: 0, clipped: [] });
    const href = await page.getAttribute('#per-user a.csv', 'href');
    const csv = await (await fetch(`${server.url}${href}`)).text();
    const api = (await batch('days=31&tz=UTC')).per_user_activity!;
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(api.columns.map((c) => c.name).join(','));
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(api.rows.map((r) => String(r.user_name)));
    expect(await page.locator('a.csv').count()).toBeGreaterThanOrEqual(names.length - 2);
    await page.screenshot({ path: join(RESULTS, 'dashboard-1440-31days.png') });
  });

  it('at 390x844 the totals are on the first screen and the name stays after scrolling sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/?days=7&tz=UTC`);
    await waitForLoad();
    expect(await page.getAttribute('#how-to-read', 'open')).toBeNull();
    const totalsTop = await page.$eval('#totals dl', (d) => (d as unknown as El).getBoundingClientRect().top);
    expect(totalsTop).toBeLessThan(844 - 80);
    await page.screenshot({ path: join(RESULTS, 'dashboard-390-first-screen.png') });

    for (const table of ['#per-user-table', '[data-query="tool_success_rate"] table']) {
      const seen = await page.$eval(table, (t) => {
        const el = t as unknown as El & { closest(s: string): El; scrollIntoView(): void };
        el.scrollIntoView();
        const region = el.closest('.table-scroll');
        region.scrollLeft = region.scrollWidth;
        const cell = (t as unknown as { querySelector(s: string): El }).querySelector(
          'tbody tr:first-child th',
        )!;
        const r = cell.getBoundingClientRect();
        const hit = (globalThis as unknown as { document: Doc }).document.elementFromPoint(
          r.left + 8,
          (r.top + r.bottom) / 2,
        );
        return {
          scrolled: region.scrollLeft,
          left: r.left,
          onTop: hit !== null && cell.contains(hit),
          text: cell.textContent,
        };
      });
      expect(seen.left).toBeGreaterThanOrEqual(0);
      expect(seen.onTop, `${table}: the name cell is covered after scrolling`).toBe(true);
      expect(seen.text?.trim()).not.toBe('');
      if (table === '#per-user-table') expect(seen.scrolled).toBeGreaterThan(100);
    }
    await page.screenshot({ path: join(RESULTS, 'dashboard-390-scrolled.png') });
  });
});
