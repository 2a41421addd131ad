-- title: Cost per line added and per pull request
-- description: The window's API-equivalent cost (USD, `cost_usd` of the base view usage_events,
--   the one cost definition, with the window's filters) divided by the lines of code Claude
--   Code added and by the pull requests it created (from the metrics, each interval once, the
--   person filter). Null when there were no lines or no pull requests. One row.
-- params: dt_from, dt_to, from, to, person, model, skill, dt_from, dt_to, from, to, person
WITH cost AS (
  SELECT coalesce(sum(cost_usd), 0) AS cost_usd
  FROM usage_events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP)
    AND event_time < CAST(? AS TIMESTAMP)
    AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
),
intervals AS (
  SELECT
    metric_id,
    arbitrary(split_part(coalesce(user_email, user_pseudonym), '@', 1)) AS user_name,
    arbitrary(metric_name) AS metric_name,
    arbitrary(metric_type) AS metric_type,
    arbitrary(value) AS value
  FROM metrics
  WHERE dt BETWEEN ? AND ?
    AND metric_time >= CAST(? AS TIMESTAMP)
    AND metric_time < CAST(? AS TIMESTAMP)
  GROUP BY metric_id
),
output AS (
  SELECT
    coalesce(sum(CASE WHEN metric_name = 'claude_code.lines_of_code.count' AND metric_type = 'added' THEN value END), 0) AS lines_added,
    coalesce(sum(CASE WHEN metric_name = 'claude_code.pull_request.count' THEN value END), 0) AS pull_requests
  FROM intervals
  WHERE ? IN ('', user_name)
)
SELECT
  c.cost_usd,
  CAST(round(o.lines_added) AS BIGINT) AS lines_added,
  CAST(round(o.pull_requests) AS BIGINT) AS pull_requests,
  round(CAST(c.cost_usd AS DOUBLE) / nullif(o.lines_added, 0), 4) AS cost_per_line_added,
  round(CAST(c.cost_usd AS DOUBLE) / nullif(o.pull_requests, 0), 2) AS cost_per_pull_request
FROM cost c
CROSS JOIN output o
