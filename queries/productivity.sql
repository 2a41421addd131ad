-- title: Productivity
-- description: One row per person for the window, from Claude Code's metrics (the `metrics`
--   table): lines of code added and removed by Claude Code's edits, commits and pull requests
--   it created, and active hours (keyboard and CLI time, `claude_code.active_time.total`).
--   Each interval is counted once (`metric_id`); the person is the e-mail's local part (per the
--   e-mail policy), else the install pseudonym, as for events.
-- params: dt_from, dt_to, from, to, person
WITH intervals AS (
  SELECT
    metric_id,
    arbitrary(metric_name) AS metric_name,
    arbitrary(metric_type) AS metric_type,
    arbitrary(split_part(coalesce(user_email, user_pseudonym), '@', 1)) AS user_name,
    arbitrary(value) AS value
  FROM metrics
  WHERE dt BETWEEN ? AND ?
    AND metric_time >= CAST(? AS TIMESTAMP)
    AND metric_time < CAST(? AS TIMESTAMP)
  GROUP BY metric_id
)
SELECT
  user_name,
  CAST(round(coalesce(sum(CASE WHEN metric_name = 'claude_code.lines_of_code.count' AND metric_type = 'added' THEN value END), 0)) AS BIGINT) AS lines_added,
  CAST(round(coalesce(sum(CASE WHEN metric_name = 'claude_code.lines_of_code.count' AND metric_type = 'removed' THEN value END), 0)) AS BIGINT) AS lines_removed,
  CAST(round(coalesce(sum(CASE WHEN metric_name = 'claude_code.commit.count' THEN value END), 0)) AS BIGINT) AS commits,
  CAST(round(coalesce(sum(CASE WHEN metric_name = 'claude_code.pull_request.count' THEN value END), 0)) AS BIGINT) AS pull_requests,
  round(CAST(coalesce(sum(CASE WHEN metric_name = 'claude_code.active_time.total' THEN value END), 0) AS DOUBLE) / 3600, 2) AS active_hours
FROM intervals
WHERE ? IN ('', user_name)
GROUP BY user_name
ORDER BY lines_added DESC, user_name
