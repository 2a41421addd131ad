-- title: Tool acceptance rate
-- description: Permission decisions on suggested tool calls (tool_decision events) per tool:
--   decisions, accepted, rejected and the acceptance rate (accepted over decisions, 0 to 1),
--   most decisions first.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  tool_name,
  count(*) AS decisions,
  count_if(tool_decision = 'accept') AS accepted,
  count_if(tool_decision = 'reject') AS rejected,
  CAST(count_if(tool_decision = 'accept') AS DOUBLE) / count(*) AS acceptance_rate
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_tool_decision AND tool_name IS NOT NULL
GROUP BY tool_name
ORDER BY decisions DESC, tool_name
