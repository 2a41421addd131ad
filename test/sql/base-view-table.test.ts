import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DUCKDB } from '../../functions/dashboard/local-dashboard.ts';
import { partitionDir, writeRowsToLake } from '../../functions/lake/lake-layout.ts';
import { type DuckDbEngine, openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { QueryResult, QueryWindow } from '../../functions/sql/engine.ts';
import { loadQueryCatalog, runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';
import { edgeRows } from './edge-rows.ts';

/**
 * The dashboard's engine keeps the base view `usage_events` as a table (base-view-table.ts): every
 * named query must answer exactly what it answers through the view, over windows, time zones and
 * filters, on a lake with re-delivered copies and skill edge cases; and the table must follow the
 * lake when files arrive or one turns out unreadable.
 */
const END = Date.UTC(2026, 0, 15);
const day = 86_400_000;

let lake: TestLake;
let viaView: DuckDbEngine;
let viaTable: DuckDbEngine;

beforeAll(async () => {
  lake = await buildTestLake({
    seed: 11,
    teamSize: 5,
    days: 10,
    endMs: END,
    extraRows: edgeRows('2026-01-05', 8),
  });
  viaView = await openDuckDbEngine({ lake: lake.dir, timeZone: 'Europe/Berlin', warn: () => {} });
  // As the dashboard opens it: the table, and queries on two connections at once. A connection
  // that missed the engine's `SET TimeZone` answers with the process's zone (TZ, or the
  // machine's, e.g. 'Etc/UTC'), not 'UTC'.
  const zone = process.env.TZ;
  process.env.TZ = 'Asia/Kolkata';
  try {
    viaTable = await openDuckDbEngine({
      ...DASHBOARD_DUCKDB,
      lake: lake.dir,
      timeZone: 'Europe/Berlin',
      warn: () => {},
    });
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});

afterAll(async () => {
  await viaView?.close();
  await viaTable?.close();
  await lake?.dispose();
});

const windows: Record<string, QueryWindow> = {
  'last 7 days, Berlin': { from: new Date(END - 7 * day), to: new Date(END), timeZone: 'Europe/Berlin' },
  'an unfinished today': {
    from: new Date(END - 3 * day),
    to: new Date(END + day),
    asOf: new Date(END - 5 * 3_600_000),
    timeZone: 'Asia/Tokyo',
    filters: { skill: 'custom_skill' },
  },
  'the whole lake, one person and model': {
    from: new Date(END - 40 * day),
    to: new Date(END),
    timeZone: 'UTC',
    filters: { person: 'anon_0a1b2c3d4e5f', model: 'opus' },
  },
};

/**
 * Equal answers: same columns, rows in the same order, the same values; sums of doubles to 1e-9
 * relative (DuckDB's parallel aggregation adds in no fixed order, through the view as well).
 */
function expectSameAnswer(actual: QueryResult, expected: QueryResult, name: string): void {
  expect(actual.columns, name).toEqual(expected.columns);
  expect(actual.rows.length, name).toBe(expected.rows.length);
  actual.rows.forEach((row, i) => {
    const want = expected.rows[i]!;
    expect(Object.keys(row), name).toEqual(Object.keys(want));
    for (const [key, value] of Object.entries(row)) {
      const other = want[key];
      if (typeof value === 'number' && typeof other === 'number' && !Number.isInteger(other)) {
        expect(Math.abs(value - other), `${name} row ${i} ${key}`).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(other)),
        );
      } else {
        expect(value, `${name} row ${i} ${key}`).toEqual(other);
      }
    }
  });
}

describe('the base view kept as a table', () => {
  it('is a table on the dashboard engine and a view on the others', async () => {
    const kind = "SELECT table_name FROM duckdb_tables() WHERE table_name = 'usage_events'";
    expect((await viaTable.run(kind)).rows).toHaveLength(1);
    expect((await viaView.run(kind)).rows).toHaveLength(0);
  });

  it.each(Object.entries(windows))('answers every named query as the view does: %s', async (_, window) => {
    const names = [...(await loadQueryCatalog()).keys()];
    expect(names.length).toBeGreaterThan(15);
    // All at once on the table engine, as a page load asks them.
    const actual = await Promise.all(names.map((name) => runNamedQuery(viaTable, name, window)));
    let rowsSeen = 0;
    for (const [i, name] of names.entries()) {
      const expected = await runNamedQuery(viaView, name, window);
      expectSameAnswer(actual[i]!, expected, name);
      rowsSeen += expected.rows.length;
    }
    expect(rowsSeen).toBeGreaterThan(0);
  });

  it('runs in UTC on every connection', async () => {
    const zones = await Promise.all(
      Array.from({ length: 6 }, () => viaTable.run("SELECT current_setting('TimeZone') AS zone")),
    );
    expect(zones.map((z) => z.rows[0]!.zone)).toEqual(Array(6).fill('UTC'));
  });

  it('closes cleanly while the table is still being computed', async () => {
    const engine = await openDuckDbEngine({ ...DASHBOARD_DUCKDB, lake: lake.dir, warn: () => {} });
    await engine.close();
  });

  it('reads the same rows through claude_code_usage, with the same types', async () => {
    const sql = 'SELECT * FROM claude_code_usage ORDER BY event_time, session_id, event_name, cost_usd';
    const expected = await viaView.run(sql);
    expect(expected.rows.length).toBeGreaterThan(1000);
    expectSameAnswer(await viaTable.run(sql), expected, 'claude_code_usage');
  });

  it('follows the lake: new files are counted, an unreadable one is left out and reported', async () => {
    const count = 'SELECT count(*) AS n FROM usage_events';
    const before = Number((await viaTable.run(count)).rows[0]!.n);
    await writeRowsToLake(lake.dir, [
      {
        event_id: 'late-1',
        event_time: END - 3_600_000,
        event_name: 'user_prompt',
        user_email: 'zed@example.com',
      },
      {
        event_id: 'late-2',
        event_time: END - 3_500_000,
        event_name: 'user_prompt',
        user_email: 'zed@example.com',
      },
    ]);
    // Asked together after the files landed: each sees them.
    const after = await Promise.all(Array.from({ length: 4 }, () => viaTable.run(count)));
    expect(after.map((r) => Number(r.rows[0]!.n))).toEqual(Array(4).fill(before + 2));

    const warnings: string[] = [];
    const reporting = await openDuckDbEngine({
      ...DASHBOARD_DUCKDB,
      lake: lake.dir,
      warn: (line) => warnings.push(line),
    });
    try {
      expect(Number((await reporting.run(count)).rows[0]!.n)).toBe(before + 2);
      // Not a Parquet file: left out of the listing (lake/data-files.ts), reported once.
      const bad = join(partitionDir(lake.dir, '2026-01-10'), 'zz-not-parquet.parquet');
      await writeFile(bad, 'not parquet at all');
      expect(Number((await reporting.run(count)).rows[0]!.n)).toBe(before + 2);
      expect(warnings.join('\n')).toContain('zz-not-parquet.parquet');
      const week = windows['last 7 days, Berlin']!;
      expectSameAnswer(
        await runNamedQuery(reporting, 'team_totals', week),
        await runNamedQuery(viaView, 'team_totals', week),
        'team_totals',
      );
    } finally {
      await reporting.close();
    }
  });
});
