import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { DIGEST_QUERIES } from '../../functions/digest/from-queries.ts';
import { eventsDir } from '../../functions/lake/lake-layout.ts';
import { ALLOWED_ATTRIBUTE_KEYS } from '../../functions/schema/allowlist.ts';
import { COLUMNS, type Column } from '../../functions/schema/columns.ts';
import { DUCKDB_TYPES, openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import type { QueryWindow } from '../../functions/sql/engine.ts';
import { loadQueryCatalog, runNamedQuery } from '../../functions/sql/query-catalog.ts';
import { quoteString } from '../../functions/sql/sql.ts';
import { windowParams } from '../../functions/sql/window-params.ts';
import { type BenchSuite, medianMs } from './bench-kit.ts';

/**
 * Issue 4: every named query (the digest's and the dashboard's) on DuckDB over 1,000,000 events
 * in 30 daily partitions, and the bytes Athena would scan for the weekly digest against the bytes
 * CloudWatch Logs Insights scans for it in the seed's design.
 *
 * Rows are generated inside DuckDB (`range()` + `hash()`, a cheap deterministic generator) and
 * written with `COPY ... (FORMAT PARQUET, PARTITION_BY (dt), COMPRESSION SNAPPY)` into the lake
 * layout `events/dt=yyyy-MM-dd/`.
 */
const EVENTS = 1_000_000;
const DAYS = 30;
const START = Date.UTC(2026, 0, 1);
const ATHENA_MIN_BYTES = 10 * 1024 * 1024;

/** The generated columns; every other schema column is a typed NULL. */
const GENERATED: Record<string, string> = {
  event_time: `make_timestamp(${START * 1000} + i * ${(DAYS * 86_400_000_000) / EVENTS})`,
  event_name: `CASE WHEN k < 50 THEN 'api_request' WHEN k < 77 THEN 'tool_result' WHEN k < 91 THEN 'user_prompt'
    WHEN k < 93 THEN 'skill_activated' WHEN k < 94 THEN 'api_error' ELSE 'tool_decision' END`,
  event_id: `'ev-' || i`,
  event_sequence: 'i % 5000',
  session_id: `'session-' || (i // 400)`,
  prompt_id: `'prompt-' || (i // 15)`,
  user_email: `'user' || (hash(i // 400) % 60) || '@example.com'`,
  user_plan: `CASE WHEN hash(i // 400) % 3 = 0 THEN 'max-5x' ELSE 'team' END`,
  service_name: `'claude-code'`,
  app_version: `'2.1.' || (118 + hash(i // 400) % 8)`,
  terminal_type: `'vscode'`,
  os_type: `'darwin'`,
  host_arch: `'arm64'`,
  model: `CASE WHEN k < 50 OR k = 93 THEN (CASE WHEN m < 30 THEN 'claude-opus-4-5-20251101' WHEN m < 80 THEN 'claude-sonnet-4-5-20250929' ELSE 'claude-haiku-4-5-20251001' END) END`,
  cost_usd: 'CASE WHEN k < 50 THEN (hash(i * 3) % 200000) / 1e6 END',
  input_tokens: 'CASE WHEN k < 50 THEN hash(i * 5) % 2000 END',
  output_tokens: 'CASE WHEN k < 50 THEN hash(i * 7) % 3000 END',
  cache_read_tokens: 'CASE WHEN k < 50 THEN hash(i * 11) % 180000 END',
  cache_creation_tokens: 'CASE WHEN k < 50 AND m < 30 THEN hash(i * 13) % 20000 END',
  duration_ms: 'CASE WHEN k < 77 OR k = 93 THEN hash(i * 17) % 45000 END',
  query_source: `CASE WHEN k < 50 THEN 'repl_main_thread' END`,
  status_code: 'CASE WHEN k = 93 THEN 529 END',
  attempt: 'CASE WHEN k = 93 THEN 1 END',
  tool_name: `CASE WHEN k >= 50 AND k < 77 THEN (CASE WHEN m < 40 THEN 'Read' WHEN m < 60 THEN 'Bash' WHEN m < 75 THEN 'Edit'
    WHEN m < 83 THEN 'Skill' WHEN m < 91 THEN 'Agent' ELSE 'mcp_tool' END) WHEN k >= 94 THEN 'Bash' END`,
  tool_success: 'CASE WHEN k >= 50 AND k < 77 THEN m % 17 <> 0 END',
  tool_decision: `CASE WHEN k >= 94 THEN 'accept' END`,
  decision_source: `CASE WHEN k >= 94 THEN 'config' END`,
  skill_name: `CASE WHEN (k >= 50 AND k < 77 AND m >= 75 AND m < 83) OR (k >= 91 AND k < 93) THEN 'skill-' || (m % 6) END`,
  invocation_trigger: `CASE WHEN k >= 91 AND k < 93 THEN (CASE WHEN m % 2 = 0 THEN 'user-slash' ELSE 'claude-proactive' END) END`,
  subagent_type: `CASE WHEN k >= 50 AND k < 77 AND m >= 83 AND m < 91 AND m % 5 <> 0 THEN 'Explore' END`,
  mcp_server_name: `CASE WHEN k >= 50 AND k < 77 AND m >= 91 THEN 'server-' || (m % 4) END`,
  prompt_length: 'CASE WHEN k >= 77 AND k < 91 THEN hash(i * 19) % 2400 END',
};

async function generateLake(lake: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const list = (COLUMNS as readonly Column[]).map(
      (c) => `CAST(${GENERATED[c.name] ?? 'NULL'} AS ${DUCKDB_TYPES[c.type]}) AS ${c.name}`,
    );
    const started = performance.now();
    await connection.run(`COPY (
      SELECT ${list.join(',\n')}, strftime(make_timestamp(${START * 1000} + i * ${(DAYS * 86_400_000_000) / EVENTS}), '%Y-%m-%d') AS dt
      FROM (SELECT i, hash(i) % 100 AS k, hash(i * 31) % 100 AS m FROM range(${EVENTS}) t(i))
    ) TO ${quoteString(eventsDir(lake))} (FORMAT PARQUET, PARTITION_BY (dt), COMPRESSION SNAPPY, ROW_GROUP_SIZE 100000)`);
    return performance.now() - started;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Average bytes of one stored message in the seed's sanitized log group, per event name. */
function cloudWatchMessageBytes(): Map<string, number> {
  const totals = new Map<string, { bytes: number; n: number }>();
  for (const e of generateTeamActivity({ seed: 3, teamSize: 15, days: 7, endMs: START }).events) {
    const keep = (attrs: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(attrs).filter(([k]) => ALLOWED_ATTRIBUTE_KEYS.has(k)));
    const message = JSON.stringify({
      resource: { attributes: keep(e.resource) },
      body: e.body,
      attributes: keep(e.attributes),
    });
    const name = e.body.replace('claude_code.', '');
    const t = totals.get(name) ?? { bytes: 0, n: 0 };
    t.bytes += Buffer.byteLength(message);
    t.n += 1;
    totals.set(name, t);
  }
  return new Map([...totals].map(([k, t]) => [k, t.bytes / t.n]));
}

export const queriesSuite: BenchSuite = {
  name: 'queries',
  async run() {
    const lake = await mkdtemp(join(tmpdir(), 'bench-lake-'));
    try {
      const generateMs = await generateLake(lake);
      const engine = await openDuckDbEngine({ lake, threads: 2 });
      const catalog = await loadQueryCatalog();
      const month: QueryWindow = {
        from: new Date(START),
        to: new Date(START + DAYS * 86_400_000),
        timeZone: 'Europe/Berlin',
      };
      const week: QueryWindow = {
        from: new Date(START + 23 * 86_400_000),
        to: month.to,
        timeZone: 'Europe/Berlin',
      };

      const rows: Record<string, string | number>[] = [];
      let monthTotal = 0;
      let weekTotal = 0;
      for (const name of catalog.keys()) {
        const monthMs = await medianMs(() => runNamedQuery(engine, name, month), 3, 1);
        const weekMs = await medianMs(() => runNamedQuery(engine, name, week), 3, 1);
        monthTotal += monthMs;
        weekTotal += weekMs;
        rows.push({ query: name, '30 days (ms)': Math.round(monthMs), '7 days (ms)': Math.round(weekMs) });
      }
      const together = await medianMs(
        () => Promise.all([...catalog.keys()].map((name) => runNamedQuery(engine, name, week))),
        3,
        1,
      );
      rows.push({
        query: '**all, one after another**',
        '30 days (ms)': Math.round(monthTotal),
        '7 days (ms)': Math.round(weekTotal),
      });

      // Bytes Athena would scan for the weekly digest: the column chunks each digest query reads
      // from the partitions its dt filter keeps (Parquet metadata), at least 10 MB per query.
      const p = windowParams(week);
      const chunks = await engine.run(
        `SELECT regexp_extract(file_name, 'dt=([0-9-]+)', 1) AS dt, path_in_schema AS col, sum(total_compressed_size) AS bytes
         FROM parquet_metadata(${quoteString(join(eventsDir(lake), '**', '*.parquet'))}) GROUP BY 1, 2`,
      );
      const inPartitions = chunks.rows.filter(
        (r) => String(r.dt) >= String(p.dt_from) && String(r.dt) <= String(p.dt_to),
      );
      let athenaBytes = 0;
      let athenaBilled = 0;
      for (const name of DIGEST_QUERIES) {
        const sql = catalog.get(name)!.sql;
        const used = new Set(
          (COLUMNS as readonly Column[]).map((c) => c.name).filter((c) => new RegExp(`\\b${c}\\b`).test(sql)),
        );
        const bytes = inPartitions
          .filter((r) => used.has(String(r.col)))
          .reduce((a, r) => a + Number(r.bytes), 0);
        athenaBytes += bytes;
        athenaBilled += Math.max(bytes, ATHENA_MIN_BYTES);
      }

      // Logs Insights scans every stored message in the time range, once per query.
      const perEvent = cloudWatchMessageBytes();
      const counts = await engine.run(
        `SELECT event_name, count(*) AS n FROM events WHERE event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP) GROUP BY 1`,
        [p.from, p.to],
      );
      const average = [...perEvent.values()].reduce((a, b) => a + b, 0) / perEvent.size;
      const windowJson = counts.rows.reduce(
        (a, r) => a + Number(r.n) * (perEvent.get(String(r.event_name)) ?? average),
        0,
      );
      const cloudWatchBytes = windowJson * DIGEST_QUERIES.length;
      const weekEvents = counts.rows.reduce((a, r) => a + Number(r.n), 0);
      await engine.close();

      const mb = (b: number) => Math.round(b / 1e4) / 100;
      return [
        {
          title: 'Queries (issue 4): every named query on DuckDB, 1,000,000 events in 30 daily partitions',
          rows,
          notes: [
            `Lake generated in DuckDB (range() + hash(), COPY to Parquet partitioned by dt, Snappy) in ${Math.round(generateMs)} ms. DuckDB with 2 threads; median of 3 runs after 1 warm-up. All ${catalog.size} queries at once over the 7-day window (Promise.all on one connection): ${Math.round(together)} ms.`,
          ],
        },
        {
          title: 'Queries (issue 4): bytes scanned by the weekly digest, Athena vs CloudWatch Logs Insights',
          rows: [
            {
              design: 'Athena over the Parquet lake (this project)',
              'MB scanned': mb(athenaBytes),
              'MB billed (10 MB minimum per query)': mb(athenaBilled),
            },
            {
              design: "CloudWatch Logs Insights over the sanitized log group (the seed's)",
              'MB scanned': mb(cloudWatchBytes),
              'MB billed (10 MB minimum per query)': mb(cloudWatchBytes),
            },
            {
              design: 'ratio CloudWatch / Athena',
              'MB scanned': Math.round(cloudWatchBytes / athenaBytes),
              'MB billed (10 MB minimum per query)': Math.round((cloudWatchBytes / athenaBilled) * 10) / 10,
            },
          ],
          notes: [
            `Digest = ${DIGEST_QUERIES.join(', ')} over the last 7 days (${weekEvents} events). Athena: compressed column chunks of the columns each query names, in the partitions its dt filter keeps (7 days + 1 day of slack each side), from parquet_metadata().`,
            `CloudWatch: each Logs Insights query scans every message in the window; message sizes are the seed's sanitized JSON ({resource:{attributes}, body, attributes} with only allowlisted keys), averaged per event name over generated demo events (${[...perEvent].map(([k, v]) => `${k} ${Math.round(v)} B`).join(', ')}).`,
          ],
        },
      ];
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  },
};
