-- title: Cost by agent
-- description: API requests attributed to an agent or subagent (the agent.name attribution): requests, people and
--   cost (USD) per agent, highest cost first. Requests without the attribution are left out.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT agent_name, count(*) AS requests, count(DISTINCT user_name) AS users, coalesce(sum(cost_usd), 0) AS cost_usd
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_api_request AND agent_name IS NOT NULL
GROUP BY agent_name
ORDER BY cost_usd DESC, agent_name
