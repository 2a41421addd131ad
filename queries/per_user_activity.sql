-- title: Per-user activity
-- description: One row per person (local part of the e-mail, or the pseudonym): plan, cost
--   (USD), sessions, messages, skill activations, subagent runs, MCP calls, Opus/Sonnet/Haiku
--   API calls, cost per message and cache hit % (cache reads over input + cache reads). Highest
--   cost first.
-- params: dt_from, dt_to, from, to, person, model, skill
WITH activity AS (
  SELECT
    user_name,
    max(user_plan) AS plan,
    coalesce(sum(cost_usd), 0) AS cost_usd,
    count(DISTINCT active_session_id) AS sessions,
    count_if(is_message) AS messages,
    count_if(is_skill_activation) AS skills,
    count_if(is_subagent_run) AS subagents,
    count_if(is_mcp_call) AS mcp_calls,
    count_if(is_api_request AND model_family = 'opus') AS opus_calls,
    count_if(is_api_request AND model_family = 'sonnet') AS sonnet_calls,
    count_if(is_api_request AND model_family = 'haiku') AS haiku_calls,
    coalesce(sum(input_tokens), 0) AS input_tokens,
    coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens
  FROM usage_events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
    AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
    AND user_name IS NOT NULL
  GROUP BY user_name
)
SELECT
  user_name,
  plan,
  cost_usd,
  sessions,
  messages,
  skills,
  subagents,
  mcp_calls,
  opus_calls,
  sonnet_calls,
  haiku_calls,
  cost_usd / nullif(messages, 0) AS cost_per_message,
  100 * CAST(cache_read_tokens AS DOUBLE) / nullif(input_tokens + cache_read_tokens, 0) AS cache_hit_pct
FROM activity
ORDER BY cost_usd DESC, user_name
