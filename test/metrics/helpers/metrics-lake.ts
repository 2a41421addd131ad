import { openDuckDbEngine } from '../../../functions/sql/duckdb-engine.ts';
import type { SqlValue } from '../../../functions/sql/engine.ts';

/** Rows of a SQL query over a lake's `metrics` view (real DuckDB over the real Parquet files). */
export async function queryLake(
  lake: string,
  sql: string,
): Promise<readonly Readonly<Record<string, SqlValue>>[]> {
  const engine = await openDuckDbEngine({ lake, threads: 1 });
  try {
    return (await engine.run(sql)).rows;
  } finally {
    await engine.close();
  }
}

/** Total increase per `metric_name|metric_type|person`, each metric_id once. */
export async function totalsInLake(lake: string): Promise<Record<string, number>> {
  const rows = await queryLake(
    lake,
    `SELECT metric_name, coalesce(metric_type, '') AS metric_type, coalesce(user_email, user_pseudonym, '') AS person,
       sum(value) AS total
     FROM (SELECT metric_id, arbitrary(metric_name) AS metric_name, arbitrary(metric_type) AS metric_type,
             arbitrary(user_email) AS user_email, arbitrary(user_pseudonym) AS user_pseudonym, arbitrary(value) AS value
           FROM metrics GROUP BY metric_id)
     GROUP BY 1, 2, 3`,
  );
  const out: Record<string, number> = {};
  for (const r of rows) out[`${r.metric_name}|${r.metric_type}|${r.person}`] = round(Number(r.total));
  return out;
}

export const round = (n: number): number => Math.round(n * 1e6) / 1e6;
