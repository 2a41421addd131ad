import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQueryCatalog } from '../../functions/sql/query-catalog.ts';
import { runCli } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { windowFromFlags } from '../../scripts/engine-options.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';
import { topModels } from './reference.ts';

let lake: TestLake;
beforeAll(async () => {
  lake = await buildTestLake({ seed: 5, teamSize: 5, days: 8, endMs: Date.UTC(2026, 2, 2) });
});
afterAll(() => lake?.dispose());

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: '/', env };
  const code = await runCli(['query', ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const WINDOW = ['--from', '2026-02-23', '--to', '2026-03-02'];

describe('query command', () => {
  it('--list names every query with its title', async () => {
    const { code, out } = await cli(['--list']);
    expect(code).toBe(0);
    expect(out).toMatch(/^team_totals\s+Team totals$/m);
    expect(out.split('\n')).toHaveLength((await loadQueryCatalog()).size);
  });

  it('prints JSON rows keyed by column name, equal to the reference', async () => {
    const { code, out } = await cli(['top_models', '--lake', lake.dir, ...WINDOW, '--format', 'json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as Record<string, unknown>[];
    const expected = topModels(lake.rows, {
      from: new Date('2026-02-23T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      timeZone: 'UTC',
    });
    expect(rows.map((r) => [r.model, r.requests])).toEqual(expected.map((r) => [r.model, r.requests]));
  });

  it('prints a table and CSV', async () => {
    const table = await cli(['top_models', '--lake', lake.dir, ...WINDOW]);
    expect(table.out).toMatch(/^top_models: 2026-02-23T00:00:00.000Z \.\. 2026-03-02T00:00:00.000Z \(UTC\)/);
    expect(table.out).toMatch(/^model\s+requests\s+users/m);
    expect(table.out).toMatch(/\(3 rows\)$/);
    const csv = await cli(['top_models', '--lake', lake.dir, ...WINDOW, '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toBe(
      'model,requests,users,cost_usd,input_tokens,output_tokens,cache_read_tokens,cache_creation_tokens',
    );
  });

  it('runs read-only ad-hoc SQL and refuses anything else', async () => {
    const ok = await cli([
      '--sql',
      "SELECT count(*) AS n FROM events WHERE event_name = 'user_prompt'",
      '--lake',
      lake.dir,
      '--format',
      'json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual([
      { n: lake.rows.filter((r) => r.event_name === 'user_prompt').length },
    ]);
    for (const sql of [
      'DROP VIEW events',
      'SELECT 1; DELETE FROM x',
      "COPY (SELECT 1) TO '/tmp/x.csv'",
      'WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a',
    ]) {
      const refused = await cli(['--sql', sql, '--lake', lake.dir]);
      expect(refused.code, sql).toBe(2);
      expect(refused.err, sql).toMatch(/only a single read-only query is allowed/);
    }
    const quoted = await cli(['--sql', "SELECT 'drop; delete' AS s", '--lake', lake.dir, '--format', 'json']);
    expect(JSON.parse(quoted.out)).toEqual([{ s: 'drop; delete' }]);
  });

  it('lists the known queries for an unknown name', async () => {
    const { code, err } = await cli(['top_everything']);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown query "top_everything"; known queries: api_errors, .*week_over_week/);
  });

  it('gives one clear line and a non-zero exit for a missing lake or Athena settings', async () => {
    const noLake = await cli(['team_totals', '--lake', '/nonexistent/lake']);
    expect(noLake.code).toBe(1);
    expect(noLake.err.split('\n')).toHaveLength(1);
    expect(noLake.err).toMatch(/no lake at \/nonexistent\/lake/);
    const noWorkgroup = await cli(['team_totals', '--engine', 'athena']);
    expect(noWorkgroup.code).toBe(2);
    expect(noWorkgroup.err).toMatch(/needs --workgroup/);
    const noRegion = await cli([
      'team_totals',
      '--engine',
      'athena',
      '--workgroup',
      'wg',
      '--database',
      'db',
    ]);
    expect(noRegion.code).toBe(1);
    expect(noRegion.err).toMatch(/AWS region/);
  });

  it('refuses bad windows and formats', async () => {
    expect((await cli(['team_totals', '--since', '7x'])).err).toMatch(/--since must be/);
    expect((await cli(['team_totals', '--since', '7d', '--from', '2026-01-01'])).code).toBe(2);
    expect((await cli(['team_totals', '--from', '2026-01-05', '--to', '2026-01-05'])).err).toMatch(
      /before --to/,
    );
    expect((await cli(['team_totals', '--tz', 'Mars/Base'])).err).toMatch(/IANA time zone/);
    expect((await cli(['team_totals', '--format', 'xml'])).code).toBe(2);
  });
});

describe('engine options: windows', () => {
  const now = new Date('2026-03-01T10:30:00Z');
  it('--since is a span up to now (default 7d)', () => {
    expect(windowFromFlags({}, {}, now)).toEqual({
      from: new Date('2026-02-22T10:30:00Z'),
      to: now,
      timeZone: 'UTC',
    });
    expect(windowFromFlags({ since: '36h' }, {}, now).from).toEqual(new Date('2026-02-27T22:30:00Z'));
  });
  it('--from/--to dates are midnights in --tz, across a month boundary and a DST change', () => {
    expect(windowFromFlags({ from: '2026-02-27', to: '2026-03-02', tz: 'Asia/Tokyo' }, {}, now)).toEqual({
      from: new Date('2026-02-26T15:00:00Z'),
      to: new Date('2026-03-01T15:00:00Z'),
      timeZone: 'Asia/Tokyo',
    });
    // Berlin moves to summer time on 2026-03-29.
    expect(
      windowFromFlags({ from: '2026-03-28', to: '2026-03-30', tz: 'Europe/Berlin' }, {}, now),
    ).toMatchObject({
      from: new Date('2026-03-27T23:00:00Z'),
      to: new Date('2026-03-29T22:00:00Z'),
    });
    expect(
      windowFromFlags({ from: '2025-12-31T23:00:00Z', to: '2026-01-01T01:00:00+01:00' }, {}, now),
    ).toMatchObject({
      from: new Date('2025-12-31T23:00:00Z'),
      to: new Date('2026-01-01T00:00:00Z'),
    });
  });
  it('takes the team time zone from TEAM_TIME_ZONE when --tz is absent', () => {
    expect(windowFromFlags({ from: '2026-01-01' }, { TEAM_TIME_ZONE: 'America/New_York' }, now).from).toEqual(
      new Date('2026-01-01T05:00:00Z'),
    );
  });
});
