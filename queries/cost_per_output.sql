-- title: Cost per line added and per pull request
-- description: The window's API-equivalent cost (USD, from the `api_request` events, the one
--   cost definition) divided by the lines of code Claude Code added and by the pull requests it
--   created (from the metrics). Null when there were no lines or no pull requests. One row.
-- params: dt_from, dt_to, from, to, dt_from, dt_to, from, to
WITH cost AS (
  SELECT coalesce(sum(cost_usd), 0) AS cost_usd
  FROM events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP)
    AND event_time < CAST(? AS TIMESTAMP)
),
intervals AS (
  SELECT metric_id, arbitrary(metric_name) AS metric_name, arbitrary(metric_type) AS metric_type, arbitrary(value) AS value
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
)
SELECT
  c.cost_usd,
  CAST(round(o.lines_added) AS BIGINT) AS lines_added,
  CAST(round(o.pull_requests) AS BIGINT) AS pull_requests,
  round(CAST(c.cost_usd AS DOUBLE) / nullif(o.lines_added, 0), 4) AS cost_per_line_added,
  round(CAST(c.cost_usd AS DOUBLE) / nullif(o.pull_requests, 0), 2) AS cost_per_pull_request
FROM cost c
CROSS JOIN output o
