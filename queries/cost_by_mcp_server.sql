-- title: Cost by MCP server
-- description: API requests attributed to an MCP server (the mcp_server.name attribution): requests, people and
--   cost (USD) per MCP server, highest cost first. Requests without the attribution are left out.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT mcp_server AS mcp_server_name, count(*) AS requests, count(DISTINCT user_name) AS users, coalesce(sum(cost_usd), 0) AS cost_usd
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_api_request AND mcp_server IS NOT NULL
GROUP BY mcp_server
ORDER BY cost_usd DESC, mcp_server_name
