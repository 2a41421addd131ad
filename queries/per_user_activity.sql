-- title: Per-user activity
-- description: One row per user (local part of the e-mail, or the pseudonym): plan, cost (USD),
--   sessions, messages, skill activations, subagent calls, MCP calls, Opus/Sonnet/Haiku API
--   calls, cost per message and cache hit % (cache reads over input + cache reads). Highest
--   cost first.
-- params: dt_from, dt_to, from, to
WITH w AS (
  SELECT split_part(user_email, '@', 1) AS user_name, event_name, session_id, prompt_id, user_plan,
    model, cost_usd, input_tokens, cache_read_tokens, tool_name, skill_name, invocation_trigger
  FROM events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP)
    AND event_time < CAST(? AS TIMESTAMP)
    AND user_email IS NOT NULL
),
skill_uses AS (
  SELECT
    user_name,
    count_if(event_name = 'skill_activated')
      + greatest(
        count_if(event_name = 'tool_result')
          - count_if(event_name = 'skill_activated' AND coalesce(invocation_trigger, '') <> 'user-slash'),
        0
      ) AS activations
  FROM w
  WHERE event_name = 'skill_activated' OR (event_name = 'tool_result' AND tool_name = 'Skill')
  GROUP BY user_name, session_id, prompt_id, coalesce(skill_name, 'custom_skill')
),
skills AS (
  SELECT user_name, sum(activations) AS skills FROM skill_uses GROUP BY user_name
),
activity AS (
  SELECT
    user_name,
    max(user_plan) AS plan,
    coalesce(sum(cost_usd), 0) AS cost_usd,
    count(DISTINCT session_id) AS sessions,
    count_if(event_name = 'user_prompt') AS messages,
    count_if(event_name = 'tool_result' AND tool_name IN ('Agent', 'Task')) AS subagents,
    count_if(event_name = 'tool_result' AND tool_name = 'mcp_tool') AS mcp_calls,
    count_if(event_name = 'api_request' AND lower(model) LIKE '%opus%') AS opus_calls,
    count_if(event_name = 'api_request' AND lower(model) LIKE '%sonnet%') AS sonnet_calls,
    count_if(event_name = 'api_request' AND lower(model) LIKE '%haiku%') AS haiku_calls,
    coalesce(sum(input_tokens), 0) AS input_tokens,
    coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens
  FROM w
  GROUP BY user_name
)
SELECT
  a.user_name,
  a.plan,
  a.cost_usd,
  a.sessions,
  a.messages,
  coalesce(s.skills, 0) AS skills,
  a.subagents,
  a.mcp_calls,
  a.opus_calls,
  a.sonnet_calls,
  a.haiku_calls,
  a.cost_usd / nullif(a.messages, 0) AS cost_per_message,
  100 * CAST(a.cache_read_tokens AS DOUBLE) / nullif(a.input_tokens + a.cache_read_tokens, 0) AS cache_hit_pct
FROM activity a
LEFT JOIN skills s ON s.user_name = a.user_name
ORDER BY a.cost_usd DESC, a.user_name
