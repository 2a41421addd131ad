-- title: Team totals
-- description: Team-wide totals for the window: API-equivalent cost (USD), messages, skill
--   activations, subagent runs, MCP tool calls, active people, sessions with activity, API
--   requests and tokens. One row. Every measure is defined in views/10_usage_events.sql.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  coalesce(sum(cost_usd), 0) AS cost_usd,
  coalesce(count_if(is_message), 0) AS messages,
  coalesce(count_if(is_skill_activation), 0) AS skills,
  coalesce(count_if(is_subagent_run), 0) AS subagents,
  coalesce(count_if(is_mcp_call), 0) AS mcp_calls,
  count(DISTINCT user_name) AS active_users,
  count(DISTINCT active_session_id) AS sessions,
  coalesce(count_if(is_api_request), 0) AS api_requests,
  coalesce(sum(input_tokens), 0) AS input_tokens,
  coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,
  coalesce(sum(cache_creation_tokens), 0) AS cache_creation_tokens
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
