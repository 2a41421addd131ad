-- title: Team totals
-- description: Team-wide totals for the window: API-equivalent cost (USD), messages, skill
--   activations, subagent runs, MCP tool calls, active people, sessions with activity, API
--   requests and tokens; and the team's productivity line from Claude Code's metrics (lines
--   added and removed, commits, pull requests, active hours; as in productivity.sql, each
--   interval once, the person filter only). One row. Every event measure is defined in
--   views/10_usage_events.sql.
-- params: dt_from, dt_to, from, to, person, model, skill, dt_from, dt_to, from, to, person
WITH usage AS (
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
),
intervals AS (
  SELECT
    metric_id,
    arbitrary(metric_name) AS metric_name,
    arbitrary(metric_type) AS metric_type,
    arbitrary(split_part(coalesce(user_email, user_pseudonym), '@', 1)) AS user_name,
    arbitrary(value) AS value
  FROM metrics
  WHERE dt BETWEEN ? AND ?
    AND metric_time >= CAST(? AS TIMESTAMP) AND metric_time < CAST(? AS TIMESTAMP)
  GROUP BY metric_id
),
productivity AS (
  SELECT
    coalesce(sum(CASE WHEN metric_name = 'claude_code.lines_of_code.count' AND metric_type = 'added' THEN value END), 0) AS lines_added,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.lines_of_code.count' AND metric_type = 'removed' THEN value END), 0) AS lines_removed,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.commit.count' THEN value END), 0) AS commits,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.pull_request.count' THEN value END), 0) AS pull_requests,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.active_time.total' THEN value END), 0) AS active_seconds
  FROM intervals
  WHERE ? IN ('', user_name)
)
SELECT
  u.cost_usd,
  u.messages,
  u.skills,
  u.subagents,
  u.mcp_calls,
  u.active_users,
  u.sessions,
  u.api_requests,
  u.input_tokens,
  u.output_tokens,
  u.cache_read_tokens,
  u.cache_creation_tokens,
  CAST(round(p.lines_added) AS BIGINT) AS lines_added,
  CAST(round(p.lines_removed) AS BIGINT) AS lines_removed,
  CAST(round(p.commits) AS BIGINT) AS commits,
  CAST(round(p.pull_requests) AS BIGINT) AS pull_requests,
  round(CAST(p.active_seconds AS DOUBLE) / 3600, 2) AS active_hours
FROM usage u
CROSS JOIN productivity p
