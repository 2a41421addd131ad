-- title: Cost by agent
-- description: API requests attributed to an agent or subagent (the agent.name attribution): requests, users and
--   cost (USD) per agent, highest cost first. Requests without the attribution are left out.
-- params: dt_from, dt_to, from, to
SELECT
  agent_name,
  count(*) AS requests,
  count(DISTINCT split_part(user_email, '@', 1)) AS users,
  coalesce(sum(cost_usd), 0) AS cost_usd
FROM events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP)
  AND event_time < CAST(? AS TIMESTAMP)
  AND event_name = 'api_request'
  AND agent_name IS NOT NULL
GROUP BY agent_name
ORDER BY cost_usd DESC, agent_name
