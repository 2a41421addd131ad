-- title: Claude Code usage (QuickSight-ready view)
-- description: One row per event with friendly, typed columns for BI tools: date and hour in the
--   team time zone, user name, model family, 0/1 flags to sum, cost and tokens. Reads the table
--   `events` of the current database (Athena: the query's database context; DuckDB: the local
--   engine's view). '{{time_zone}}' is replaced by the team time zone (an IANA name, quoted) by
--   `renderView` in functions/sql/query-catalog.ts; run the result as one DDL statement.
--   Summing is_skill counts user-slash activations by their skill_activated event and every
--   other activation by its Skill tool call (one row each).
CREATE OR REPLACE VIEW claude_code_usage AS
SELECT
  event_time,
  CAST(CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}' AS DATE) AS event_date,
  hour(CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}') AS event_hour,
  dt,
  event_name,
  split_part(user_email, '@', 1) AS user_name,
  user_plan,
  session_id,
  app_version,
  terminal_type,
  os_type,
  model,
  CASE
    WHEN model IS NULL THEN NULL
    WHEN lower(model) LIKE '%opus%' THEN 'opus'
    WHEN lower(model) LIKE '%sonnet%' THEN 'sonnet'
    WHEN lower(model) LIKE '%haiku%' THEN 'haiku'
    ELSE 'other'
  END AS model_family,
  CASE WHEN event_name = 'user_prompt' THEN 1 ELSE 0 END AS is_prompt,
  CASE WHEN event_name = 'api_request' THEN 1 ELSE 0 END AS is_api_request,
  CASE WHEN event_name = 'api_error' THEN 1 ELSE 0 END AS is_api_error,
  CASE WHEN event_name = 'tool_result' AND tool_name IN ('Agent', 'Task') THEN 1 ELSE 0 END AS is_subagent_call,
  CASE WHEN event_name = 'tool_result' AND tool_name = 'mcp_tool' THEN 1 ELSE 0 END AS is_mcp_call,
  CASE
    WHEN event_name = 'skill_activated' AND invocation_trigger = 'user-slash' THEN 1
    WHEN event_name = 'tool_result' AND tool_name = 'Skill' THEN 1
    ELSE 0
  END AS is_skill,
  CASE WHEN event_name = 'tool_result' AND tool_name IN ('Agent', 'Task') THEN coalesce(subagent_type, 'general-purpose') END AS subagent_type,
  CASE WHEN event_name = 'skill_activated' OR (event_name = 'tool_result' AND tool_name = 'Skill') THEN coalesce(skill_name, 'custom_skill') END AS skill_name,
  mcp_server_name,
  tool_name,
  tool_success,
  status_code,
  coalesce(cost_usd, 0) AS cost_usd,
  coalesce(input_tokens, 0) AS input_tokens,
  coalesce(output_tokens, 0) AS output_tokens,
  coalesce(cache_read_tokens, 0) AS cache_read_tokens,
  coalesce(cache_creation_tokens, 0) AS cache_creation_tokens
FROM events
