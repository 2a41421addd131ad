-- title: MCP connection failures
-- description: MCP servers that failed to connect (mcp_server_connection events whose status is
--   neither connected nor disconnected): per server and transport, the connection events,
--   failures, people affected and the last failure (UTC), most failures first. Servers that
--   always connected are left out.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT
  coalesce(mcp_connection_server, 'unknown') AS mcp_server_name,
  coalesce(mcp_transport, 'unknown') AS transport,
  count(*) AS connections,
  count_if(is_mcp_connection_failure) AS failures,
  count(DISTINCT CASE WHEN is_mcp_connection_failure THEN user_name END) AS users,
  max(CASE WHEN is_mcp_connection_failure THEN event_time END) AS last_failure
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_mcp_connection
GROUP BY coalesce(mcp_connection_server, 'unknown'), coalesce(mcp_transport, 'unknown')
HAVING count_if(is_mcp_connection_failure) > 0
ORDER BY failures DESC, mcp_server_name, transport
