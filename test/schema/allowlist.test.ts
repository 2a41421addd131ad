import { describe, expect, it } from 'vitest';
import type { LogRecordInput } from '../../functions/otlp/log-record.ts';
import { ALLOWED_ATTRIBUTE_KEYS, sanitize } from '../../functions/schema/allowlist.ts';
import { DroppedKeyCounter } from '../../functions/schema/dropped-keys.ts';
import { emailTransformer } from '../../functions/schema/email.ts';

const keep = { email: emailTransformer({ mode: 'keep' }) };
const envelope = { id: 'ev-1', timestampMs: Date.UTC(2026, 0, 5, 12) };

function record(
  attributes: Record<string, unknown>,
  body: unknown = 'claude_code.api_request',
): LogRecordInput {
  return { body, attributes, resource: { 'service.name': 'claude-code' }, scopeName: null, timeMs: null };
}

describe('sanitize', () => {
  it('keeps allowlisted attributes, coerced, and drops the rest', () => {
    const dropped = new DroppedKeyCounter();
    const outcome = sanitize(
      record({
        'event.timestamp': '2026-01-05T10:00:00.250Z',
        model: 'claude-sonnet-4-5',
        cost_usd: '0.3264025',
        input_tokens: '3',
        prompt: 'SECRET',
        'user.id': 'SECRET',
      }),
      envelope,
      { ...keep, dropped },
    );
    expect(outcome).toEqual({
      kind: 'row',
      row: {
        event_time: Date.UTC(2026, 0, 5, 10, 0, 0, 250),
        event_name: 'api_request',
        event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        service_name: 'claude-code',
        model: 'claude-sonnet-4-5',
        cost_usd: 0.3264025,
        input_tokens: 3,
        user_pseudonym: expect.stringMatching(/^anon_[0-9a-f]{12}$/),
      },
    });
    expect(dropped.toJSON()).toEqual({ prompt: 1, 'user.id': 1 });
  });

  it('skips records that are not Claude Code events and rejects invalid event names', () => {
    expect(sanitize(record({}, 'GET /health 200'), envelope, keep).kind).toBe('skipped');
    expect(sanitize(record({}, 'claude_code.<script>'), envelope, keep)).toEqual({
      kind: 'rejected',
      reason: 'invalid event name',
    });
  });

  it('falls back from event.timestamp to the record time to the envelope time', () => {
    const bad = record({ 'event.timestamp': 'yesterday' });
    expect(sanitize(bad, envelope, keep)).toMatchObject({ row: { event_time: envelope.timestampMs } });
    expect(sanitize({ ...bad, timeMs: 1_767_000_000_000 }, envelope, keep)).toMatchObject({
      row: { event_time: 1_767_000_000_000 },
    });
  });

  it('reads no key that could collide with Object.prototype', () => {
    for (const key of ALLOWED_ATTRIBUTE_KEYS) expect(key in Object.prototype).toBe(false);
  });
});
