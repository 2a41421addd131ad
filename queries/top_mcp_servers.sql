-- title: Top MCP servers
-- description: MCP tool calls per server and person, most first; a call whose server is not
--   known (no OTEL_LOG_TOOL_DETAILS) counts under "unknown".
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT mcp_server AS mcp_server_name, user_name, count(*) AS calls
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_mcp_call AND user_name IS NOT NULL
GROUP BY mcp_server, user_name
ORDER BY calls DESC, mcp_server_name, user_name
