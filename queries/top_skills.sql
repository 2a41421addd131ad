-- title: Top skills
-- description: Skill activations per skill and person, most first. A skill counts once per
--   activation whether it fired skill_activated, a Skill tool call, or both; without
--   OTEL_LOG_TOOL_DETAILS=1 the name is custom_skill.
-- params: dt_from, dt_to, from, to, person, model, skill
SELECT skill AS skill_name, user_name, count(*) AS activations
FROM usage_events
WHERE dt BETWEEN ? AND ?
  AND event_time >= CAST(? AS TIMESTAMP) AND event_time < CAST(? AS TIMESTAMP)
  AND ? IN ('', user_name) AND ? IN ('', model, model_family) AND ? IN ('', skill)
  AND is_skill_activation AND user_name IS NOT NULL
GROUP BY skill, user_name
ORDER BY activations DESC, skill_name, user_name
