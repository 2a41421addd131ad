-- title: Daily activity
-- description: Per day (in the team time zone, yyyy-MM-dd): active people (as team_totals counts
--   them), sessions with activity and messages, as views/10_usage_events.sql defines them. Days
--   without events are absent.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  CAST(CAST(CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}' AS DATE) AS VARCHAR) AS day,
  count(DISTINCT user_name) AS active_people,
  count(DISTINCT active_session_id) AS sessions,
  coalesce(count_if(is_message), 0) AS messages
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
GROUP BY 1
ORDER BY 1
