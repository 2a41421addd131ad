import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCloudWatchMessage } from '../../functions/otlp/cloudwatch-message.ts';
import type { LogRecordInput } from '../../functions/otlp/log-record.ts';
import { type SanitizeOutcome, sanitize } from '../../functions/schema/allowlist.ts';
import { COLUMNS, type Column } from '../../functions/schema/columns.ts';
import { DroppedKeyCounter } from '../../functions/schema/dropped-keys.ts';
import { emailTransformer } from '../../functions/schema/email.ts';

/** Field by field: every kept column from its source, every dropped key named in the issue. */

const T = '2026-01-05T10:00:00.250Z';
const envelope = { id: 'ev-7', timestampMs: Date.UTC(2026, 0, 5, 9) };
const BASE = { event_time: Date.parse(T), event_name: 'tool_result', event_id: 'ev-7' };

function run(
  attributes: Record<string, unknown>,
  resource: Record<string, unknown> = {},
  dropped?: DroppedKeyCounter,
  event = 'tool_result',
): SanitizeOutcome {
  const record: LogRecordInput = {
    body: `claude_code.${event}`,
    attributes: { 'event.timestamp': T, ...attributes },
    resource,
    scopeName: null,
    timeMs: null,
  };
  return sanitize(record, envelope, {
    email: emailTransformer({ mode: 'keep' }),
    ...(dropped ? { dropped } : {}),
  });
}

const row = (attributes: Record<string, unknown>, resource?: Record<string, unknown>, event?: string) => {
  const outcome = run(attributes, resource, undefined, event);
  if (outcome.kind !== 'row') throw new Error(`expected a row, got ${outcome.kind}`);
  return outcome.row as Record<string, unknown>;
};

/** [column, record attributes, resource attributes, expected value]. */
const KEPT: [string, Record<string, unknown>, Record<string, unknown>, unknown][] = [
  ['event_sequence', { 'event.sequence': 2116 }, {}, 2116],
  ['session_id', { 'session.id': 'sess-1' }, {}, 'sess-1'],
  ['prompt_id', { 'prompt.id': 'p-1' }, {}, 'p-1'],
  ['user_email', { 'user.email': ' Ana@Example.COM ' }, {}, 'ana@example.com'],
  ['user_plan', {}, { 'user.plan': 'max' }, 'max'],
  ['service_name', {}, { 'service.name': 'claude-code-desktop' }, 'claude-code-desktop'],
  ['app_version', {}, { 'service.version': '2.1.130' }, '2.1.130'],
  ['terminal_type', { 'terminal.type': 'iTerm.app' }, {}, 'iTerm.app'],
  ['os_type', {}, { 'os.type': 'linux' }, 'linux'],
  ['os_version', {}, { 'os.version': '6.8.0' }, '6.8.0'],
  ['host_arch', {}, { 'host.arch': 'amd64' }, 'amd64'],
  ['model', { model: 'claude-opus-4-1' }, {}, 'claude-opus-4-1'],
  ['cost_usd', { cost_usd: '0.0123' }, {}, 0.0123],
  ['input_tokens', { input_tokens: '1200' }, {}, 1200],
  ['output_tokens', { output_tokens: 88 }, {}, 88],
  ['cache_read_tokens', { cache_read_tokens: { intValue: '4096' } }, {}, 4096],
  ['cache_creation_tokens', { cache_creation_tokens: { intValue: 512 } }, {}, 512],
  ['duration_ms', { duration_ms: '73' }, {}, 73],
  ['speed', { speed: 'fast' }, {}, 'fast'],
  ['effort', { effort: 'medium' }, {}, 'medium'],
  ['query_source', { query_source: 'general-purpose' }, {}, 'general-purpose'],
  ['status_code', { status_code: '429' }, {}, 429],
  ['attempt', { attempt: 3 }, {}, 3],
  ['tool_name', { tool_name: 'Read' }, {}, 'Read'],
  ['tool_success', { success: 'false' }, {}, false],
  ['tool_decision', { decision: 'accept' }, {}, 'accept'],
  ['decision_source', { decision_source: 'hook' }, {}, 'hook'],
  ['error_type', { error_type: 'permission_denied' }, {}, 'permission_denied'],
  ['skill_name', { 'skill.name': 'custom_skill' }, {}, 'custom_skill'],
  ['skill_source', { 'skill.source': 'project' }, {}, 'project'],
  ['invocation_trigger', { invocation_trigger: 'claude-proactive' }, {}, 'claude-proactive'],
  ['agent_name', { 'agent.name': 'reviewer' }, {}, 'reviewer'],
  ['subagent_type', { tool_name: 'Task', tool_parameters: '{"subagent_type":"Plan"}' }, {}, 'Plan'],
  ['mcp_server_name', { 'mcp_server.name': 'linear' }, {}, 'linear'],
  ['mcp_tool_name', { 'mcp_tool.name': 'list_issues' }, {}, 'list_issues'],
  ['plugin_name', { 'plugin.name': 'commit-kit' }, {}, 'commit-kit'],
  ['command_name', { command_name: '/compact' }, {}, '/compact'],
  ['prompt_length', { prompt_length: '512' }, {}, 512],
  ['api_provider', { 'anthropic.provider': 'firstParty' }, {}, 'firstParty'],
  ['ttft_ms', { ttft_ms: 412 }, {}, 412],
  ['cache_creation_5m_tokens', { cache_creation_5m_tokens: 300 }, {}, 300],
  ['cache_creation_1h_tokens', { cache_creation_1h_tokens: '40' }, {}, 40],
  ['agent_type', { agent_type: 'Explore' }, {}, 'Explore'],
  ['total_tokens', { total_tokens: 18_000 }, {}, 18_000],
  ['total_tool_uses', { total_tool_uses: 7 }, {}, 7],
  ['is_async', { is_async: true }, {}, true],
  ['final_model', { final_model: 'claude-haiku-4-5' }, {}, 'claude-haiku-4-5'],
  ['mcp_connection_server', { server_name: 'linear' }, {}, 'linear'],
  ['mcp_connection_status', { status: 'failed' }, {}, 'failed'],
  ['mcp_transport', { transport_type: 'stdio' }, {}, 'stdio'],
  ['total_attempts', { total_attempts: 11 }, {}, 11],
  ['total_retry_duration_ms', { total_retry_duration_ms: 61_000 }, {}, 61_000],
  ['tool_source', { tool_source: 'mcp' }, {}, 'mcp'],
  ['permission_mode', { permission_mode: 'bypassPermissions' }, {}, 'bypassPermissions'],
  ['tool_input_size_bytes', { tool_input_size_bytes: '120' }, {}, 120],
  ['tool_result_size_bytes', { tool_result_size_bytes: '4096' }, {}, 4096],
  ['command_source', { command_source: 'userSettings' }, {}, 'userSettings'],
  ['response_length', { response_length: 1800 }, {}, 1800],
  [
    'user_pseudonym',
    { 'user.id': 'f3a9c0' },
    {},
    `anon_${createHash('sha256').update('claude-otel-lake user.id\0f3a9c0').digest('hex').slice(0, 12)}`,
  ],
];

describe('every kept column', () => {
  /** The event a column is read on: its only event when restricted, else any (tool_result). */
  const eventOf = (column: string) =>
    (COLUMNS as readonly Column[]).find((c) => c.name === column)?.events?.[0] ?? 'tool_result';

  it.each(KEPT)('%s', (column, attributes, resource, expected) => {
    const event = eventOf(column);
    const r = row(attributes, resource, event);
    expect(r[column]).toEqual(expected);
    const extra = Object.keys(r).filter(
      (k) => !(k in BASE) && k !== column && k !== 'tool_name' && k !== 'event_name',
    );
    expect(extra).toEqual([]);
  });

  it.each(
    (COLUMNS as readonly Column[])
      .filter((c) => c.events)
      .map((c) => [c.name, c.events!.join(', ')] as const),
  )('%s is filled only on %s', (column) => {
    const entry = KEPT.find(([c]) => c === column)!;
    for (const other of ['tool_result', 'api_request', 'user_prompt', 'plugin_loaded', 'api_error']) {
      if (eventOf(column) === other) continue;
      expect(row(entry[1], entry[2], other)[column], `${column} on ${other}`).toBeUndefined();
    }
  });

  it('a real mcp_server_connection row: server, status and transport; a plugin_loaded status is not one', () => {
    const attributes = { server_name: 'tiny', status: 'failed', transport_type: 'stdio', duration_ms: '433' };
    expect(row(attributes, {}, 'mcp_server_connection')).toMatchObject({
      mcp_connection_server: 'tiny',
      mcp_connection_status: 'failed',
      mcp_transport: 'stdio',
    });
    expect(row({ status: 'enabled' }, {}, 'plugin_loaded').mcp_connection_status).toBeUndefined();
  });

  it('the table covers every column of the schema', () => {
    const tested = new Set(['event_time', 'event_name', 'event_id', 'prompt_kind', ...KEPT.map(([c]) => c)]);
    expect(COLUMNS.map((c) => c.name).filter((n) => !tested.has(n))).toEqual([]);
  });

  it('prompt_kind: derived from the prompt text of a user_prompt, the text never kept', () => {
    const kindOf = (attributes: Record<string, unknown>, body = 'claude_code.user_prompt') => {
      const outcome = sanitize(
        {
          body,
          attributes: { 'event.timestamp': T, ...attributes },
          resource: {},
          scopeName: null,
          timeMs: null,
        },
        envelope,
        { email: (e) => e },
      );
      expect(JSON.stringify(outcome)).not.toContain('SECRET');
      return outcome.kind === 'row' ? (outcome.row as Record<string, unknown>).prompt_kind : 'not a row';
    };
    expect(kindOf({ prompt: '<task-notification>SECRET</task-notification>' })).toBe('task_notification');
    expect(kindOf({ prompt_text: '  <task-notification>SECRET' })).toBe('task_notification');
    expect(kindOf({ prompt: 'SECRET typed text' })).toBe('typed');
    expect(kindOf({ prompt: '<REDACTED>', command_name: 'review' })).toBe('command');
    expect(kindOf({ prompt: '<REDACTED>' })).toBeUndefined();
    expect(kindOf({ prompt: 'SECRET' }, 'claude_code.tool_result')).toBeUndefined();
  });

  it('identity columns come from the timestamp, the body and the envelope', () => {
    expect(row({})).toEqual(BASE);
    expect(row({ 'event.timestamp': '2026-01-05T12:00:00.250+02:00' }).event_time).toBe(Date.parse(T));
    expect(row({ 'event.timestamp': '2026-01-05T10:00:00.250999999Z' }).event_time).toBe(Date.parse(T));
  });

  it('falls back through the sources in order, and the record attribute wins over the resource', () => {
    expect(row({ 'app.version': '2.1.1' }, { 'service.version': '2.1.0' }).app_version).toBe('2.1.1');
    expect(row({ 'user.plan': 'pro' }, { 'user.plan': 'max' }).user_plan).toBe('pro');
    expect(row({ 'user.plan': null }, { 'user.plan': 'max' }).user_plan).toBe('max');
    expect(row({ cost_usd_micros: 1500 }).cost_usd).toBe(0.0015);
    expect(row({ cost_usd: 'x', cost_usd_micros: '250000' }).cost_usd).toBe(0.25);
    expect(row({ decision_type: 'reject' }).tool_decision).toBe('reject');
    expect(row({ source: 'config' }).decision_source).toBe('config');
    expect(row({ tool_name: 'Skill', tool_parameters: '{"skill_name":"pdf"}' }).skill_name).toBe('pdf');
    expect(
      row({ 'skill.name': 'a', tool_name: 'Skill', tool_parameters: '{"skill_name":"b"}' }).skill_name,
    ).toBe('a');
    expect(
      row({ tool_name: 'mcp_tool', tool_parameters: '{"mcp_server_name":"s","mcp_tool_name":"t"}' }),
    ).toMatchObject({ mcp_server_name: 's', mcp_tool_name: 't' });
  });

  it('accepts string, number, boolean and OTLP AnyValue forms', () => {
    for (const v of [true, 'true', { boolValue: true }, { stringValue: 'true' }]) {
      expect(row({ success: v }).tool_success).toBe(true);
    }
    for (const v of [0.5, '0.5', { doubleValue: 0.5 }, { stringValue: '0.5' }]) {
      expect(row({ cost_usd: v }).cost_usd).toBe(0.5);
    }
    for (const v of [7, '7', { intValue: '7' }, { intValue: 7 }, { stringValue: '7' }, { doubleValue: 7 }]) {
      expect(row({ attempt: v }).attempt).toBe(7);
    }
    expect(row({ model: { stringValue: 'm' } }).model).toBe('m');
  });

  it('reads OTLP list-form attributes as well as flat maps', () => {
    const record = parseCloudWatchMessage(
      JSON.stringify({
        body: { stringValue: 'claude_code.api_request' },
        attributes: [
          { key: 'event.timestamp', value: { stringValue: T } },
          { key: 'input_tokens', value: { intValue: '12' } },
          { key: 'prompt', value: { stringValue: 'SECRET' } },
        ],
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
      }),
    )!;
    const outcome = sanitize(record, envelope, { email: (e) => e });
    expect(outcome).toEqual({
      kind: 'row',
      row: { ...BASE, event_name: 'api_request', service_name: 'claude-code', input_tokens: 12 },
    });
  });
});

/** Every key the issue names as dropped, plus raw bodies, hooks, settings and a future attribute. */
const DROPPED = [
  'prompt',
  'prompt_text',
  'tool_input',
  'error',
  'user.account_uuid',
  'user.account_id',
  'organization.id',
  'request_id',
  'client_request_id',
  'message.uuid',
  'tool_use_id',
  'workspace.host_paths',
  'vcs.repository.url.full',
  'vcs.ref.head.name',
  'vcs.ref.head.revision',
  'body',
  'request_body',
  'response_body',
  'hook_definitions',
  'managed_settings',
  'wsl.version',
  'claude_code.future_attribute',
];

describe('every dropped key', () => {
  it('user.id: the raw id is dropped and counted; only its pseudonym is kept', () => {
    const dropped = new DroppedKeyCounter();
    const outcome = run({ 'user.id': 'SECRET-id' }, { 'user.id': 'SECRET-id' }, dropped);
    expect(JSON.stringify(outcome)).not.toContain('SECRET');
    expect(outcome).toMatchObject({
      kind: 'row',
      row: { user_pseudonym: expect.stringMatching(/^anon_[0-9a-f]{12}$/) },
    });
    expect(dropped.toJSON()).toEqual({ 'user.id': 2 });
  });

  it.each(DROPPED)('%s: dropped from attributes and resource, counted by name', (key) => {
    const dropped = new DroppedKeyCounter();
    const secret = `SECRET-${key}-value`;
    const outcome = run({ [key]: secret }, { [key]: secret }, dropped);
    expect(outcome).toEqual({ kind: 'row', row: BASE });
    expect(JSON.stringify(outcome)).not.toContain('SECRET');
    expect(dropped.toJSON()).toEqual({ [key]: 2 });
  });

  it('tool_parameters never survives as such, only its allowed keys', () => {
    const r = row({ tool_name: 'Bash', tool_parameters: '{"bash_command":"rm -rf SECRET"}' });
    expect(r).toEqual({ ...BASE, tool_name: 'Bash' });
  });
});
