-- title: Subagent runs
-- description: Completed subagent runs (subagent_completed events) per agent type: runs, people,
--   background (async) runs, the tokens and tool calls they used in total and per run, most
--   tokens first.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  coalesce(agent_type, 'unknown') AS agent_type,
  count(*) AS runs,
  count(DISTINCT user_name) AS users,
  count_if(is_async) AS async_runs,
  coalesce(sum(total_tokens), 0) AS total_tokens,
  coalesce(sum(total_tool_uses), 0) AS total_tool_uses,
  CAST(coalesce(sum(total_tokens), 0) AS DOUBLE) / count(*) AS tokens_per_run,
  CAST(coalesce(sum(total_tool_uses), 0) AS DOUBLE) / count(*) AS tool_uses_per_run
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_subagent_completion
GROUP BY coalesce(agent_type, 'unknown')
ORDER BY total_tokens DESC, agent_type
