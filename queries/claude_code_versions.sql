-- title: Claude Code versions
-- description: Version spread per person: for each person and Claude Code version seen in the
--   window, its sessions with activity, events and the last time it was seen (UTC).
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  user_name,
  app_version,
  count(DISTINCT active_session_id) AS sessions,
  count(*) AS events,
  max(event_time) AS last_seen
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND user_name IS NOT NULL AND app_version IS NOT NULL
GROUP BY user_name, app_version
ORDER BY user_name, app_version
