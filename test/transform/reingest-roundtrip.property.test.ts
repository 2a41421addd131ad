import type { FirehoseTransformationEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailTransformer } from '../../functions/schema/email.ts';
import type { Reingester } from '../../functions/transform/reingest.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import {
  controlMessage,
  dataMessage,
  encodeData,
  firehoseEvent,
  firehoseRecord,
  logEvent,
  outputRows,
  stringAttributeKeys,
} from '../helpers/cloudwatch.ts';
import { expectedEventKey } from '../helpers/event-key.ts';

const email = emailTransformer({ mode: 'keep' });

/** Captures what would be put back into the stream; the next "invocation" reads it. */
function capturingReingester(): Reingester & { taken(): Uint8Array[] } {
  let pending: Uint8Array[] = [];
  return {
    async put(_arn, records) {
      pending.push(...records);
      return { records: records.length, bytes: 0, calls: 1 };
    },
    taken() {
      const out = pending;
      pending = [];
      return out;
    },
  };
}

/** The widest row: every string column the schema has, at its 256-character cap. */
const WIDE = Object.fromEntries(
  stringAttributeKeys().map((key, i) => [key, String.fromCharCode(97 + (i % 26)).repeat(256)]),
);

type Kind = 'row' | 'foreign' | 'garbage';
const eventKinds = fc.array(fc.constantFrom<Kind>('row', 'row', 'row', 'foreign', 'garbage'), {
  minLength: 1,
  maxLength: 12,
});
const recordSpec = fc.oneof(
  { weight: 6, arbitrary: eventKinds.map((kinds) => ({ type: 'data' as const, kinds })) },
  { weight: 1, arbitrary: fc.constant({ type: 'control' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'bad' as const }) },
);

describe('re-ingest and split, for any batch and budget', () => {
  it('answers every recordId once, in order, and every Claude Code event ends as exactly one row', async () => {
    const seen = { reingested: 0, split: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordSpec, { minLength: 1, maxLength: 8 }),
        // Budgets of ~4 to ~25 rows: overflow and splits happen, yet one row plus the fixed
        // overhead of a batch (every entry's id and status) always fits, as at the real 6 MB.
        fc.integer({ min: 30_000, max: 200_000 }),
        async (specs, budgetBytes) => {
          const expectedRows = new Set<string>();
          const records = specs.map((spec) => {
            if (spec.type === 'control') return firehoseRecord(encodeData(controlMessage()));
            if (spec.type === 'bad') return firehoseRecord('bm90IGd6aXA=');
            const events = spec.kinds.map((kind) => {
              if (kind === 'garbage') return logEvent('not json');
              if (kind === 'foreign') return logEvent({ body: 'some other app', attributes: {} });
              // A distinct event.sequence per event: identical records would share one event key.
              const message = {
                body: 'claude_code.api_request',
                attributes: {
                  ...WIDE,
                  'event.timestamp': '2026-01-05T10:00:00.250Z',
                  'event.sequence': expectedRows.size,
                },
              };
              const e = logEvent(message);
              expectedRows.add(expectedEventKey(message));
              return e;
            });
            return firehoseRecord(encodeData(dataMessage(events)));
          });
          const reingester = capturingReingester();
          const rows: string[] = [];
          const badRecords = specs.filter((s) => s.type === 'bad').length;
          let event: FirehoseTransformationEvent = firehoseEvent(records);
          for (let round = 0; round < 50 && event.records.length > 0; round++) {
            const { response, log } = await transformBatch(event, { email, reingester, budgetBytes });
            expect(response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
            for (const r of response.records) {
              expect(['Ok', 'Dropped', 'ProcessingFailed']).toContain(r.result);
              if (r.result === 'Ok') rows.push(...outputRows(r).map((row) => row.event_id as string));
              else expect(r.data).toBe('');
            }
            seen.reingested += log.records.reingested;
            seen.split += log.records.split;
            expect(log.records.in).toBe(log.records.ok + log.records.dropped + log.records.failed);
            expect(log.events.in).toBe(
              log.events.rows + log.events.skipped + log.events.rejected + log.events.deferred,
            );
            // Only undecodable records fail: a single row always fits, so none is too large.
            const failed = response.records.filter((r) => r.result === 'ProcessingFailed').length;
            expect(failed).toBe(round === 0 ? badRecords : 0);
            event = firehoseEvent(
              reingester.taken().map((d) => firehoseRecord(Buffer.from(d).toString('base64'))),
            );
          }
          expect(event.records).toEqual([]);
          // Every Claude Code event became exactly one row, across all rounds.
          expect(rows.sort()).toEqual([...expectedRows].sort());
        },
      ),
      { numRuns: 150 },
    );
    // The property exercised both overflow paths, not only the happy one.
    expect(seen.reingested).toBeGreaterThan(0);
    expect(seen.split).toBeGreaterThan(0);
  });
});
