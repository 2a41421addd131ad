import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailTransformer } from '../../functions/schema/email.ts';
import type { Reingester } from '../../functions/transform/reingest.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import {
  dataMessage,
  encodeData,
  firehoseEvent,
  firehoseRecord,
  logEvent,
  outputRows,
} from '../helpers/cloudwatch.ts';
import { layoutMutation, mutateLayout } from '../helpers/payload-layouts.ts';

/**
 * The transform reads CloudWatch's own payload layout event by event and any other layout whole.
 * A layout that differs only after some events were read (whitespace between two events) is read
 * again whole: same rows, and each dropped key and unknown event counted once.
 */
const noReingest: Reingester = { put: () => Promise.reject(new Error('unexpected re-ingest')) };
const options = { email: emailTransformer({ mode: 'keep' }), reingester: noReingest };

/** Four events of one session, the third of an unknown kind. */
const eventsOf = (session: string) =>
  [1, 2, 3, 4].map((n) =>
    logEvent(
      {
        resource: { attributes: { 'service.name': 'claude-code', 'host.name': 'secret-host' } },
        body: n === 3 ? 'claude_code.future_event' : 'claude_code.api_request',
        attributes: {
          'event.timestamp': `2026-01-05T10:00:0${n}.000Z`,
          'session.id': session,
          cost_usd: `0.${n}`,
          prompt: 'private',
        },
      },
      { id: String(n) },
    ),
  );
const events = eventsOf('s1');

function headOf(payload: Record<string, unknown>): Record<string, unknown> {
  const { logEvents: _events, ...head } = payload;
  return head;
}

async function transformText(text: string) {
  const { response, log } = await transformBatch(firehoseEvent([firehoseRecord(encodeData(text))]), options);
  return { rows: response.records.flatMap(outputRows), log };
}

describe('payload layouts', () => {
  const compact = JSON.stringify(dataMessage(events));
  const layouts = {
    'whitespace between the third and fourth events': compact.replace('},{"id":"4"', '},\n {"id":"4"'),
    'pretty-printed': JSON.stringify(dataMessage(events), null, 2),
    'logEvents first': JSON.stringify({ logEvents: events, ...headOf(dataMessage(events)) }),
    'a key after logEvents': JSON.stringify({ ...dataMessage(events), extra: 1 }),
  };

  it.each(Object.entries(layouts))('%s: the same rows and counts as the compact layout', async (_, text) => {
    const expected = await transformText(compact);
    expect(expected.rows.map((r) => r.cost_usd)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(expected.log.droppedKeys).toEqual({ prompt: 4, 'host.name': 4 });
    expect(expected.log.unknownEvents).toEqual({ future_event: 1 });
    const got = await transformText(text);
    expect(got.rows).toStrictEqual(expected.rows);
    expect(got.log.droppedKeys).toEqual(expected.log.droppedKeys);
    expect(got.log.droppedKeysTotal).toBe(8);
    expect(got.log.unknownEvents).toEqual(expected.log.unknownEvents);
    expect(got.log.events).toEqual(expected.log.events);
  });

  it('a payload that is not JSON after its first events is a failed record, counted nowhere else', async () => {
    const broken = compact.replace('},{"id":"4"', '},{"id":4"');
    const { response, log } = await transformBatch(
      firehoseEvent([firehoseRecord(encodeData(broken))]),
      options,
    );
    expect(response.records[0]?.result).toBe('ProcessingFailed');
    expect(log.droppedKeysTotal).toBe(0);
  });

  it('any layout: the rows and counts of its JSON value, compact; not JSON: one failed record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(events, { minLength: 1 }), layoutMutation, async (chosen, m) => {
        const text = mutateLayout(dataMessage(chosen), m);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          const { response, log } = await transformBatch(
            firehoseEvent([firehoseRecord(encodeData(text))]),
            options,
          );
          expect(response.records[0]?.result).toBe('ProcessingFailed');
          expect(log.droppedKeysTotal).toBe(0);
          return;
        }
        const expected = await transformText(JSON.stringify(value));
        const got = await transformText(text);
        expect(got.rows).toStrictEqual(expected.rows);
        expect(got.log.droppedKeys).toEqual(expected.log.droppedKeys);
        expect(got.log.unknownEvents).toEqual(expected.log.unknownEvents);
        expect(got.log.records).toEqual(expected.log.records);
      }),
      { numRuns: 200 },
    );
  });

  it('a later messageType decides, as in JSON.parse', async () => {
    const text = compact.replace(/}$/, ',"messageType":"CONTROL_MESSAGE"}');
    const { response, log } = await transformBatch(
      firehoseEvent([firehoseRecord(encodeData(text))]),
      options,
    );
    expect(response.records[0]?.result).toBe('Dropped');
    expect(log.droppedKeysTotal).toBe(0);
  });

  // Session ids of three lengths: the rows read before a record is read again are not always
  // whole base64 groups, so a record that kept them would shift every later record's slice.
  it.each(['s1', 's12', 's123'])(
    'records of one invocation share one base64: each gets its own rows (%s)',
    async (session) => {
      const own = JSON.stringify(dataMessage(eventsOf(session)));
      const texts = [
        own.replace('},{"id":"4"', '},\n {"id":"4"'),
        own.replace('},{"id":"4"', '},{"id":4"'), // not JSON after three events: failed
        JSON.stringify(dataMessage(events.slice(0, 1))),
        compact,
      ];
      const { response } = await transformBatch(
        firehoseEvent(texts.map((t) => firehoseRecord(encodeData(t)))),
        options,
      );
      expect(response.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed', 'Ok', 'Ok']);
      for (const [i, text] of texts.entries()) {
        if (i === 1) continue;
        expect(outputRows(response.records[i]!)).toStrictEqual((await transformText(text)).rows);
      }
    },
  );
});
