-- title: Tool success rate
-- description: Tool calls per tool (tool_result events): calls, successes, failures and the
--   success rate (successes over calls, 0 to 1), most calls first.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  tool_name,
  count(*) AS calls,
  count_if(tool_success) AS successes,
  count_if(NOT tool_success) AS failures,
  CAST(count_if(tool_success) AS DOUBLE) / count(*) AS success_rate
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND event_name = 'tool_result' AND tool_name IS NOT NULL
GROUP BY tool_name
ORDER BY calls DESC, tool_name
