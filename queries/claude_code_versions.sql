-- title: Claude Code versions
-- description: Version spread per user: for each user and Claude Code version seen in the
--   window, its sessions, events and the last time it was seen (UTC).
-- params: dt_from, dt_to, from, to
SELECT
  split_part(user_email, '@', 1) AS user_name,
  app_version,
  count(DISTINCT session_id) AS sessions,
  count(*) AS events,
  max(event_time) AS last_seen
FROM events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP)
  AND event_time < CAST(? AS TIMESTAMP)
  AND user_email IS NOT NULL
  AND app_version IS NOT NULL
GROUP BY split_part(user_email, '@', 1), app_version
ORDER BY user_name, app_version
