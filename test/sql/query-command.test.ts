import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQueryCatalog } from '../../functions/sql/query-catalog.ts';
import { runCli } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { timeWindowFromFlags, windowFromFlags } from '../../scripts/engine-options.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';
import { expectRowsClose, teamTotals, topModels } from './reference.ts';

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
  it('--list names every query with its title and what it answers', async () => {
    const { code, out } = await cli(['--list']);
    expect(code).toBe(0);
    const catalog = await loadQueryCatalog();
    expect(out).toMatch(/^team_totals {2}Team totals\n {4}Team-wide totals for the window: /m);
    for (const q of catalog.values()) expect(out).toContain(`${q.name}  ${q.title}\n    ${q.description}`);
    expect(out.split('\n')).toHaveLength(2 * catalog.size);
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

  it('prints a table with numbers as the dashboard shows them, and raw CSV', async () => {
    const table = await cli(['top_models', '--lake', lake.dir, ...WINDOW]);
    expect(table.out).toMatch(
      /^top_models: Mon 23 Feb – Sun 1 Mar 2026 \(UTC\)\n {2}\[2026-02-23T00:00:00.000Z, 2026-03-02T00:00:00.000Z\) UTC/,
    );
    expect(table.out).toMatch(/^model\s+requests\s+users/m);
    expect(table.out).toMatch(/\(3 rows\)$/);
    const expected = topModels(lake.rows, {
      from: new Date('2026-02-23T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      timeZone: 'UTC',
    });
    const top = expected[0] as { model: string; cost_usd: number; cache_read_tokens: number };
    const usd = `$${top.cost_usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const line = table.out.split('\n').find((l) => l.startsWith(top.model))!;
    expect(line).toContain(usd);
    expect(line).toContain(top.cache_read_tokens.toLocaleString('en-US'));
    expect(top.cache_read_tokens).toBeGreaterThan(999);
    const csv = await cli(['top_models', '--lake', lake.dir, ...WINDOW, '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toBe(
      'model,requests,users,cost_usd,input_tokens,output_tokens,cache_read_tokens,cache_creation_tokens',
    );
    const first = csv.out.split('\n')[1]!.split(',');
    expect(first[0]).toBe(top.model);
    const want = expected[0]!;
    const numbers = [
      want.requests,
      want.users,
      want.cost_usd,
      want.input_tokens,
      want.output_tokens,
      top.cache_read_tokens,
      want.cache_creation_tokens,
    ] as number[];
    first.slice(1).forEach((cell, k) => {
      expect(Number(cell)).toBeCloseTo(numbers[k]!, 9);
    });
  });

  it('filters by person and model, through the same parameters the dashboard uses', async () => {
    const window = {
      from: new Date('2026-02-23T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
      timeZone: 'UTC',
    };
    const everyone = JSON.parse(
      (await cli(['per_user_activity', '--lake', lake.dir, ...WINDOW, '--format', 'json'])).out,
    );
    const name = String(everyone[0].user_name);
    const one = await cli([
      'team_totals',
      '--lake',
      lake.dir,
      ...WINDOW,
      '--person',
      name,
      '--model',
      'opus',
      '--format',
      'json',
    ]);
    expect(one.code).toBe(0);
    const [expected] = teamTotals(lake.rows, { ...window, filters: { person: name, model: 'opus' } });
    expectRowsClose(JSON.parse(one.out), [expected!], 'team_totals for one person on Opus');
    const table = await cli(['team_totals', '--lake', lake.dir, ...WINDOW, '--person', name]);
    expect(table.out.split('\n')[0]).toBe(`team_totals: Mon 23 Feb – Sun 1 Mar 2026 (UTC); person = ${name}`);
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
  it('defaults to the last 7 whole days, ending at midnight in the team zone; --days N', () => {
    expect(timeWindowFromFlags({}, {}, now)).toMatchObject({
      window: {
        from: new Date('2026-02-22T00:00:00Z'),
        to: new Date('2026-03-01T00:00:00Z'),
        timeZone: 'UTC',
      },
      partial: false,
      label: 'last 7 whole days: Sun 22 Feb – Sat 28 Feb 2026 (UTC)',
    });
    expect(windowFromFlags({ days: '1' }, { TEAM_TIME_ZONE: 'Asia/Tokyo' }, now)).toEqual({
      from: new Date('2026-02-27T15:00:00Z'),
      to: new Date('2026-02-28T15:00:00Z'),
      timeZone: 'Asia/Tokyo',
    });
    expect(() => windowFromFlags({ days: '0' }, {}, now)).toThrow(/--days must be a whole number/);
    expect(() => windowFromFlags({ days: '7', since: '7d' }, {}, now)).toThrow(/give one of/);
  });
  it('--since is rolling up to now, labelled so, and partial', () => {
    const rolling = timeWindowFromFlags({ since: '36h' }, {}, now);
    expect(rolling.window.from).toEqual(new Date('2026-02-27T22:30:00Z'));
    expect(rolling.window.asOf).toEqual(now);
    expect(rolling.partial).toBe(true);
    expect(rolling.label).toBe('rolling 36h up to now: 27 Feb 2026 22:30 – 1 Mar 2026 10:30 (UTC)');
  });
  it('--from/--to dates are midnights in --tz, across a month boundary and a DST change', () => {
    // It ends at 15:00 UTC on Mar 1, after now: today (in Tokyo) is partial, cut at now.
    expect(windowFromFlags({ from: '2026-02-27', to: '2026-03-02', tz: 'Asia/Tokyo' }, {}, now)).toEqual({
      from: new Date('2026-02-26T15:00:00Z'),
      to: new Date('2026-03-01T15:00:00Z'),
      timeZone: 'Asia/Tokyo',
      asOf: now,
    });
    expect(
      timeWindowFromFlags({ from: '2026-02-27', to: '2026-03-02', tz: 'Asia/Tokyo' }, {}, now).label,
    ).toBe('Fri 27 Feb – Sun 1 Mar 2026 (Asia/Tokyo), today partial (data up to 19:30)');
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
