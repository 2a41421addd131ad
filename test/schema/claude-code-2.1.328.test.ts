import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sanitize } from '../../functions/schema/allowlist.ts';
import { DroppedKeyCounter } from '../../functions/schema/dropped-keys.ts';
import { type EmailPolicy, emailTransformer, userIdPseudonymizer } from '../../functions/schema/email.ts';
import { KNOWN_EVENT_NAMES } from '../../functions/schema/events.ts';
import {
  attr,
  eventNameOf,
  FIXTURE_ROOT,
  fixtureRecords,
  PLANTED_SECRET_PREFIX,
} from '../helpers/claude-code-fixtures.ts';

/**
 * The allowlist on real Claude Code 2.1.328 payloads (JSON and protobuf, captured by the
 * real-client suite with every content flag on): field by field for the columns added for it,
 * and nothing private in any row.
 */
const records = fixtureRecords();
const KEY = 'fixture-hmac-key-0123456789';

function rowsUnder(policy: EmailPolicy) {
  const dropped = new DroppedKeyCounter();
  const unknownEvents = new DroppedKeyCounter();
  const options = {
    email: emailTransformer(policy),
    pseudonym: userIdPseudonymizer(policy),
    dropped,
    unknownEvents,
  };
  const rows = records.map(({ record }, i) => {
    const outcome = sanitize(record, { id: `f-${i}`, timestampMs: 0 }, options);
    if (outcome.kind !== 'row') throw new Error(`record ${i} was ${outcome.kind}: ${outcome.reason}`);
    return outcome.row as Record<string, unknown>;
  });
  return { rows, dropped: dropped.toJSON(), unknownEvents: unknownEvents.toJSON() };
}

const { rows, dropped, unknownEvents } = rowsUnder({ mode: 'keep' });
const pairs = records.map((r, i) => ({ record: r.record, event: eventNameOf(r.record), row: rows[i]! }));
const of = (event: string) => pairs.filter((p) => p.event === event);
const asNumber = (v: unknown) => (v === undefined ? undefined : Number(v));

describe('Claude Code 2.1.328 fixtures through the allowlist', () => {
  it('hold both encodings and every event name 2.1.328 sends, all known to the schema', () => {
    expect(new Set(records.map((r) => r.encoding))).toEqual(new Set(['json', 'protobuf']));
    expect(unknownEvents).toEqual({});
    for (const { event } of pairs) expect(KNOWN_EVENT_NAMES.has(event), event).toBe(true);
    expect(new Set(pairs.map((p) => p.event)).size).toBeGreaterThanOrEqual(13);
  });

  it('keep no planted secret, no raw install id and no path in any row', () => {
    const text = JSON.stringify(rows);
    expect(text).not.toContain(PLANTED_SECRET_PREFIX);
    expect(text).not.toContain(FIXTURE_ROOT);
    for (const { record } of pairs) expect(text).not.toContain(String(attr(record, 'user.id')));
    // ...although the records carry them: the test would see a leak.
    expect(JSON.stringify(records)).toContain(PLANTED_SECRET_PREFIX);
  });

  it('drop the content keys by name, and count them', () => {
    for (const key of [
      'user.id',
      'prompt',
      'prompt_text',
      'response',
      'tool_input',
      'error',
      'tool_use_id',
      'agent_id',
    ]) {
      expect(dropped[key], key).toBeGreaterThan(0);
    }
    expect(dropped['user.id']).toBe(records.length);
  });

  it('user_pseudonym: anon_ + 12 hex of the install id, HMAC with the key under the hmac policy', () => {
    const hmac = rowsUnder({ mode: 'hmac', key: KEY }).rows;
    for (const [i, { record, row }] of pairs.entries()) {
      const id = String(attr(record, 'user.id'));
      const plain = createHash('sha256').update(`claude-otel-lake user.id\0${id}`).digest('hex').slice(0, 12);
      const keyed = createHmac('sha256', KEY).update(`user.id\0${id}`).digest('hex').slice(0, 12);
      expect(row.user_pseudonym).toBe(`anon_${plain}`);
      expect(hmac[i]!.user_pseudonym).toBe(`anon_${keyed}`);
    }
    expect(new Set(rows.map((r) => r.user_pseudonym)).size).toBe(3);
  });

  it('api_request: ttft, 5-minute and 1-hour cache writes, provider, as sent', () => {
    expect(of('api_request').length).toBeGreaterThan(0);
    for (const { record, row } of of('api_request')) {
      expect(row.ttft_ms).toBe(asNumber(attr(record, 'ttft_ms')));
      expect(row.cache_creation_5m_tokens).toBe(asNumber(attr(record, 'cache_creation_5m_tokens')));
      expect(row.cache_creation_1h_tokens).toBe(asNumber(attr(record, 'cache_creation_1h_tokens')));
      expect(row.api_provider).toBe(attr(record, 'anthropic.provider'));
      expect(row.cost_usd).toBe(attr(record, 'cost_usd'));
    }
  });

  it('subagent_completed: type, tokens, tool uses, async, final model', () => {
    expect(of('subagent_completed').length).toBeGreaterThan(0);
    for (const { record, row } of of('subagent_completed')) {
      expect(row).toMatchObject({
        agent_type: attr(record, 'agent_type'),
        total_tokens: asNumber(attr(record, 'total_tokens')),
        total_tool_uses: asNumber(attr(record, 'total_tool_uses')),
        is_async: attr(record, 'is_async'),
        final_model: attr(record, 'final_model'),
      });
    }
  });

  it('mcp_server_connection: server, status, transport; no other event fills them', () => {
    expect(
      of('mcp_server_connection')
        .map((p) => p.row.mcp_connection_status)
        .sort(),
    ).toEqual(['connected', 'disconnected', 'failed']);
    for (const { record, row } of of('mcp_server_connection')) {
      expect(row).toMatchObject({
        mcp_connection_server: attr(record, 'server_name'),
        mcp_connection_status: attr(record, 'status'),
        mcp_transport: attr(record, 'transport_type'),
      });
    }
    for (const { event, row } of pairs) {
      if (event === 'mcp_server_connection') continue;
      expect([row.mcp_connection_server, row.mcp_connection_status, row.mcp_transport]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
    }
  });

  it('api_retries_exhausted: attempts and time spent retrying', () => {
    const [exhausted] = of('api_retries_exhausted');
    expect(exhausted!.row.total_attempts).toBe(asNumber(attr(exhausted!.record, 'total_attempts')));
    expect(exhausted!.row.total_retry_duration_ms).toBe(
      asNumber(attr(exhausted!.record, 'total_retry_duration_ms')),
    );
    expect(exhausted!.row.status_code).toBe(500);
  });

  it('tools: source, permission mode, input and result sizes (sent as strings)', () => {
    for (const { record, row } of of('tool_decision')) {
      expect(row.tool_source).toBe(attr(record, 'tool_source'));
      expect(row.permission_mode).toBe(attr(record, 'permission_mode'));
    }
    expect(new Set(of('tool_decision').map((p) => p.row.permission_mode))).toEqual(
      new Set(['default', 'acceptEdits']),
    );
    for (const { record, row } of of('tool_result')) {
      expect(row.tool_input_size_bytes).toBe(asNumber(attr(record, 'tool_input_size_bytes')));
      expect(row.tool_result_size_bytes).toBe(asNumber(attr(record, 'tool_result_size_bytes')));
    }
    expect(of('tool_result').some((p) => p.row.tool_success === false)).toBe(true);
  });

  it('user_prompt: kind from the text (typed, typed /skill, task notification), command source', () => {
    const kinds = of('user_prompt').map(({ record, row }) => {
      const text = String(attr(record, 'prompt'));
      const expected = text.startsWith('<task-notification>')
        ? 'task_notification'
        : attr(record, 'command_name')
          ? 'command'
          : 'typed';
      expect(row.prompt_kind).toBe(expected);
      expect(row.command_source).toBe(attr(record, 'command_source'));
      expect(row.prompt_length).toBe(asNumber(attr(record, 'prompt_length')));
      return expected;
    });
    expect(new Set(kinds)).toEqual(new Set(['typed', 'command', 'task_notification']));
    const typedSkill = of('user_prompt').find((p) => p.row.prompt_kind === 'command')!;
    expect(typedSkill.row).toMatchObject({ command_name: 'greet', command_source: 'custom' });
  });

  it('assistant_response: the length, never the text', () => {
    for (const { record, row } of of('assistant_response')) {
      expect(row.response_length).toBe(asNumber(attr(record, 'response_length')));
      expect(JSON.stringify(row)).not.toContain(String(attr(record, 'response')));
    }
  });

  it('skills: every activation fires skill_activated (user-slash, claude-proactive, nested-skill; project-local too)', () => {
    const activations = of('skill_activated').map((p) => [
      p.row.skill_name,
      p.row.invocation_trigger,
      p.row.skill_source,
    ]);
    expect(activations).toEqual(
      expect.arrayContaining([
        ['greet', 'claude-proactive', 'userSettings'],
        ['local-notes', 'nested-skill', 'projectSettings'],
        ['greet', 'user-slash', 'userSettings'],
      ]),
    );
  });
});
