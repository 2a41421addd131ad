-- title: Cost by skill
-- description: API requests attributed to a skill (the skill.name attribution of the request): requests, users and
--   cost (USD) per skill, highest cost first. Requests without the attribution are left out.
-- params: dt_from, dt_to, from, to
SELECT
  skill_name,
  count(*) AS requests,
  count(DISTINCT split_part(user_email, '@', 1)) AS users,
  coalesce(sum(cost_usd), 0) AS cost_usd
FROM events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP)
  AND event_time < CAST(? AS TIMESTAMP)
  AND event_name = 'api_request'
  AND skill_name IS NOT NULL
GROUP BY skill_name
ORDER BY cost_usd DESC, skill_name
