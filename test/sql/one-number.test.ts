import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DashboardApi } from '../../functions/dashboard/api.ts';
import { catalogQueries } from '../../functions/dashboard/named-queries.ts';
import { formatChange } from '../../functions/digest/format.ts';
import { createDigest } from '../../functions/digest/run-digest.ts';
import type { Digest } from '../../functions/digest/types.ts';
import { type DuckDbEngine, openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { QueryWindow, SqlRow } from '../../functions/sql/engine.ts';
import { runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { zonedMidnight } from '../../functions/sql/zoned-time.ts';
import { runCli } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { demoTotals } from '../../scripts/demo-totals.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';
import { teamTotals, weekOverWeek } from './reference.ts';

/**
 * One number per question: over a generated steady month (the whole of January 2026, a 10-person
 * team), the same window gives the same team totals on every surface: `query`, the dashboard
 * API, the digest's data and the demo's printout, and all equal the independent reference.
 */
const ZONE = 'Europe/Berlin';
// Saturday 31 Jan 2026, 14:00 in Berlin: today is unfinished.
const NOW = new Date('2026-01-31T13:00:00Z');
const FIGURES = [
  'cost_usd',
  'messages',
  'sessions',
  'active_users',
  'skills',
  'subagents',
  'mcp_calls',
] as const;

let lake: TestLake;
let engine: DuckDbEngine;

beforeAll(async () => {
  lake = await buildTestLake({ seed: 23, teamSize: 10, days: 31, endMs: Date.UTC(2026, 1, 1) });
  engine = await openDuckDbEngine({ lake: lake.dir, threads: 1, timeZone: ZONE });
});
afterAll(async () => {
  await engine?.close();
  await lake?.dispose();
});
afterEach(() => {
  vi.useRealTimers();
});

async function queryCommand(args: string[]): Promise<SqlRow> {
  const out: string[] = [];
  const io: CommandIO = { out: (t) => out.push(t), err: () => {}, cwd: '/', env: { TEAM_TIME_ZONE: ZONE } };
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  try {
    const code = await runCli(['query', 'team_totals', '--lake', lake.dir, '--format', 'json', ...args], io);
    expect(code).toBe(0);
  } finally {
    vi.useRealTimers();
  }
  return (JSON.parse(out.join('\n')) as SqlRow[])[0]!;
}

async function dashboard(params: string, name = 'team_totals') {
  const api = new DashboardApi({ queries: await catalogQueries(engine), timeZone: ZONE, now: () => NOW });
  const answer = await api.handle(`/api/queries/${name}`, new URLSearchParams(params));
  expect(answer.status).toBe(200);
  return answer.body as { rows: SqlRow[]; window: Record<string, unknown> };
}

const digestAt = (now: Date): Promise<Digest> => createDigest({ engine, now, days: 7, timeZone: ZONE });

function digestFigures(digest: Digest): Record<string, number> {
  const t = digest.totals;
  return {
    cost_usd: t.costUsd.value,
    messages: t.messages.value,
    sessions: t.sessions.value,
    active_users: t.activeUsers.value,
    skills: t.skills.value,
    subagents: t.subagents.value,
    mcp_calls: t.mcpCalls.value,
  };
}

const pick = (row: SqlRow) => Object.fromEntries(FIGURES.map((f) => [f, row[f]]));

function expectSame(label: string, surfaces: Record<string, Record<string, unknown>>, expected: SqlRow) {
  for (const [surface, figures] of Object.entries(surfaces)) {
    for (const f of FIGURES) {
      expect(figures[f], `${label}: ${surface} ${f}`).toBeCloseTo(expected[f] as number, 6);
    }
  }
}

describe('one number per question on a steady month', () => {
  it('the default window (last 7 whole days, today not in it) gives the same totals everywhere', async () => {
    const window: QueryWindow = {
      from: zonedMidnight('2026-01-24', ZONE),
      to: zonedMidnight('2026-01-31', ZONE),
      timeZone: ZONE,
    };
    const [expected] = teamTotals(lake.rows, window);
    const api = await dashboard('');
    expect(api.window).toMatchObject({ fromDate: '2026-01-24', toDate: '2026-01-31', partial: false });
    expect(api.window.label).toBe('last 7 whole days: Sat 24 Jan – Fri 30 Jan 2026 (Europe/Berlin)');
    const digest = await digestAt(NOW);
    expect(digest.period.label).toBe('Sat 24 Jan – Fri 30 Jan 2026');
    const demo = await demoTotals(engine, NOW, 7, ZONE);
    expect(demo.text).toContain(
      'Team totals, last 7 whole days: Sat 24 Jan – Fri 30 Jan 2026 (Europe/Berlin):',
    );
    expectSame(
      'default window',
      {
        query: pick(await queryCommand([])),
        dashboard: pick(api.rows[0]!),
        digest: digestFigures(digest),
        demo: pick(demo.row),
      },
      expected!,
    );
    expect(expected!.messages).toBeGreaterThan(100);
  });

  it('an explicit window gives the same totals everywhere', async () => {
    const window: QueryWindow = {
      from: zonedMidnight('2026-01-12', ZONE),
      to: zonedMidnight('2026-01-19', ZONE),
      timeZone: ZONE,
    };
    const [expected] = teamTotals(lake.rows, window);
    // The digest and the demo show "the last 7 days"; run on Monday 19 Jan that is this window.
    const monday = new Date('2026-01-19T08:00:00Z');
    expectSame(
      'explicit window',
      {
        query: pick(await queryCommand(['--from', '2026-01-12', '--to', '2026-01-19'])),
        dashboard: pick((await dashboard('from=2026-01-12&to=2026-01-19')).rows[0]!),
        digest: digestFigures(await digestAt(monday)),
        demo: pick((await demoTotals(engine, monday, 7, ZONE)).row),
      },
      expected!,
    );
  });

  it('week over week on steady data stays within a plausible band, on the dashboard and in the digest', async () => {
    const api = await dashboard('', 'week_over_week');
    const window: QueryWindow = {
      from: zonedMidnight('2026-01-24', ZONE),
      to: zonedMidnight('2026-01-31', ZONE),
      timeZone: ZONE,
    };
    const expected = weekOverWeek(lake.rows, window);
    expect(api.rows.map((r) => r.previous_covered)).toEqual(expected.map(() => true));
    for (const [i, row] of api.rows.entries()) {
      expect(row.previous_value, String(row.metric)).toBeCloseTo(expected[i]!.previous_value as number, 6);
      // A steady team of ten: big figures move little, small counts (subagent runs) a bit more.
      const band = (row.previous_value as number) > 500 ? 25 : 50;
      expect(Math.abs(row.change_pct as number), String(row.metric)).toBeLessThan(band);
    }
    const digest = await digestAt(NOW);
    expect(digest.totals.costUsd.previousCovered).toBeUndefined();
    expect(digest.totals.costUsd.changePct).toBeCloseTo(api.rows[0]!.change_pct as number, 6);
  });

  it('an earlier window the lake only half covers gives "no earlier data", not a percentage', async () => {
    // [Jan 5, Jan 12) against [Dec 29, Jan 5): the lake starts on Jan 1.
    const api = await dashboard('from=2026-01-05&to=2026-01-12', 'week_over_week');
    expect(api.rows.length).toBe(8);
    for (const row of api.rows) {
      expect(row.previous_covered, String(row.metric)).toBe(false);
      expect(row.change_pct, String(row.metric)).toBeNull();
    }
    expect(api.rows.find((r) => r.metric === 'cost_usd')!.previous_value).toBeGreaterThan(0);
    const digest = await digestAt(new Date('2026-01-12T08:00:00Z'));
    expect(digest.totals.costUsd.previousCovered).toBe(false);
    expect(formatChange(digest.totals.costUsd)).toBe('no earlier data');
    // A window that reaches into today compares with a window before cut at the same time of day.
    const partial = await dashboard('from=2026-01-25&to=2026-02-01', 'week_over_week');
    expect(partial.window).toMatchObject({ partial: true });
    const cut = weekOverWeek(lake.rows, {
      from: zonedMidnight('2026-01-25', ZONE),
      to: zonedMidnight('2026-02-01', ZONE),
      timeZone: ZONE,
      asOf: NOW,
    });
    const whole = await runNamedQuery(engine, 'team_totals', {
      from: zonedMidnight('2026-01-18', ZONE),
      to: zonedMidnight('2026-01-25', ZONE),
      timeZone: ZONE,
    });
    for (const [i, row] of partial.rows.entries()) {
      expect(row.previous_value, String(row.metric)).toBeCloseTo(cut[i]!.previous_value as number, 6);
    }
    // Cut at Saturday 14:00, the week before holds less than the whole of it.
    expect(partial.rows[1]!.previous_value as number).toBeLessThan(whole.rows[0]!.messages as number);
  });
});
