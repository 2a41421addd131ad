-- title: Top skills
-- description: Skill activations per skill and user, most first. A skill counts once per
--   activation whether it fired skill_activated, a Skill tool call, or both; without
--   OTEL_LOG_TOOL_DETAILS=1 the name is custom_skill.
-- params: dt_from, dt_to, from, to
WITH w AS (
  SELECT split_part(user_email, '@', 1) AS user_name, event_name, session_id, prompt_id,
    coalesce(skill_name, 'custom_skill') AS skill_name, invocation_trigger
  FROM events
  WHERE dt BETWEEN ? AND ?
    AND event_time >= CAST(? AS TIMESTAMP)
    AND event_time < CAST(? AS TIMESTAMP)
    AND user_email IS NOT NULL
    AND (event_name = 'skill_activated' OR (event_name = 'tool_result' AND tool_name = 'Skill'))
),
skill_uses AS (
  SELECT
    skill_name,
    user_name,
    count_if(event_name = 'skill_activated')
      + greatest(
        count_if(event_name = 'tool_result')
          - count_if(event_name = 'skill_activated' AND coalesce(invocation_trigger, '') <> 'user-slash'),
        0
      ) AS activations
  FROM w
  GROUP BY skill_name, user_name, session_id, prompt_id
)
SELECT skill_name, user_name, sum(activations) AS activations
FROM skill_uses
GROUP BY skill_name, user_name
ORDER BY activations DESC, skill_name, user_name
