import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionDir } from '../../functions/lake/lake-layout.ts';
import { writeParquetFile } from '../../functions/lake/parquet-file.ts';
import { COLUMNS } from '../../functions/schema/columns.ts';
import type { Row } from '../../functions/schema/row.ts';
import { type DuckDbEngine, openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { emptyTestLake } from '../helpers/lake.ts';

/** The view's documented columns and types (queries/views/20_claude_code_usage.sql, README). */
const VIEW_COLUMNS = {
  event_time: 'timestamp',
  event_date: 'date',
  event_hour: 'bigint',
  dt: 'varchar',
  event_name: 'varchar',
  user_name: 'varchar',
  user_plan: 'varchar',
  session_id: 'varchar',
  app_version: 'varchar',
  terminal_type: 'varchar',
  os_type: 'varchar',
  model: 'varchar',
  model_family: 'varchar',
  is_prompt: 'integer',
  is_api_request: 'integer',
  is_api_error: 'integer',
  is_subagent_call: 'integer',
  is_mcp_call: 'integer',
  is_skill: 'integer',
  subagent_type: 'varchar',
  skill_name: 'varchar',
  mcp_server_name: 'varchar',
  tool_name: 'varchar',
  tool_success: 'boolean',
  status_code: 'bigint',
  cost_usd: 'double',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  cache_read_tokens: 'bigint',
  cache_creation_tokens: 'bigint',
  is_message: 'integer',
  active_session_id: 'varchar',
};

const at = (iso: string) => Date.parse(iso);
const request = (iso: string, cost: number, extra: Row = {}): Row => ({
  event_time: at(iso),
  event_name: 'api_request',
  user_email: 'ana@example.com',
  session_id: 's1',
  model: 'claude-opus-4-5',
  cost_usd: cost,
  ...extra,
});

describe('DuckDB engine over an empty lake', () => {
  let lake: Awaited<ReturnType<typeof emptyTestLake>>;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    lake = await emptyTestLake();
    engine = await openDuckDbEngine({ lake: lake.dir, threads: 1 });
  });
  afterAll(async () => {
    await engine?.close();
    await lake?.dispose();
  });

  it('still has `events` with every schema column and zero rows, and the view', async () => {
    const described = await engine.run('DESCRIBE events');
    expect(described.rows.map((r) => r.column_name)).toEqual([...COLUMNS.map((c) => c.name), 'dt']);
    expect((await engine.run('SELECT count(*) AS n FROM events')).rows).toEqual([{ n: 0 }]);
    const totals = await runNamedQuery(engine, 'team_totals', {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-08T00:00:00Z'),
      timeZone: 'UTC',
    });
    expect(totals.rows[0]).toMatchObject({ cost_usd: 0, messages: 0, skills: 0, sessions: 0 });
  });

  it('picks up the first file written after it opened', async () => {
    await writeParquetFile(join(partitionDir(lake.dir, '2026-01-02'), 'a.parquet'), [
      request('2026-01-02T10:00:00Z', 1),
    ]);
    expect((await engine.run('SELECT count(*) AS n FROM events')).rows).toEqual([{ n: 1 }]);
  });
});

describe('DuckDB engine: the view, types, and window edges', () => {
  let lake: Awaited<ReturnType<typeof emptyTestLake>>;
  let engine: DuckDbEngine;
  beforeAll(async () => {
    lake = await emptyTestLake();
    const write = (dt: string, rows: Row[]) =>
      writeParquetFile(join(partitionDir(lake.dir, dt), `${dt}.parquet`), rows);
    await write('2025-12-31', [
      request('2025-12-31T22:59:59.999Z', 1), // Berlin: Dec 31, 23:59:59.999
      request('2025-12-31T23:00:00.000Z', 2), // Berlin: Jan 1, 00:00 (a new year and a new month)
    ]);
    await write('2026-01-01', [request('2026-01-01T12:00:00.000Z', 4)]);
    // Arrived a day late (Firehose partitions by arrival): still found, thanks to the slack.
    await write('2026-01-02', [
      request('2026-01-01T23:59:59.999Z', 8),
      request('2026-01-02T00:00:00.000Z', 16),
    ]);
    // Arrived three days late: outside the slack, so not counted (the documented limit).
    await write('2026-01-05', [request('2026-01-01T13:00:00.000Z', 32)]);
    engine = await openDuckDbEngine({ lake: lake.dir, timeZone: 'Europe/Berlin', threads: 1 });
  });
  afterAll(async () => {
    await engine?.close();
    await lake?.dispose();
  });

  it('creates claude_code_usage with its documented columns and types', async () => {
    const { rows } = await engine.run('SELECT * FROM claude_code_usage LIMIT 0');
    expect(rows).toEqual([]);
    const result = await engine.run('SELECT * FROM claude_code_usage');
    expect(Object.fromEntries(result.columns.map((c) => [c.name, c.type]))).toEqual(VIEW_COLUMNS);
  });

  it('puts date and hour in the team time zone (Berlin), across the year boundary', async () => {
    const { rows } = await engine.run(
      'SELECT event_time, event_date, event_hour, model_family, is_api_request FROM claude_code_usage ORDER BY event_time LIMIT 2',
    );
    expect(rows).toEqual([
      {
        event_time: '2025-12-31T22:59:59.999Z',
        event_date: '2025-12-31',
        event_hour: 23,
        model_family: 'opus',
        is_api_request: 1,
      },
      {
        event_time: '2025-12-31T23:00:00.000Z',
        event_date: '2026-01-01',
        event_hour: 0,
        model_family: 'opus',
        is_api_request: 1,
      },
    ]);
  });

  it('keeps the window half-open to the millisecond and finds late partitions within a day', async () => {
    const utcDay = {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-02T00:00:00Z'),
      timeZone: 'UTC',
    };
    const [totals] = (await runNamedQuery(engine, 'team_totals', utcDay)).rows;
    expect(totals!.cost_usd).toBe(4 + 8); // not 16 (at `to`), not 32 (three days late), not Dec 31
  });

  it('buckets days in the team time zone: Berlin midnight is 23:00 UTC', async () => {
    const berlin = {
      from: new Date('2025-12-30T23:00:00Z'),
      to: new Date('2026-01-02T23:00:00Z'),
      timeZone: 'Europe/Berlin',
    };
    const { rows } = await runNamedQuery(engine, 'daily_cost_per_user', berlin);
    expect(rows).toEqual([
      { day: '2025-12-31', user_name: 'ana', cost_usd: 1 },
      { day: '2026-01-01', user_name: 'ana', cost_usd: 2 + 4 },
      { day: '2026-01-02', user_name: 'ana', cost_usd: 8 + 16 },
    ]);
  });

  it('reports engine errors as SqlEngineError with the DuckDB message', async () => {
    await expect(engine.run('SELECT nope FROM events')).rejects.toMatchObject({
      name: 'SqlEngineError',
      code: 'failed',
    });
  });
});
