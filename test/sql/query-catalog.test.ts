import { describe, expect, it } from 'vitest';
import { SqlEngineError } from '../../functions/sql/errors.ts';
import {
  bindWindow,
  countPlaceholders,
  loadQueryCatalog,
  namedQuery,
  parseQueryFile,
  renderQuery,
  renderView,
} from '../../functions/sql/query-catalog.ts';
import { windowParams } from '../../functions/sql/window-params.ts';

const FILE = `-- title: Example
-- description: First line
--   and its continuation.
-- params: tz, dt_from, dt_to, from, to
SELECT CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}', '?' AS q -- a ? in a comment
FROM events WHERE ? <> '' AND dt BETWEEN ? AND ? AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP);
`;

describe('query catalog', () => {
  it('parses the header: title, multi-line description, params in order', () => {
    const q = parseQueryFile('example', FILE);
    expect(q).toMatchObject({
      name: 'example',
      title: 'Example',
      description: 'First line and its continuation.',
      params: ['tz', 'dt_from', 'dt_to', 'from', 'to'],
    });
    expect(q.sql.endsWith(';')).toBe(false);
  });

  it('counts only real placeholders', () => {
    expect(countPlaceholders(`SELECT ?, '?', "?" -- ?\n /* ? */ , ?`)).toBe(2);
  });

  it('refuses a header that does not match the statement', () => {
    expect(() => parseQueryFile('x', FILE.replace('tz, ', ''))).toThrow(/5 "\?" but the header names 4/);
    expect(() => parseQueryFile('x', FILE.replace('tz,', 'zone,'))).toThrow(/unknown parameter "zone"/);
    expect(() => parseQueryFile('x', FILE.replace('-- title: Example\n', ''))).toThrow(/title/);
    expect(() => parseQueryFile('Bad-Name', FILE)).toThrow(SqlEngineError);
  });

  it('binds a window in the header order', () => {
    const q = parseQueryFile('example', FILE);
    const window = {
      from: new Date('2026-01-05T00:00:00Z'),
      to: new Date('2026-01-12T00:00:00Z'),
      timeZone: 'Europe/Berlin',
    };
    expect(bindWindow(q, window)).toEqual([
      'Europe/Berlin',
      '2026-01-04',
      '2026-01-12',
      '2026-01-05 00:00:00.000',
      '2026-01-12 00:00:00.000',
    ]);
  });

  it('gives the window parameters with one day of partition slack, also across a year boundary', () => {
    expect(
      windowParams({
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-01-08T00:00:00Z'),
        timeZone: 'UTC',
      }),
    ).toEqual({
      from: '2026-01-01 00:00:00.000',
      to: '2026-01-08 00:00:00.000',
      dt_from: '2025-12-31',
      dt_to: '2026-01-08',
      tz: 'UTC',
      prev_from: '2025-12-25 00:00:00.000',
      prev_to: '2026-01-01 00:00:00.000',
      prev_dt_from: '2025-12-24',
      prev_dt_to: '2026-01-01',
      prev_first_dt: '2025-12-25',
      person: '',
      model: '',
      skill: '',
    });
    // A window that reaches past its data (today unfinished): the one before ends as far into it.
    expect(
      windowParams({
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-01-08T00:00:00Z'),
        asOf: new Date('2026-01-07T15:30:00Z'),
        timeZone: 'UTC',
        filters: { person: 'ana', model: 'opus' },
      }),
    ).toMatchObject({
      prev_from: '2025-12-25 00:00:00.000',
      prev_to: '2025-12-31 15:30:00.000',
      prev_dt_to: '2026-01-01',
      person: 'ana',
      model: 'opus',
      skill: '',
    });
    // A Tokyo week starts at 15:00 UTC the day before; the partitions cover it with a day to spare.
    expect(
      windowParams({
        from: new Date('2026-02-27T15:00:00Z'),
        to: new Date('2026-03-06T15:00:00Z'),
        timeZone: 'Asia/Tokyo',
      }),
    ).toMatchObject({ dt_from: '2026-02-26', dt_to: '2026-03-07' });
    expect(() => windowParams({ from: new Date(5), to: new Date(5), timeZone: 'UTC' })).toThrow(
      SqlEngineError,
    );
    expect(() => windowParams({ from: new Date(0), to: new Date(5), timeZone: 'Mars/Olympus' })).toThrow(
      /time zone/,
    );
  });

  it('names the known queries when a name is unknown', async () => {
    await expect(namedQuery('nope')).rejects.toThrow(/unknown query "nope"; known queries: .*team_totals/);
    expect((await loadQueryCatalog()).size).toBeGreaterThanOrEqual(14);
  });

  it('fills the view time zone quoted, and refuses an unknown zone', () => {
    expect(renderView("SELECT 'x' AT TIME ZONE '{{time_zone}}';\n", 'Europe/Berlin')).toBe(
      "SELECT 'x' AT TIME ZONE 'Europe/Berlin'",
    );
    expect(() => renderView("'{{time_zone}}'", "UTC'; DROP VIEW x; --")).toThrow(/unknown time zone/);
  });

  it('fills a query time zone as a literal (Trino takes no parameter after AT TIME ZONE)', () => {
    const q = parseQueryFile('example', FILE);
    expect(renderQuery(q, 'Asia/Tokyo')).toContain("AT TIME ZONE 'Asia/Tokyo', '?' AS q");
    expect(renderQuery({ sql: 'SELECT 1' }, 'UTC')).toBe('SELECT 1');
    expect(() => renderQuery(q, "UTC' --")).toThrow(/unknown time zone/);
  });
});
