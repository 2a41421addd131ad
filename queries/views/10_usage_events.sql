-- title: Usage events (the semantic layer's base view)
-- description: Every event once, with each measure defined here and nowhere else; every named
--   query and the QuickSight view `claude_code_usage` read this view and only aggregate it.
--   Views are created in file-name order (this one first), so a view may read the ones before it.
--   De-duplication: one row per (dt, event_id); event_id is the event's deterministic key, so
--   a retried or re-delivered event counts once. The key is taken per dt partition so that a
--   query's `dt BETWEEN` still prunes partitions through the window functions on Athena; a copy
--   that Firehose files under the next UTC arrival date is not merged.
--   Measures:
--   user_name            the person: the local part of user_email (per the e-mail policy), else
--                        user_pseudonym (`anon_...`); count people with count(DISTINCT user_name)
--   active_session_id    session_id on the events that make a session active (a user_prompt or
--                        an api_request), else NULL: count(DISTINCT active_session_id) counts
--                        sessions with activity, so the start-up session of `claude -c` is not one
--   is_message           a user_prompt that is not a background task's report (task_notification)
--   is_skill_activation  each activation once: every skill_activated, plus a Skill tool call that
--                        no non-slash skill_activated of the same (session, prompt, skill) announced
--   is_subagent_run      an Agent (formerly Task) tool call; is_subagent_completion marks the
--                        subagent_completed event that reports a run's total_tokens, total_tool_uses
--   is_mcp_call          an MCP tool call (tool_name mcp_tool); mcp_server is its server or 'unknown'
--   is_mcp_connection_failure  an mcp_server_connection whose status is neither connected nor
--                        disconnected (a server that failed to start or connect)
--   is_tool_decision     a tool_decision event; tool_decision is accept or reject
--   is_api_request, is_api_error, cost_usd, *_tokens, model_family (opus, sonnet, haiku, other)
--   skill                the skill of a skill event (custom_skill when unnamed) or the skill an API
--                        request is attributed to
CREATE OR REPLACE VIEW usage_events AS
WITH keyed AS (
  SELECT
    e.*,
    CASE WHEN event_id IS NULL THEN 1 ELSE row_number() OVER (PARTITION BY dt, event_id ORDER BY event_time) END AS copy_number
  FROM events e
),
once AS (
  SELECT
    k.*,
    split_part(coalesce(user_email, user_pseudonym), '@', 1) AS person,
    CASE
      WHEN event_name = 'skill_activated' OR (event_name = 'tool_result' AND tool_name = 'Skill') THEN coalesce(skill_name, 'custom_skill')
    END AS skill_used
  FROM keyed k
  WHERE copy_number = 1
)
SELECT
  event_time,
  dt,
  event_id,
  event_name,
  session_id,
  prompt_id,
  person AS user_name,
  user_plan,
  app_version,
  terminal_type,
  os_type,
  api_provider,
  model,
  CASE
    WHEN model IS NULL THEN NULL
    WHEN lower(model) LIKE '%opus%' THEN 'opus'
    WHEN lower(model) LIKE '%sonnet%' THEN 'sonnet'
    WHEN lower(model) LIKE '%haiku%' THEN 'haiku'
    ELSE 'other'
  END AS model_family,
  CASE WHEN event_name IN ('user_prompt', 'api_request') THEN session_id END AS active_session_id,
  event_name = 'user_prompt' AND coalesce(prompt_kind, '') <> 'task_notification' AS is_message,
  prompt_kind,
  command_name,
  event_name = 'api_request' AS is_api_request,
  event_name = 'api_error' AS is_api_error,
  event_name = 'tool_result' AND tool_name IN ('Agent', 'Task') AS is_subagent_run,
  event_name = 'tool_result' AND tool_name = 'mcp_tool' AS is_mcp_call,
  coalesce(
    skill_used IS NOT NULL AND (
      event_name = 'skill_activated'
      OR row_number() OVER (PARTITION BY dt, session_id, prompt_id, skill_used, event_name ORDER BY event_time, event_id)
        > count_if(event_name = 'skill_activated' AND coalesce(invocation_trigger, '') <> 'user-slash')
          OVER (PARTITION BY dt, session_id, prompt_id, skill_used)
    ),
    false
  ) AS is_skill_activation,
  coalesce(skill_used, skill_name) AS skill,
  invocation_trigger,
  skill_source,
  CASE WHEN event_name = 'tool_result' AND tool_name IN ('Agent', 'Task') THEN coalesce(subagent_type, 'general-purpose') END AS subagent_type,
  agent_name,
  agent_type,
  total_tokens,
  total_tool_uses,
  is_async,
  final_model,
  event_name = 'subagent_completed' AS is_subagent_completion,
  CASE WHEN event_name = 'tool_result' AND tool_name = 'mcp_tool' THEN coalesce(mcp_server_name, 'unknown') ELSE mcp_server_name END AS mcp_server,
  mcp_tool_name,
  event_name = 'mcp_server_connection' AS is_mcp_connection,
  event_name = 'mcp_server_connection' AND coalesce(mcp_connection_status, '') NOT IN ('connected', 'disconnected') AS is_mcp_connection_failure,
  mcp_connection_server,
  mcp_connection_status,
  mcp_transport,
  tool_name,
  tool_success,
  event_name = 'tool_decision' AS is_tool_decision,
  tool_decision,
  decision_source,
  tool_source,
  error_type,
  status_code,
  attempt,
  total_attempts,
  duration_ms,
  ttft_ms,
  cost_usd,
  input_tokens,
  output_tokens,
  cache_read_tokens,
  cache_creation_tokens,
  cache_creation_5m_tokens,
  cache_creation_1h_tokens
FROM once
