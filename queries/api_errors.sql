-- title: API errors
-- description: Failed API requests (api_error events) per HTTP status code and model: errors and
--   users affected, most errors first.
-- params: dt_from, dt_to, from, to
SELECT
  status_code,
  model,
  count(*) AS errors,
  count(DISTINCT split_part(user_email, '@', 1)) AS users
FROM events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP)
  AND event_time < CAST(? AS TIMESTAMP)
  AND event_name = 'api_error'
GROUP BY status_code, model
ORDER BY errors DESC, status_code, model
