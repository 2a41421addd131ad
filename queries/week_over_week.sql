-- title: Week over week
-- description: This window against the one before it, of the same length and completeness (for
--   the last 7 whole days: this week and last week; for a window that ends in an unfinished
--   today, the window before ends at the same time of day): one row per metric (cost_usd,
--   messages, sessions, active_users, api_requests, skills, subagents, mcp_calls) with current,
--   previous, the change in percent, and previous_covered: whether the lake reaches back to the
--   window before, to within half a day (it holds a dt partition on or before the UTC date of
--   that window's start plus 12 hours).
--   change_pct is NULL when previous is 0 or not covered ("no earlier data"). Each window is its
--   own WHERE (Athena takes execution parameters only in WHERE clauses).
-- params: dt_from, dt_to, from, to, person, model, skill, prev_dt_from, prev_dt_to, prev_from, prev_to, person, model, skill, prev_first_dt
WITH w AS (
  SELECT 'current' AS period, *
  FROM usage_events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
    AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  UNION ALL
  SELECT 'previous' AS period, *
  FROM usage_events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
    AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
),
coverage AS (
  -- The lake's extent, not a measure: partition names only, so Athena reads no column data.
  SELECT count(*) > 0 AS covered FROM events WHERE dt <= ?
),
agg AS (
  SELECT
    coalesce(sum(CASE WHEN period = 'current' THEN cost_usd END), 0) AS cur_cost,
    coalesce(sum(CASE WHEN period = 'previous' THEN cost_usd END), 0) AS prev_cost,
    coalesce(count_if(period = 'current' AND is_message), 0) AS cur_messages,
    coalesce(count_if(period = 'previous' AND is_message), 0) AS prev_messages,
    count(DISTINCT CASE WHEN period = 'current' THEN active_session_id END) AS cur_sessions,
    count(DISTINCT CASE WHEN period = 'previous' THEN active_session_id END) AS prev_sessions,
    count(DISTINCT CASE WHEN period = 'current' THEN user_name END) AS cur_users,
    count(DISTINCT CASE WHEN period = 'previous' THEN user_name END) AS prev_users,
    coalesce(count_if(period = 'current' AND is_api_request), 0) AS cur_requests,
    coalesce(count_if(period = 'previous' AND is_api_request), 0) AS prev_requests,
    coalesce(count_if(period = 'current' AND is_skill_activation), 0) AS cur_skills,
    coalesce(count_if(period = 'previous' AND is_skill_activation), 0) AS prev_skills,
    coalesce(count_if(period = 'current' AND is_subagent_run), 0) AS cur_subagents,
    coalesce(count_if(period = 'previous' AND is_subagent_run), 0) AS prev_subagents,
    coalesce(count_if(period = 'current' AND is_mcp_call), 0) AS cur_mcp,
    coalesce(count_if(period = 'previous' AND is_mcp_call), 0) AS prev_mcp
  FROM w
),
metrics AS (
  SELECT 1 AS ord, 'cost_usd' AS metric, CAST(cur_cost AS DOUBLE) AS current_value, CAST(prev_cost AS DOUBLE) AS previous_value FROM agg
  UNION ALL SELECT 2, 'messages', CAST(cur_messages AS DOUBLE), CAST(prev_messages AS DOUBLE) FROM agg
  UNION ALL SELECT 3, 'sessions', CAST(cur_sessions AS DOUBLE), CAST(prev_sessions AS DOUBLE) FROM agg
  UNION ALL SELECT 4, 'active_users', CAST(cur_users AS DOUBLE), CAST(prev_users AS DOUBLE) FROM agg
  UNION ALL SELECT 5, 'api_requests', CAST(cur_requests AS DOUBLE), CAST(prev_requests AS DOUBLE) FROM agg
  UNION ALL SELECT 6, 'skills', CAST(cur_skills AS DOUBLE), CAST(prev_skills AS DOUBLE) FROM agg
  UNION ALL SELECT 7, 'subagents', CAST(cur_subagents AS DOUBLE), CAST(prev_subagents AS DOUBLE) FROM agg
  UNION ALL SELECT 8, 'mcp_calls', CAST(cur_mcp AS DOUBLE), CAST(prev_mcp AS DOUBLE) FROM agg
)
SELECT
  m.metric,
  m.current_value,
  m.previous_value,
  CASE WHEN c.covered THEN 100 * (m.current_value - m.previous_value) / nullif(m.previous_value, 0) END AS change_pct,
  c.covered AS previous_covered
FROM metrics m
CROSS JOIN coverage c
ORDER BY m.ord
