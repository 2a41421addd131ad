-- title: Code-edit acceptance by tool
-- description: Per code-edit tool (Edit, Write, NotebookEdit), how many of Claude Code's proposed
--   edits were accepted and rejected in the window (`claude_code.code_edit_tool.decision`), and
--   the acceptance rate in percent. Each interval counted once (`metric_id`).
-- params: dt_from, dt_to, from, to, person
WITH intervals AS (
  SELECT
    metric_id,
    arbitrary(split_part(coalesce(user_email, user_pseudonym), '@', 1)) AS user_name,
    arbitrary(tool_name) AS tool_name, arbitrary(decision) AS decision, arbitrary(value) AS value
  FROM metrics
  WHERE dt BETWEEN ? AND ?
    AND metric_time >= CAST(? AS TIMESTAMP)
    AND metric_time < CAST(? AS TIMESTAMP)
    AND metric_name = 'claude_code.code_edit_tool.decision'
  GROUP BY metric_id
)
SELECT
  coalesce(tool_name, 'unknown') AS tool_name,
  CAST(round(coalesce(sum(CASE WHEN decision = 'accept' THEN value END), 0)) AS BIGINT) AS accepted,
  CAST(round(coalesce(sum(CASE WHEN decision = 'reject' THEN value END), 0)) AS BIGINT) AS rejected,
  round(100 * CAST(coalesce(sum(CASE WHEN decision = 'accept' THEN value END), 0) AS DOUBLE) / nullif(sum(value), 0), 1) AS acceptance_pct
FROM intervals
WHERE ? IN ('', user_name)
GROUP BY coalesce(tool_name, 'unknown')
ORDER BY accepted + rejected DESC, tool_name
