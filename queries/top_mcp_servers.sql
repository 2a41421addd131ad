-- title: Top MCP servers
-- description: MCP tool calls per server and user, most first; a call whose server is not
--   known (no OTEL_LOG_TOOL_DETAILS) counts under "unknown".
-- params: dt_from, dt_to, from, to
SELECT
  coalesce(mcp_server_name, 'unknown') AS mcp_server_name,
  split_part(user_email, '@', 1) AS user_name,
  count(*) AS calls
FROM events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP)
  AND event_time < CAST(? AS TIMESTAMP)
  AND event_name = 'tool_result'
  AND tool_name = 'mcp_tool'
  AND user_email IS NOT NULL
GROUP BY coalesce(mcp_server_name, 'unknown'), split_part(user_email, '@', 1)
ORDER BY calls DESC, mcp_server_name, user_name
