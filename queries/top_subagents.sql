-- title: Top subagents
-- description: Subagent calls (Agent or Task tool results) per subagent type and user, most
--   first; a call without a type is general-purpose.
-- params: dt_from, dt_to, from, to
SELECT
  coalesce(subagent_type, 'general-purpose') AS subagent_type,
  split_part(user_email, '@', 1) AS user_name,
  count(*) AS calls
FROM events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP)
  AND event_time < CAST(? AS TIMESTAMP)
  AND event_name = 'tool_result'
  AND tool_name IN ('Agent', 'Task')
  AND user_email IS NOT NULL
GROUP BY coalesce(subagent_type, 'general-purpose'), split_part(user_email, '@', 1)
ORDER BY calls DESC, subagent_type, user_name
