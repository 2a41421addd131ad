import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecordInput } from '../../functions/otlp/log-record.ts';
import { ALLOWED_ATTRIBUTE_KEYS, sanitize } from '../../functions/schema/allowlist.ts';
import { emailTransformer } from '../../functions/schema/email.ts';
import { KNOWN_EVENT_NAMES } from '../../functions/schema/events.ts';
import { encodeRow } from '../../functions/transform/encode-row.ts';
import { sanitizeToJsonLine } from '../../functions/transform/json-line.ts';

/**
 * The Firehose path writes each row's JSON line straight from the allowlist's values; the local
 * path builds a row object. Both must be the same row: the line must be, byte for byte, what
 * JSON.stringify of the row gives (encodeRow), for any record, whatever its values hold.
 */
const allowed = [...ALLOWED_ATTRIBUTE_KEYS];
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    '"',
    '\\',
    '\u0000',
    '\u001f',
    '\u2028',
    '\ud800',
    '\udfff',
    '😀',
    'é',
    '</script>',
    '2026-01-05T10:00:00.250Z',
  ),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  text.map((s) => ({ stringValue: s })),
  fc.integer().map((n) => ({ intValue: String(n) })),
  fc.stringMatching(/^-?\d{1,20}(\.\d{1,5})?$/),
);
const attributes = fc.dictionary(fc.constantFrom(...allowed, 'prompt', 'other'), value, { maxKeys: 25 });
const record = fc.record({
  name: fc.constantFrom(...KNOWN_EVENT_NAMES, 'future_event', 'BAD NAME'),
  attributes,
  resource: attributes,
  timeMs: fc.oneof(fc.constant(null), fc.integer({ min: 946_684_800_000, max: 4_102_444_799_999 })),
  timestamp: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 4_102_444_799_999 })),
  eventTime: fc.oneof(fc.constant(undefined), fc.constant('2026-01-05T10:00:00.250Z'), text),
});

describe('the JSON line of a record', () => {
  it('is exactly encodeRow of the row sanitize gives, or the same miss', () => {
    const options = { email: emailTransformer({ mode: 'local-part' }) };
    fc.assert(
      fc.property(record, (r) => {
        const input: LogRecordInput = {
          body: `claude_code.${r.name}`,
          attributes:
            r.eventTime === undefined ? r.attributes : { ...r.attributes, 'event.timestamp': r.eventTime },
          resource: r.resource,
          scopeName: null,
          timeMs: r.timeMs,
        };
        const envelope = { id: '1', timestampMs: r.timestamp };
        const outcome = sanitize(input, envelope, options);
        const line = sanitizeToJsonLine(input, envelope, options);
        if (outcome.kind === 'row') expect(`${line}\n`).toBe(encodeRow(outcome.row));
        else expect(line).toStrictEqual(outcome);
      }),
      { numRuns: 2000 },
    );
  });
});
