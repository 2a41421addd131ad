-- title: Week over week
-- description: This window against the one before it, of the same length (for a 7-day window:
--   this week and last week): one row per metric (cost_usd, messages, sessions, active_users,
--   api_requests, skills, subagents, mcp_calls) with current, previous and the change in
--   percent (NULL when previous is 0). Each window is its own WHERE (Athena takes execution
--   parameters only in WHERE clauses).
-- params: dt_from, dt_to, from, to, prev_dt_from, prev_dt_to, prev_from, from
WITH w AS (
  SELECT 'current' AS period, event_name, user_email, session_id, prompt_id, cost_usd, tool_name,
    skill_name, invocation_trigger
  FROM events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP)
    AND event_time < CAST(? AS TIMESTAMP)
  UNION ALL
  SELECT 'previous' AS period, event_name, user_email, session_id, prompt_id, cost_usd, tool_name,
    skill_name, invocation_trigger
  FROM events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP)
    AND event_time < CAST(? AS TIMESTAMP)
),
skill_uses AS (
  SELECT
    period,
    count_if(event_name = 'skill_activated')
      + greatest(
        count_if(event_name = 'tool_result')
          - count_if(event_name = 'skill_activated' AND coalesce(invocation_trigger, '') <> 'user-slash'),
        0
      ) AS activations
  FROM w
  WHERE event_name = 'skill_activated' OR (event_name = 'tool_result' AND tool_name = 'Skill')
  GROUP BY period, session_id, prompt_id, coalesce(skill_name, 'custom_skill')
),
skills AS (
  SELECT
    coalesce(sum(CASE WHEN period = 'current' THEN activations END), 0) AS cur,
    coalesce(sum(CASE WHEN period = 'previous' THEN activations END), 0) AS prev
  FROM skill_uses
),
agg AS (
  SELECT
    coalesce(sum(CASE WHEN period = 'current' THEN cost_usd END), 0) AS cur_cost,
    coalesce(sum(CASE WHEN period = 'previous' THEN cost_usd END), 0) AS prev_cost,
    coalesce(count_if(period = 'current' AND event_name = 'user_prompt'), 0) AS cur_messages,
    coalesce(count_if(period = 'previous' AND event_name = 'user_prompt'), 0) AS prev_messages,
    count(DISTINCT CASE WHEN period = 'current' THEN session_id END) AS cur_sessions,
    count(DISTINCT CASE WHEN period = 'previous' THEN session_id END) AS prev_sessions,
    count(DISTINCT CASE WHEN period = 'current' THEN split_part(user_email, '@', 1) END) AS cur_users,
    count(DISTINCT CASE WHEN period = 'previous' THEN split_part(user_email, '@', 1) END) AS prev_users,
    coalesce(count_if(period = 'current' AND event_name = 'api_request'), 0) AS cur_requests,
    coalesce(count_if(period = 'previous' AND event_name = 'api_request'), 0) AS prev_requests,
    coalesce(count_if(period = 'current' AND event_name = 'tool_result' AND tool_name IN ('Agent', 'Task')), 0) AS cur_subagents,
    coalesce(count_if(period = 'previous' AND event_name = 'tool_result' AND tool_name IN ('Agent', 'Task')), 0) AS prev_subagents,
    coalesce(count_if(period = 'current' AND event_name = 'tool_result' AND tool_name = 'mcp_tool'), 0) AS cur_mcp,
    coalesce(count_if(period = 'previous' AND event_name = 'tool_result' AND tool_name = 'mcp_tool'), 0) AS prev_mcp
  FROM w
),
metrics AS (
  SELECT 1 AS ord, 'cost_usd' AS metric, CAST(cur_cost AS DOUBLE) AS current_value, CAST(prev_cost AS DOUBLE) AS previous_value FROM agg
  UNION ALL
  SELECT 2, 'messages', CAST(cur_messages AS DOUBLE), CAST(prev_messages AS DOUBLE) FROM agg
  UNION ALL
  SELECT 3, 'sessions', CAST(cur_sessions AS DOUBLE), CAST(prev_sessions AS DOUBLE) FROM agg
  UNION ALL
  SELECT 4, 'active_users', CAST(cur_users AS DOUBLE), CAST(prev_users AS DOUBLE) FROM agg
  UNION ALL
  SELECT 5, 'api_requests', CAST(cur_requests AS DOUBLE), CAST(prev_requests AS DOUBLE) FROM agg
  UNION ALL
  SELECT 6, 'skills', CAST(cur AS DOUBLE), CAST(prev AS DOUBLE) FROM skills
  UNION ALL
  SELECT 7, 'subagents', CAST(cur_subagents AS DOUBLE), CAST(prev_subagents AS DOUBLE) FROM agg
  UNION ALL
  SELECT 8, 'mcp_calls', CAST(cur_mcp AS DOUBLE), CAST(prev_mcp AS DOUBLE) FROM agg
)
SELECT
  metric,
  current_value,
  previous_value,
  100 * (current_value - previous_value) / nullif(previous_value, 0) AS change_pct
FROM metrics
ORDER BY ord
