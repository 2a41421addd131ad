-- title: Team totals
-- description: Team-wide totals for the window: API-equivalent cost (USD), messages (user
--   prompts), skill activations, subagent calls, MCP tool calls, active users, sessions, API
--   requests and tokens; and the team's productivity line from the metrics (lines added and
--   removed, commits, pull requests, active hours; see productivity.sql). One row.
-- params: dt_from, dt_to, from, to, dt_from, dt_to, from, to
WITH w AS (
  SELECT event_name, user_email, session_id, prompt_id, cost_usd, input_tokens, output_tokens,
    cache_read_tokens, cache_creation_tokens, tool_name, skill_name, invocation_trigger
  FROM events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP)
    AND event_time < CAST(? AS TIMESTAMP)
),
skill_uses AS (
  SELECT
    count_if(event_name = 'skill_activated')
      + greatest(
        count_if(event_name = 'tool_result')
          - count_if(event_name = 'skill_activated' AND coalesce(invocation_trigger, '') <> 'user-slash'),
        0
      ) AS activations
  FROM w
  WHERE event_name = 'skill_activated' OR (event_name = 'tool_result' AND tool_name = 'Skill')
  GROUP BY session_id, prompt_id, coalesce(skill_name, 'custom_skill')
),
skills AS (
  SELECT coalesce(sum(activations), 0) AS skills FROM skill_uses
),
productivity AS (
  SELECT
    coalesce(sum(CASE WHEN metric_name = 'claude_code.lines_of_code.count' AND metric_type = 'added' THEN value END), 0) AS lines_added,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.lines_of_code.count' AND metric_type = 'removed' THEN value END), 0) AS lines_removed,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.commit.count' THEN value END), 0) AS commits,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.pull_request.count' THEN value END), 0) AS pull_requests,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.active_time.total' THEN value END), 0) AS active_seconds
  FROM (
    SELECT metric_id, arbitrary(metric_name) AS metric_name, arbitrary(metric_type) AS metric_type, arbitrary(value) AS value
    FROM metrics
    WHERE dt BETWEEN ? AND ?
      AND metric_time >= CAST(? AS TIMESTAMP)
      AND metric_time < CAST(? AS TIMESTAMP)
    GROUP BY metric_id
  ) intervals
),
totals AS (
  SELECT
    coalesce(sum(cost_usd), 0) AS cost_usd,
    coalesce(count_if(event_name = 'user_prompt'), 0) AS messages,
    coalesce(count_if(event_name = 'tool_result' AND tool_name IN ('Agent', 'Task')), 0) AS subagents,
    coalesce(count_if(event_name = 'tool_result' AND tool_name = 'mcp_tool'), 0) AS mcp_calls,
    count(DISTINCT split_part(user_email, '@', 1)) AS active_users,
    count(DISTINCT session_id) AS sessions,
    coalesce(count_if(event_name = 'api_request'), 0) AS api_requests,
    coalesce(sum(input_tokens), 0) AS input_tokens,
    coalesce(sum(output_tokens), 0) AS output_tokens,
    coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,
    coalesce(sum(cache_creation_tokens), 0) AS cache_creation_tokens
  FROM w
)
SELECT
  t.cost_usd,
  t.messages,
  s.skills,
  t.subagents,
  t.mcp_calls,
  t.active_users,
  t.sessions,
  t.api_requests,
  t.input_tokens,
  t.output_tokens,
  t.cache_read_tokens,
  t.cache_creation_tokens,
  CAST(round(p.lines_added) AS BIGINT) AS lines_added,
  CAST(round(p.lines_removed) AS BIGINT) AS lines_removed,
  CAST(round(p.commits) AS BIGINT) AS commits,
  CAST(round(p.pull_requests) AS BIGINT) AS pull_requests,
  round(CAST(p.active_seconds AS DOUBLE) / 3600, 2) AS active_hours
FROM totals t
CROSS JOIN skills s
CROSS JOIN productivity p
