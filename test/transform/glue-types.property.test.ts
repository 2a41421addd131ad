import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_ATTRIBUTE_KEYS } from '../../functions/schema/allowlist.ts';
import { emailTransformer } from '../../functions/schema/email.ts';
import type { Reingester } from '../../functions/transform/reingest.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import { glueColumns } from '../../infra/constructs/catalog-defaults.ts';
import { eventOf, logEvent, outputRows } from '../helpers/cloudwatch.ts';

const noReingest: Reingester = {
  put: () => Promise.reject(new Error('no re-ingest expected')),
};
const options = { email: emailTransformer({ mode: 'keep' }), reingester: noReingest };

/**
 * What Firehose's OpenX JSON deserializer reads for each Glue type of the table the CDK stack
 * generates. Timestamps: `yyyy-MM-dd'T'HH:mm:ss[.S]'Z'` (Firehose guide, "Choose the JSON
 * deserializer"); we always write milliseconds.
 */
const OPENX_READS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  bigint: (v) => Number.isSafeInteger(v),
  double: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  timestamp: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v),
};

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string().map((stringValue) => ({ stringValue })),
  fc.oneof(fc.integer(), fc.string()).map((intValue) => ({ intValue })),
  fc.double().map((doubleValue) => ({ doubleValue })),
  fc.boolean().map((boolValue) => ({ boolValue })),
  fc.constantFrom('true', 'false', '1e308', '-1e-300', '9007199254740991', '2026-01-05T10:00:00.5+02:00'),
  fc
    .integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2101, 0, 1) })
    .map((ms) => new Date(ms).toISOString()),
);
const attributes = fc.dictionary(fc.constantFrom(...ALLOWED_ATTRIBUTE_KEYS), anyValue, { maxKeys: 30 });

describe('transform output against the Glue table the stack generates', () => {
  it('every key is a Glue column and every value has the JSON type OpenX reads for its Glue type', async () => {
    const glueType = new Map(glueColumns().map((c) => [c.name, c.type]));
    expect([...new Set(glueType.values())].sort()).toEqual(Object.keys(OPENX_READS).sort());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(attributes, attributes), { minLength: 1, maxLength: 5 }),
        async (events) => {
          const batch = eventOf(
            events.map(([attrs, resource]) =>
              logEvent({
                resource: { attributes: resource },
                body: 'claude_code.api_request',
                attributes: attrs,
              }),
            ),
          );
          const { response } = await transformBatch(batch, options);
          for (const record of response.records) {
            for (const row of outputRows(record)) {
              expect(row.event_time).toBeDefined();
              for (const [key, value] of Object.entries(row)) {
                const type = glueType.get(key);
                expect(type, `column ${key}`).toBeDefined();
                expect(OPENX_READS[type!]!(value), `${key} (${type}) = ${JSON.stringify(value)}`).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
