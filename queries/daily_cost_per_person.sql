-- title: Daily cost per person (everyone)
-- description: API-equivalent cost (USD) per day (in the team time zone, yyyy-MM-dd) and person,
--   for every person with cost in the window (daily_cost_per_user keeps the top 10). What the
--   spike alerts compare with each person's own 28-day median. Days without cost are absent.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  CAST(CAST(CAST(event_time AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE '{{time_zone}}' AS DATE) AS VARCHAR) AS day,
  user_name,
  sum(cost_usd) AS cost_usd
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_api_request AND cost_usd IS NOT NULL AND user_name IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2
