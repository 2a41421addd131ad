import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The base view `usage_events` (queries/views/10_usage_events.sql) kept as a table on DuckDB, for
 * readers that run many queries over one lake (the dashboard runs ~20 per page load). The view
 * de-duplicates and attributes skills with window functions over the whole of `events`; computed
 * in every query, that is most of each query's time. Kept, it is computed once per change of the
 * lake's files, and every query (and the views after it, `claude_code_usage`) reads the same rows.
 *
 * The rows are the view's: the table is `SELECT * FROM` the view's own definition, renamed
 * `usage_events_query`, over the whole lake (no window, so a query that looks past its window,
 * like week_over_week's coverage, sees what it would see through the view). The cost is memory:
 * the lake's rows, decoded, for as long as the engine is open.
 *
 *   await keepBaseViewAsTable(connection);     // once, after the views are created
 *   await refreshBaseViewTable(connection);    // before a query, when `events` changed since
 */
export const BASE_VIEW = 'usage_events';
/** The view's definition, under the name it is kept as once the table takes its name. */
export const BASE_VIEW_QUERY = 'usage_events_query';

/** Renames the base view so the table can take its name; false when there is no such view. */
export async function keepBaseViewAsTable(connection: DuckDBConnection): Promise<boolean> {
  const found = await connection.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM duckdb_views() WHERE view_name = '${BASE_VIEW}' AND NOT temporary`,
  );
  if (found.getRowsJS()[0]?.[0] !== 1) return false;
  await connection.run(`ALTER VIEW ${BASE_VIEW} RENAME TO ${BASE_VIEW_QUERY}`);
  return true;
}

/** (Re)computes the table from the view's definition, over `events` as it is defined now. */
export async function refreshBaseViewTable(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TABLE ${BASE_VIEW} AS SELECT * FROM ${BASE_VIEW_QUERY}`);
}
