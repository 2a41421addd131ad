/**
 * The one column list of the lake. Everything else is derived from it: the JSON keys the
 * Firehose transform emits, the Glue table (CDK), the local Parquet schema, the DuckDB view and
 * the column reference in the README.
 *
 * Privacy invariant: a value reaches the lake only if its attribute key is named in `sources`
 * below (see allowlist.ts). Adding a column is the only way to keep a new attribute.
 */

/** Column types, named as in Glue/Athena. */
export type ColumnType = 'string' | 'bigint' | 'double' | 'boolean' | 'timestamp';

/**
 * Where a value comes from, tried in order:
 * - `attr:<key>`: the log record's attribute, then the resource's attribute of the same key;
 * - `tool_parameters:<key>`: a key of the `tool_parameters` JSON string (see tool-parameters.ts,
 *   which also restricts each key to the tools that carry it);
 * - `envelope:<name>` / `record:<name>` / `derived:<name>`: filled by the normalizer, not by an
 *   attribute (the CloudWatch event id, the record's own time, the event name).
 */
export type Source =
  | `attr:${string}`
  | `tool_parameters:${string}`
  | `envelope:${string}`
  | `record:${string}`
  | `derived:${string}`;

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly sources: readonly Source[];
  /** Divides a numeric source value, keyed by source: `cost_usd_micros` / 1e6 is USD. */
  readonly divideBy?: Readonly<Partial<Record<Source, number>>>;
  /**
   * Only these events fill the column: for generic keys (`status`, `server_name`) that mean
   * something only on one event, so no other event's key of that name is read into it.
   */
  readonly events?: readonly string[];
  readonly description: string;
}

/** Keeps each column's name and type as literal types, so `Row` (row.ts) is typed per column. */
const col = <const N extends string, const T extends ColumnType>(
  name: N,
  type: T,
  sources: readonly Source[],
  description: string,
  divideBy?: Column['divideBy'],
): Column & { readonly name: N; readonly type: T } =>
  divideBy ? { name, type, sources, description, divideBy } : { name, type, sources, description };

/** A column read only on the given events (see `Column.events`). */
const on = <const C extends Column>(
  events: readonly string[],
  column: C,
): C & { readonly events: readonly string[] } => ({
  ...column,
  events,
});
const SUBAGENT = ['subagent_completed'];
const MCP_CONNECTION = ['mcp_server_connection'];
const RETRIES_EXHAUSTED = ['api_retries_exhausted'];

/** The lake's columns, in storage order. `dt` (the partition) is not one of them. */
export const COLUMNS = [
  // Identity of the event
  col(
    'event_time',
    'timestamp',
    ['attr:event.timestamp', 'record:time', 'envelope:timestamp'],
    'When the event happened (UTC, millisecond precision).',
  ),
  col(
    'event_name',
    'string',
    ['record:event_name'],
    'Short event name, e.g. `api_request`, `user_prompt`, `tool_result`.',
  ),
  col(
    'event_id',
    'string',
    ['envelope:id'],
    'CloudWatch Logs event id (AWS) or a generated unique id (local).',
  ),
  col(
    'event_sequence',
    'bigint',
    ['attr:event.sequence'],
    'Per-process event counter set by Claude Code (not per session).',
  ),
  col('session_id', 'string', ['attr:session.id'], 'Claude Code session id.'),
  col('prompt_id', 'string', ['attr:prompt.id'], 'Id of the user prompt that led to this event.'),
  col(
    'user_email',
    'string',
    ['attr:user.email'],
    'User e-mail, its local part, or an HMAC pseudonym, per the deployment setting.',
  ),
  col('user_plan', 'string', ['attr:user.plan'], 'Custom `user.plan` from OTEL_RESOURCE_ATTRIBUTES.'),
  col('service_name', 'string', ['attr:service.name'], 'Emitting program, e.g. `claude-code`.'),
  col('app_version', 'string', ['attr:app.version', 'attr:service.version'], 'Claude Code version.'),
  col('terminal_type', 'string', ['attr:terminal.type'], 'Terminal or IDE, e.g. `vscode`, `iTerm.app`.'),
  col('os_type', 'string', ['attr:os.type'], 'Operating system, e.g. `darwin`, `linux`.'),
  col('os_version', 'string', ['attr:os.version'], 'Operating system version.'),
  col('host_arch', 'string', ['attr:host.arch'], 'CPU architecture, e.g. `arm64`.'),
  // API requests and errors
  col('model', 'string', ['attr:model'], 'Model id, e.g. `claude-sonnet-4-5`.'),
  col(
    'cost_usd',
    'double',
    ['attr:cost_usd', 'attr:cost_usd_micros'],
    'API-equivalent cost in USD of one API request.',
    { 'attr:cost_usd_micros': 1e6 },
  ),
  col('input_tokens', 'bigint', ['attr:input_tokens'], 'Input tokens, excluding cache reads and writes.'),
  col('output_tokens', 'bigint', ['attr:output_tokens'], 'Output tokens.'),
  col('cache_read_tokens', 'bigint', ['attr:cache_read_tokens'], 'Tokens read from the prompt cache.'),
  col(
    'cache_creation_tokens',
    'bigint',
    ['attr:cache_creation_tokens'],
    'Tokens written to the prompt cache.',
  ),
  col('duration_ms', 'bigint', ['attr:duration_ms'], 'Duration of the request or tool call, ms.'),
  col('speed', 'string', ['attr:speed'], 'Speed mode of the request, e.g. `fast`.'),
  col('effort', 'string', ['attr:effort'], 'Reasoning effort of the request.'),
  col(
    'query_source',
    'string',
    ['attr:query_source'],
    'What issued the request: `repl_main_thread`, a subagent name, ...',
  ),
  col('status_code', 'bigint', ['attr:status_code'], 'HTTP status of a failed API request.'),
  col('attempt', 'bigint', ['attr:attempt'], 'Attempt number of a failed API request.'),
  // Tools
  col('tool_name', 'string', ['attr:tool_name'], 'Tool name, e.g. `Bash`, `Skill`, `mcp_tool`.'),
  col('tool_success', 'boolean', ['attr:success'], 'Whether the tool call succeeded.'),
  col(
    'tool_decision',
    'string',
    ['attr:decision', 'attr:decision_type'],
    'Permission decision: `accept` or `reject`.',
  ),
  col(
    'decision_source',
    'string',
    ['attr:decision_source', 'attr:source'],
    'Who decided: `config`, `user_temporary`, ...',
  ),
  col('error_type', 'string', ['attr:error_type'], 'Error class of a failed tool call (no message text).'),
  // Skills, agents, MCP, plugins, commands
  col(
    'skill_name',
    'string',
    ['attr:skill.name', 'tool_parameters:skill_name'],
    'Skill name (`custom_skill` unless OTEL_LOG_TOOL_DETAILS=1).',
  ),
  col('skill_source', 'string', ['attr:skill.source'], 'Where the skill came from.'),
  col(
    'invocation_trigger',
    'string',
    ['attr:invocation_trigger'],
    'How a skill started: `user-slash`, `claude-proactive`, `nested-skill`.',
  ),
  col('agent_name', 'string', ['attr:agent.name'], 'Agent an API request is attributed to.'),
  col(
    'subagent_type',
    'string',
    ['tool_parameters:subagent_type'],
    'Subagent type of an Agent/Task tool call.',
  ),
  col(
    'mcp_server_name',
    'string',
    ['attr:mcp_server.name', 'tool_parameters:mcp_server_name'],
    'MCP server of a tool call or API request.',
  ),
  col(
    'mcp_tool_name',
    'string',
    ['attr:mcp_tool.name', 'tool_parameters:mcp_tool_name'],
    'MCP tool of a tool call or API request.',
  ),
  col('plugin_name', 'string', ['attr:plugin.name'], 'Plugin an API request is attributed to.'),
  col('command_name', 'string', ['attr:command_name'], 'Slash command of a prompt, e.g. `/review`.'),
  col('prompt_length', 'bigint', ['attr:prompt_length'], 'Prompt length in characters (never the text).'),
  // Added for Claude Code 2.1.328 (see shared notes): identity, prompt kind, and useful numbers.
  col(
    'user_pseudonym',
    'string',
    ['derived:user_pseudonym'],
    'Stable pseudonym of the install (`user.id`), `anon_` + 12 hex; never the raw id.',
  ),
  col(
    'prompt_kind',
    'string',
    ['derived:prompt_kind'],
    'Kind of a `user_prompt`: `typed`, `command` or `task_notification`; null when not knowable.',
  ),
  col('api_provider', 'string', ['attr:anthropic.provider'], 'API provider, e.g. `firstParty`, `bedrock`.'),
  col('ttft_ms', 'bigint', ['attr:ttft_ms'], 'Time to first token of an API request, ms.'),
  col(
    'cache_creation_5m_tokens',
    'bigint',
    ['attr:cache_creation_5m_tokens'],
    'Tokens written to the 5-minute prompt cache.',
  ),
  col(
    'cache_creation_1h_tokens',
    'bigint',
    ['attr:cache_creation_1h_tokens'],
    'Tokens written to the 1-hour prompt cache.',
  ),
  on(
    SUBAGENT,
    col('agent_type', 'string', ['attr:agent_type'], 'Subagent type of a `subagent_completed` event.'),
  ),
  on(
    SUBAGENT,
    col(
      'total_tokens',
      'bigint',
      ['attr:total_tokens'],
      'Tokens used by a subagent run (`subagent_completed`).',
    ),
  ),
  on(
    SUBAGENT,
    col(
      'total_tool_uses',
      'bigint',
      ['attr:total_tool_uses'],
      'Tool calls made by a subagent run (`subagent_completed`).',
    ),
  ),
  on(
    SUBAGENT,
    col(
      'is_async',
      'boolean',
      ['attr:is_async'],
      'Whether a subagent ran in the background (`subagent_completed`).',
    ),
  ),
  on(
    SUBAGENT,
    col(
      'final_model',
      'string',
      ['attr:final_model'],
      'Model a subagent run ended on (`subagent_completed`).',
    ),
  ),
  on(
    MCP_CONNECTION,
    col(
      'mcp_connection_server',
      'string',
      ['attr:server_name'],
      'MCP server of an `mcp_server_connection` event.',
    ),
  ),
  on(
    MCP_CONNECTION,
    col(
      'mcp_connection_status',
      'string',
      ['attr:status'],
      'Outcome of an `mcp_server_connection`: `connected`, `disconnected`, `failed`, ...',
    ),
  ),
  on(
    MCP_CONNECTION,
    col(
      'mcp_transport',
      'string',
      ['attr:transport_type'],
      'Transport of an `mcp_server_connection`, e.g. `stdio`, `http`.',
    ),
  ),
  on(
    RETRIES_EXHAUSTED,
    col(
      'total_attempts',
      'bigint',
      ['attr:total_attempts'],
      'Attempts made before API retries ran out (`api_retries_exhausted`).',
    ),
  ),
  on(
    RETRIES_EXHAUSTED,
    col(
      'total_retry_duration_ms',
      'bigint',
      ['attr:total_retry_duration_ms'],
      'Time spent retrying before API retries ran out, ms (`api_retries_exhausted`).',
    ),
  ),
  col('tool_source', 'string', ['attr:tool_source'], 'Where a tool comes from: `builtin` or `mcp`.'),
  col('permission_mode', 'string', ['attr:permission_mode'], 'Permission mode of a tool decision.'),
  col('tool_input_size_bytes', 'bigint', ['attr:tool_input_size_bytes'], 'Size of a tool call input, bytes.'),
  col(
    'tool_result_size_bytes',
    'bigint',
    ['attr:tool_result_size_bytes'],
    'Size of a tool call result, bytes.',
  ),
  col('command_source', 'string', ['attr:command_source'], 'Where a slash command comes from.'),
  col('response_length', 'bigint', ['attr:response_length'], 'Assistant response length in characters.'),
] as const satisfies readonly Column[];

/** Name of the date partition (`yyyy-MM-dd`, UTC arrival date); a path segment, not a column. */
export const PARTITION_KEY = 'dt';

/** Longest string value kept, in UTF-16 code units; longer values are cut at a code point. */
export const MAX_STRING_LENGTH = 256;

export type ColumnName = (typeof COLUMNS)[number]['name'];
