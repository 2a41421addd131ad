-- title: Cost by skill
-- description: API requests attributed to a skill (the skill.name attribution of the request): requests, people and
--   cost (USD) per skill, highest cost first. Requests without the attribution are left out.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT skill AS skill_name, count(*) AS requests, count(DISTINCT user_name) AS users, coalesce(sum(cost_usd), 0) AS cost_usd
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_api_request AND skill IS NOT NULL
GROUP BY skill
ORDER BY cost_usd DESC, skill_name
