-- title: Time to first token
-- description: How long each model took to start answering (ttft_ms of api_request events): per
--   model, the requests that report it, the mean and the slowest, in ms; slowest mean first.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  model,
  count(*) AS requests,
  avg(CAST(ttft_ms AS DOUBLE)) AS avg_ttft_ms,
  min(ttft_ms) AS min_ttft_ms,
  max(ttft_ms) AS max_ttft_ms
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_api_request AND ttft_ms IS NOT NULL AND model IS NOT NULL
GROUP BY model
ORDER BY avg_ttft_ms DESC, model
