/**
 * Columns of the views a QuickSight data set reads, with their SQL types: QuickSight needs them
 * up front, and a view's types are only known to a SQL engine. test/infra/view-columns.test.ts
 * creates each view in DuckDB over an empty `events` table and checks this list against it, so a
 * change to queries/views/ that is not mirrored here fails the tests.
 */
export interface ViewColumn {
  readonly name: string;
  /** Athena / DuckDB type name. */
  readonly type: string;
}

const col = (name: string, type: string): ViewColumn => ({ name, type });

/** The view QuickSight's data set reads: the BI view of the semantic layer (the others are its base). */
export const QUICKSIGHT_VIEW = 'claude_code_usage';

export const VIEW_COLUMNS: Readonly<Record<string, readonly ViewColumn[]>> = {
  claude_code_usage: [
    col('event_time', 'timestamp'),
    col('event_date', 'date'),
    col('event_hour', 'bigint'),
    col('dt', 'varchar'),
    col('event_name', 'varchar'),
    col('user_name', 'varchar'),
    col('user_plan', 'varchar'),
    col('session_id', 'varchar'),
    col('app_version', 'varchar'),
    col('terminal_type', 'varchar'),
    col('os_type', 'varchar'),
    col('model', 'varchar'),
    col('model_family', 'varchar'),
    col('is_prompt', 'integer'),
    col('is_api_request', 'integer'),
    col('is_api_error', 'integer'),
    col('is_subagent_call', 'integer'),
    col('is_mcp_call', 'integer'),
    col('is_skill', 'integer'),
    col('subagent_type', 'varchar'),
    col('skill_name', 'varchar'),
    col('mcp_server_name', 'varchar'),
    col('tool_name', 'varchar'),
    col('tool_success', 'boolean'),
    col('status_code', 'bigint'),
    col('cost_usd', 'double'),
    col('input_tokens', 'bigint'),
    col('output_tokens', 'bigint'),
    col('cache_read_tokens', 'bigint'),
    col('cache_creation_tokens', 'bigint'),
    col('is_message', 'integer'),
    col('active_session_id', 'varchar'),
  ],
};

/** The columns of `viewName`; throws, naming the known views, when it has no list. */
export function viewColumnsFor(viewName: string): readonly ViewColumn[] {
  const columns = VIEW_COLUMNS[viewName];
  if (!columns) {
    throw new Error(
      `no column list for view "${viewName}" in infra/view-columns.ts (known: ${Object.keys(VIEW_COLUMNS).join(', ')})`,
    );
  }
  return columns;
}
