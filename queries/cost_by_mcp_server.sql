-- title: Cost by MCP server
-- description: API requests attributed to an MCP server (the mcp_server.name attribution): requests, users and
--   cost (USD) per MCP server, highest cost first. Requests without the attribution are left out.
-- params: dt_from, dt_to, from, to
SELECT
  mcp_server_name,
  count(*) AS requests,
  count(DISTINCT split_part(user_email, '@', 1)) AS users,
  coalesce(sum(cost_usd), 0) AS cost_usd
FROM events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP)
  AND event_time < CAST(? AS TIMESTAMP)
  AND event_name = 'api_request'
  AND mcp_server_name IS NOT NULL
GROUP BY mcp_server_name
ORDER BY cost_usd DESC, mcp_server_name
