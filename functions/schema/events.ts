/**
 * The Claude Code event names the schema knows: those of the documented monitoring events and
 * those Claude Code 2.1.328 was seen sending (see README "The schema"). An event with another
 * name still becomes a row (its common columns), but is counted by name as schema drift, so an
 * operator sees when a new Claude Code version starts sending something the lake does not model.
 */
export const KNOWN_EVENT_NAMES: ReadonlySet<string> = new Set([
  // Documented monitoring events
  'user_prompt',
  'tool_result',
  'api_request',
  'api_error',
  'tool_decision',
  // Seen from 2.1.328 as well
  'skill_activated',
  'assistant_response',
  'subagent_completed',
  'api_retries_exhausted',
  'mcp_server_connection',
  'plugin_loaded',
  'managed_settings_resolved',
  'retention_sweep',
  'internal_error',
]);
