-- title: API errors
-- description: Failed API requests (api_error events) per HTTP status code and model: errors and
--   people affected, most errors first.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT status_code, model, count(*) AS errors, count(DISTINCT user_name) AS users
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_api_error
GROUP BY status_code, model
ORDER BY errors DESC, status_code, model
