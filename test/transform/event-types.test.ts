import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../functions/schema/columns.ts';
import { emailTransformer } from '../../functions/schema/email.ts';
import type { Reingester } from '../../functions/transform/reingest.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import { eventOf, logEvent, outputRows, outputText, type StoredMessage } from '../helpers/cloudwatch.ts';
import { expectedEventKey } from '../helpers/event-key.ts';

const noReingest: Reingester = {
  put: () => Promise.reject(new Error('nothing should be re-ingested here')),
};
const options = { email: emailTransformer({ mode: 'keep' }), reingester: noReingest };

const fixture = (version: string): StoredMessage[] =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/cloudwatch/claude-code-${version}.json`, import.meta.url), 'utf8'),
  );

/** What every fixture event carries: the standard attributes and the resource, as columns. */
function standard(version: string, index: number, name: string, id: string): Record<string, unknown> {
  return {
    event_time: `2026-01-05T10:00:${String(index).padStart(2, '0')}.250Z`,
    event_name: name,
    event_id: id,
    event_sequence: 40 + index,
    session_id: 'b7c2e0a4-1f7d-4c55-9a51-2f0c9e7d3a10',
    prompt_id: '5d2f7a3c-88a1-4f0e-b3f1-6c0e2d9a7b44',
    user_email: 'dev.one@example.com',
    user_plan: 'team',
    service_name: 'claude-code',
    app_version: version,
    terminal_type: 'vscode',
    os_type: 'darwin',
    os_version: '24.1.0',
    host_arch: 'arm64',
    // user.id is 'SECRET-install-id' in both fixtures: only its pseudonym is kept.
    user_pseudonym: `anon_${createHash('sha256').update('claude-otel-lake user.id\0SECRET-install-id').digest('hex').slice(0, 12)}`,
  };
}

/** The columns each fixture event adds to the standard ones, identical in both encodings. */
const SPECIFIC: readonly [string, Record<string, unknown>][] = [
  [
    'user_prompt',
    { command_name: '/review', prompt_length: 42, prompt_kind: 'command', command_source: 'builtin' },
  ],
  [
    'api_request',
    {
      model: 'claude-sonnet-4-5',
      cost_usd: 0.3264025,
      input_tokens: 3,
      output_tokens: 512,
      cache_read_tokens: 20480,
      cache_creation_tokens: 1024,
      duration_ms: 5123,
      speed: 'normal',
      effort: 'high',
      query_source: 'repl_main_thread',
      skill_name: 'pdf',
      agent_name: 'reviewer',
      mcp_server_name: 'github',
      mcp_tool_name: 'create_issue',
      plugin_name: 'docs-kit',
    },
  ],
  [
    'api_request',
    {
      model: 'claude-haiku-4-5',
      cost_usd: 0,
      input_tokens: 10,
      output_tokens: 0,
      cache_read_tokens: 0,
      cache_creation_tokens: 0,
      duration_ms: 800,
      query_source: 'Explore',
    },
  ],
  ['api_error', { model: 'claude-sonnet-4-5', status_code: 529, duration_ms: 1200, attempt: 2 }],
  [
    'tool_result',
    {
      tool_name: 'Bash',
      tool_success: true,
      duration_ms: 88,
      tool_decision: 'accept',
      decision_source: 'config',
    },
  ],
  [
    'tool_result',
    {
      tool_name: 'Agent',
      tool_success: false,
      duration_ms: 15000,
      error_type: 'timeout',
      tool_decision: 'accept',
      decision_source: 'user_temporary',
      subagent_type: 'Explore',
    },
  ],
  [
    'tool_result',
    {
      tool_name: 'mcp_tool',
      tool_success: true,
      duration_ms: 240,
      tool_decision: 'accept',
      decision_source: 'config',
      mcp_server_name: 'github',
      mcp_tool_name: 'create_issue',
    },
  ],
  ['tool_result', { tool_name: 'Skill', tool_success: true, duration_ms: 12, skill_name: 'release-notes' }],
  [
    'tool_decision',
    { tool_name: 'Edit', tool_decision: 'reject', decision_source: 'user_temporary', tool_source: 'builtin' },
  ],
  ['skill_activated', { skill_name: 'pdf', skill_source: 'plugin', invocation_trigger: 'user-slash' }],
  ['api_request_body', { model: 'claude-sonnet-4-5' }],
  [
    'mcp_server_connection',
    { mcp_server_name: 'github', mcp_connection_status: 'connected', mcp_transport: 'stdio' },
  ],
  ['hook_execution_complete', { duration_ms: 31 }],
];

describe.each(['2.1.121', '2.1.122'])('every event type, Claude Code %s encoding', (version) => {
  const messages = fixture(version);
  const events = messages.map((m) => logEvent(m));
  const run = () => transformBatch(eventOf(events), options);

  it('gives exactly the expected row for each event', async () => {
    const { response } = await run();
    expect(response.records).toHaveLength(1);
    expect(response.records[0]!.result).toBe('Ok');
    const expected = SPECIFIC.map(([name, columns], i) => ({
      ...standard(version, i, name, expectedEventKey(messages[i]!)),
      ...columns,
    }));
    expect(outputRows(response.records[0]!)).toEqual(expected);
  });

  it('writes keys in schema order, event_time as ISO UTC with ms, one newline-terminated object per event', async () => {
    const { response } = await run();
    const text = outputText(response.records);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(messages.length);
    const order = COLUMNS.map((c) => c.name as string);
    for (const line of lines) {
      const keys = Object.keys(JSON.parse(line));
      expect(keys).toEqual(order.filter((k) => keys.includes(k)));
    }
    expect(lines[0]).toBe(
      `{"event_time":"2026-01-05T10:00:00.250Z","event_name":"user_prompt","event_id":"${expectedEventKey(messages[0]!)}",` +
        `"event_sequence":40,"session_id":"b7c2e0a4-1f7d-4c55-9a51-2f0c9e7d3a10",` +
        `"prompt_id":"5d2f7a3c-88a1-4f0e-b3f1-6c0e2d9a7b44","user_email":"dev.one@example.com",` +
        `"user_plan":"team","service_name":"claude-code","app_version":"${version}","terminal_type":"vscode",` +
        `"os_type":"darwin","os_version":"24.1.0","host_arch":"arm64","command_name":"/review","prompt_length":42,` +
        `"user_pseudonym":"${standard(version, 0, '', '').user_pseudonym}","prompt_kind":"command","command_source":"builtin"}`,
    );
  });

  it('lets no private value of the fixtures through, and logs the dropped keys by name', async () => {
    const { response, log } = await run();
    expect(outputText(response.records)).not.toMatch(/SECRET|REDACTED|req_|toolu_/);
    expect(log.events).toEqual({
      in: messages.length,
      rows: messages.length,
      skipped: 0,
      rejected: 0,
      deferred: 0,
    });
    const n = messages.length;
    expect(log.droppedKeys).toMatchObject({
      'organization.id': n,
      'user.account_uuid': n,
      'user.account_id': n,
      'user.id': n,
      'workspace.host_paths': n,
      'vcs.repository.url.full': n,
      'vcs.ref.head.name': n,
      'wsl.version': n,
      prompt: 1,
      prompt_text: 1,
      request_id: 4,
      client_request_id: 1,
      'message.uuid': 1,
      tool_input: 1,
      tool_use_id: 2,
      error: 3,
      body: 1,
      hook_definitions: 1,
    });
    expect(JSON.stringify(log)).not.toMatch(/SECRET|REDACTED/);
  });
});
