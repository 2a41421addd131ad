-- title: Daily cost per user
-- description: API-equivalent cost (USD) per day (in the team time zone, yyyy-MM-dd) and person,
--   for the 10 people with the highest cost in the window. Days without cost are absent.
--   '{{time_zone}}' is the team time zone, filled in (quoted) by `renderQuery`: Trino takes only
--   a string literal after AT TIME ZONE, not a parameter.
-- params: dt_from, dt_to, from, to, person, model, skill
WITH costs AS (
  SELECT
    CAST(CAST(CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}' AS DATE) AS VARCHAR) AS day,
    user_name,
    cost_usd
  FROM usage_events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
    AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
    AND is_api_request AND cost_usd IS NOT NULL AND user_name IS NOT NULL
),
top_users AS (
  SELECT user_name
  FROM costs
  GROUP BY user_name
  ORDER BY sum(cost_usd) DESC, user_name
  LIMIT 10
)
SELECT c.day, c.user_name, sum(c.cost_usd) AS cost_usd
FROM costs c
JOIN top_users t ON t.user_name = c.user_name
GROUP BY c.day, c.user_name
ORDER BY c.day, c.user_name
