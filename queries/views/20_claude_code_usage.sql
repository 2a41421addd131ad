-- title: Claude Code usage (QuickSight-ready view)
-- description: One row per event (each event once) with friendly, typed columns for BI tools:
--   date and hour in the team time zone, the person, model family, 0/1 flags to sum, cost and
--   tokens. Built on `usage_events` (10_usage_events.sql), which defines every measure; this view
--   only renames and types them. '{{time_zone}}' is replaced by the team time zone (an IANA name,
--   quoted) by `renderView` in functions/sql/query-catalog.ts; run the result as one DDL statement.
--   sum(is_message) counts messages (prompts without background task reports), sum(is_skill)
--   skill activations (each once), count(DISTINCT active_session_id) sessions with activity.
CREATE OR REPLACE VIEW claude_code_usage AS
SELECT
  event_time,
  CAST(CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}' AS DATE) AS event_date,
  hour(CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}') AS event_hour,
  dt,
  event_name,
  user_name,
  user_plan,
  session_id,
  app_version,
  terminal_type,
  os_type,
  model,
  model_family,
  CASE WHEN event_name = 'user_prompt' THEN 1 ELSE 0 END AS is_prompt,
  CASE WHEN is_api_request THEN 1 ELSE 0 END AS is_api_request,
  CASE WHEN is_api_error THEN 1 ELSE 0 END AS is_api_error,
  CASE WHEN is_subagent_run THEN 1 ELSE 0 END AS is_subagent_call,
  CASE WHEN is_mcp_call THEN 1 ELSE 0 END AS is_mcp_call,
  CASE WHEN is_skill_activation THEN 1 ELSE 0 END AS is_skill,
  subagent_type,
  CASE WHEN event_name = 'skill_activated' OR (event_name = 'tool_result' AND tool_name = 'Skill') THEN skill END AS skill_name,
  mcp_server AS mcp_server_name,
  tool_name,
  tool_success,
  status_code,
  coalesce(cost_usd, 0) AS cost_usd,
  coalesce(input_tokens, 0) AS input_tokens,
  coalesce(output_tokens, 0) AS output_tokens,
  coalesce(cache_read_tokens, 0) AS cache_read_tokens,
  coalesce(cache_creation_tokens, 0) AS cache_creation_tokens,
  CASE WHEN is_message THEN 1 ELSE 0 END AS is_message,
  active_session_id
FROM usage_events
