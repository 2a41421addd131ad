-- title: Top models
-- description: API requests per model, most first, with the people calling it, cost (USD) and
--   tokens.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  model,
  count(*) AS requests,
  count(DISTINCT user_name) AS users,
  coalesce(sum(cost_usd), 0) AS cost_usd,
  coalesce(sum(input_tokens), 0) AS input_tokens,
  coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens,
  coalesce(sum(cache_creation_tokens), 0) AS cache_creation_tokens
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_api_request AND model IS NOT NULL
GROUP BY model
ORDER BY requests DESC, model
