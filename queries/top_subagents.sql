-- title: Top subagents
-- description: Subagent runs (Agent or Task tool calls) per subagent type and person, most
--   first; a run without a type is general-purpose.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT subagent_type, user_name, count(*) AS calls
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_subagent_run AND user_name IS NOT NULL
GROUP BY subagent_type, user_name
ORDER BY calls DESC, subagent_type, user_name
