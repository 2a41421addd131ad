import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbEngine, openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { QueryWindow } from '../../functions/sql/engine.ts';
import { loadQueryCatalog, runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { zonedMidnight } from '../../functions/sql/zoned-time.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';
import { edgeRows } from './edge-rows.ts';
import { expectRowsClose, REFERENCES } from './reference.ts';

// 21 days of a 12-person team ending 2026-01-03: windows cross a month and a year boundary.
let lake: TestLake;
let engine: DuckDbEngine;

beforeAll(async () => {
  lake = await buildTestLake({
    seed: 11,
    teamSize: 12,
    days: 21,
    endMs: Date.UTC(2026, 0, 3),
    extraRows: edgeRows('2025-12-13', 21),
  });
  engine = await openDuckDbEngine({ lake: lake.dir, threads: 1 });
});

afterAll(async () => {
  await engine?.close();
  await lake?.dispose();
});

const days = (from: string, to: string, timeZone: string): QueryWindow => ({
  from: zonedMidnight(from, timeZone),
  to: zonedMidnight(to, timeZone),
  timeZone,
});

const WINDOWS: Record<string, QueryWindow> = {
  'a week across the new year, UTC': days('2025-12-27', '2026-01-03', 'UTC'),
  'a week across the new year, Asia/Tokyo (midnight is 15:00 UTC)': days(
    '2025-12-27',
    '2026-01-03',
    'Asia/Tokyo',
  ),
  'mid-December, America/Los_Angeles (midnight is 08:00 UTC)': days(
    '2025-12-13',
    '2025-12-24',
    'America/Los_Angeles',
  ),
  'an odd window mid-afternoon to mid-morning': {
    from: new Date('2025-12-30T14:37:00.000Z'),
    to: new Date('2026-01-02T09:12:30.500Z'),
    timeZone: 'Europe/Berlin',
  },
};

describe('every named query on DuckDB equals its TypeScript reference', () => {
  it('has a reference for every query in queries/', async () => {
    expect([...(await loadQueryCatalog()).keys()].sort()).toEqual(Object.keys(REFERENCES).sort());
  });

  for (const [label, window] of Object.entries(WINDOWS)) {
    describe(label, () => {
      for (const [name, reference] of Object.entries(REFERENCES)) {
        it(name, async () => {
          const result = await runNamedQuery(engine, name, window);
          const expected = reference(lake.rows, window);
          expectRowsClose(result.rows, expected, name);
          if (name !== 'week_over_week' && name !== 'team_totals') expect(expected.length).toBeGreaterThan(0);
        });
      }
    });
  }

  it('counts skills once per activation (proactive ones fire two events)', async () => {
    const window = WINDOWS['a week across the new year, UTC']!;
    const [totals] = (await runNamedQuery(engine, 'team_totals', window)).rows;
    const inside = lake.rows.filter(
      (r) => r.event_time! >= window.from.getTime() && r.event_time! < window.to.getTime(),
    );
    const skillEvents = inside.filter(
      (r) =>
        r.event_name === 'skill_activated' || (r.event_name === 'tool_result' && r.tool_name === 'Skill'),
    ).length;
    const proactive = inside.filter((r) => r.invocation_trigger === 'claude-proactive').length;
    expect(proactive).toBeGreaterThan(0);
    expect(totals!.skills).toBeLessThan(skillEvents);
    expect(totals!.skills).toBeGreaterThanOrEqual(skillEvents - proactive);
  });
});
