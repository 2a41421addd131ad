import { describe, expect, it } from 'vitest';
import type { LogRecordInput } from '../../functions/otlp/log-record.ts';
import { sanitize } from '../../functions/schema/allowlist.ts';
import { emailTransformer } from '../../functions/schema/email.ts';
import { eventKey } from '../../functions/schema/event-key.ts';
import { expectedEventKey } from '../helpers/event-key.ts';

/** The de-duplication key (event_id): equal for the same event, different for different ones. */

const T = '2026-01-05T10:00:00.250Z';
const IDENTITY = {
  'event.timestamp': T,
  'user.id': 'SECRET-install-id',
  'session.id': 'sess-1',
  'event.sequence': 7,
  'prompt.id': 'p-1',
};

const record = (attributes: Record<string, unknown>, over: Partial<LogRecordInput> = {}): LogRecordInput => ({
  body: 'claude_code.api_request',
  attributes,
  resource: { 'service.name': 'claude-code' },
  scopeName: null,
  timeMs: null,
  ...over,
});

const keep = { email: emailTransformer({ mode: 'keep' }) };
const idOf = (r: LogRecordInput, transportMs: number | null = 1) => {
  const outcome = sanitize(r, { id: 'cw-id', timestampMs: transportMs }, keep);
  if (outcome.kind !== 'row') throw new Error(outcome.kind);
  return outcome.row.event_id;
};

describe('event key', () => {
  it('is the documented hash of the identity, computed independently from the message', () => {
    const attributes = { ...IDENTITY, cost_usd: 0.5 };
    expect(idOf(record(attributes))).toBe(expectedEventKey({ body: 'claude_code.api_request', attributes }));
  });

  it('is the same for the same event sent twice, whatever the transport id, receive time or encoding', () => {
    const flat = record({ ...IDENTITY });
    const wrapped = record({
      ...IDENTITY,
      'session.id': { stringValue: 'sess-1' },
      'event.sequence': { intValue: '7' },
    });
    const withTime = record({ ...IDENTITY }, { timeMs: Date.parse(T) });
    expect(new Set([idOf(flat, 1), idOf(flat, 2), idOf(wrapped, 3), idOf(withTime, 4)]).size).toBe(1);
  });

  it('differs when any identity field differs (sequence restarts per process; a resumed session keeps its id)', () => {
    const base = idOf(record({ ...IDENTITY }));
    const variants = [
      { 'event.timestamp': '2026-01-05T10:00:00.251Z' },
      { 'user.id': 'other-install' },
      { 'session.id': 'sess-2' },
      { 'event.sequence': 8 },
      { 'prompt.id': 'p-2' },
      { 'message.uuid': 'm-1' },
      { tool_use_id: 'toolu_1' },
      { agent_id: 'a-1' },
    ];
    const keys = variants.map((v) => idOf(record({ ...IDENTITY, ...v })));
    const renamed = idOf(record({ ...IDENTITY }, { body: 'claude_code.api_error' }));
    expect(new Set([base, ...keys, renamed]).size).toBe(variants.length + 2);
  });

  it('falls back to the transport time only when the record has no time of its own', () => {
    const { 'event.timestamp': _t, ...timeless } = IDENTITY;
    const at = Date.parse(T);
    expect(idOf(record(timeless), at)).not.toBe(idOf(record(timeless), at + 1));
    expect(eventKey(record(timeless), 'api_request', null)).toBe(
      eventKey(record(timeless), 'api_request', null),
    );
  });

  it('never stores the raw user.id', () => {
    const outcome = sanitize(record({ ...IDENTITY }), { timestampMs: 1 }, keep);
    expect(JSON.stringify(outcome)).not.toContain('SECRET');
  });
});
