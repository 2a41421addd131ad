import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecordInput } from '../../functions/otlp/log-record.ts';
import { ALLOWED_ATTRIBUTE_KEYS, sanitize } from '../../functions/schema/allowlist.ts';
import { COLUMNS, MAX_STRING_LENGTH } from '../../functions/schema/columns.ts';
import { DroppedKeyCounter } from '../../functions/schema/dropped-keys.ts';
import { emailTransformer, userIdPseudonymizer } from '../../functions/schema/email.ts';
import { fixtureRecords } from '../helpers/claude-code-fixtures.ts';

/** Any attribute map: allowlisted keys with values of any JSON or AnyValue shape, plus random keys. */
const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.string().map((s) => ({ stringValue: s })),
  fc.oneof(fc.integer(), fc.string()).map((v) => ({ intValue: v })),
  fc.double().map((d) => ({ doubleValue: d })),
  fc.constantFrom(
    'true',
    'false',
    'NaN',
    'Infinity',
    '-0',
    '1e999',
    '9007199254740993',
    '2026-01-05T10:00:00Z',
  ),
);
const allowed = fc.dictionary(fc.constantFrom(...ALLOWED_ATTRIBUTE_KEYS), anyValue, { maxKeys: 20 });
const random = fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 6 });

const TYPE_CHECK: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length <= MAX_STRING_LENGTH,
  bigint: (v) => Number.isSafeInteger(v),
  double: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  timestamp: (v) =>
    Number.isInteger(v) && (v as number) >= Date.UTC(2000, 0, 1) && (v as number) < Date.UTC(2100, 0, 1),
};

describe('sanitize, for any input', () => {
  it('never throws, keeps only schema columns of the right type, and counts every other key', () => {
    const types = new Map<string, string>(COLUMNS.map((c) => [c.name, c.type]));
    fc.assert(
      fc.property(allowed, random, allowed, random, fc.option(fc.integer()), (a1, r1, a2, r2, ts) => {
        const attributes = { ...r1, ...a1 };
        const resource = { ...r2, ...a2 };
        const record: LogRecordInput = {
          body: 'claude_code.api_request',
          attributes,
          resource,
          scopeName: null,
          timeMs: null,
        };
        const dropped = new DroppedKeyCounter();
        const outcome = sanitize(
          record,
          { id: 'e', timestampMs: ts },
          { email: emailTransformer({ mode: 'keep' }), dropped },
        );
        const expectedDropped =
          Object.keys(attributes).filter((k) => !ALLOWED_ATTRIBUTE_KEYS.has(k)).length +
          Object.keys(resource).filter((k) => !ALLOWED_ATTRIBUTE_KEYS.has(k)).length;
        expect(dropped.total).toBe(expectedDropped);
        if (outcome.kind !== 'row') {
          expect(outcome).toEqual({ kind: 'rejected', reason: 'no valid event time' });
          return;
        }
        for (const [key, value] of Object.entries(outcome.row)) {
          expect(types.has(key)).toBe(true);
          expect(TYPE_CHECK[types.get(key)!]!(value)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Real 2.1.328 records (test/fixtures/claude-code-2.1.328), each with what the allowlist made of it. */
const REAL = fixtureRecords().map(({ record }) => record);
const realOptions = () => ({
  email: emailTransformer({ mode: 'keep' }),
  pseudonym: userIdPseudonymizer({ mode: 'keep' }),
});
const sanitizeReal = (record: LogRecordInput) => sanitize(record, { id: 'e', timestampMs: 0 }, realOptions());
const secret = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `SECRET<${s}>`);

describe('sanitize, for real Claude Code 2.1.328 records changed at random', () => {
  it('a secret put in any attribute key the allowlist does not keep never reaches the row', () => {
    fc.assert(
      fc.property(fc.nat(REAL.length - 1), fc.nat(), secret, fc.boolean(), (i, k, text, inResource) => {
        const record = REAL[i]!;
        const map = inResource ? record.resource : record.attributes;
        const droppedKeys = Object.keys(map).filter((key) => !ALLOWED_ATTRIBUTE_KEYS.has(key));
        if (droppedKeys.length === 0) return;
        const key = droppedKeys[k % droppedKeys.length]!;
        const changed = { ...record, [inResource ? 'resource' : 'attributes']: { ...map, [key]: text } };
        const outcome = sanitizeReal(changed);
        expect(JSON.stringify(outcome)).not.toContain('SECRET<');
        // ...and the row is the same as without the change: a dropped key has no influence,
        // except the raw install id and the prompt text, which only derive the pseudonym and kind.
        if (key !== 'user.id' && key !== 'prompt' && key !== 'prompt_text') {
          expect(outcome).toEqual(sanitizeReal(record));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('new keys Claude Code might add (any name, any value) change nothing and are counted', () => {
    fc.assert(
      fc.property(fc.nat(REAL.length - 1), random, (i, extra) => {
        const record = REAL[i]!;
        const added = Object.fromEntries(
          Object.entries(extra).filter(
            ([key]) => !ALLOWED_ATTRIBUTE_KEYS.has(key) && !(key in record.attributes),
          ),
        );
        const dropped = new DroppedKeyCounter();
        const before = new DroppedKeyCounter();
        sanitize(record, { id: 'e', timestampMs: 0 }, { ...realOptions(), dropped: before });
        const outcome = sanitize(
          { ...record, attributes: { ...record.attributes, ...added } },
          { id: 'e', timestampMs: 0 },
          { ...realOptions(), dropped },
        );
        expect(outcome).toEqual(sanitizeReal(record));
        expect(dropped.total).toBe(before.total + Object.keys(added).length);
      }),
      { numRuns: 300 },
    );
  });
});
