import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EventLayoutMismatch,
  parsePayloadByEvent,
  splitPayload,
} from '../../functions/otlp/cloudwatch-split.ts';
import { dataMessage } from '../helpers/cloudwatch.ts';
import { layoutMutation, mutateLayout } from '../helpers/payload-layouts.ts';

/**
 * Reading a CloudWatch payload event by event must give exactly what JSON.parse of the whole
 * gives, or nothing (the caller then parses it whole): for CloudWatch's own layout with hostile
 * messages, and for every other layout, mutated at random.
 */

/** Text that tries to look like the structure the split looks for. */
const tricky = fc.constantFrom(
  '},{"id":"',
  '"logEvents":[',
  ']}',
  '\\"},{\\"id\\":\\"',
  '\\',
  '"',
  '😀',
  '\u0000',
  '\ud800',
  'é',
);
const messageText = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), tricky), { maxLength: 8 })
  .map((parts) => parts.join(''));
const message = fc.oneof(
  messageText,
  messageText.map((text) => JSON.stringify({ body: 'claude_code.api_request', attributes: { text } })),
);
const events = fc.array(
  fc.record({
    id: fc.stringMatching(/^[0-9]{1,56}$/),
    timestamp: fc.integer({ min: 0, max: 2 ** 42 }),
    message,
  }),
  { maxLength: 6 },
);

function parsed(text: string): unknown {
  return JSON.parse(Buffer.from(text, 'utf8').toString('utf8'));
}

describe('CloudWatch payloads read event by event', () => {
  it("gives JSON.parse's value for CloudWatch's own layout, whatever the messages hold", () => {
    fc.assert(
      fc.property(events, (logEvents) => {
        const text = JSON.stringify(dataMessage(logEvents));
        const byEvent = parsePayloadByEvent(Buffer.from(text, 'utf8'));
        expect(byEvent).not.toBeNull();
        expect(byEvent).toStrictEqual(parsed(text));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same value or nothing for any other layout, valid JSON or not', () => {
    fc.assert(
      fc.property(events, layoutMutation, (logEvents, m) => {
        const text = mutateLayout(dataMessage(logEvents), m);
        const byEvent = parsePayloadByEvent(Buffer.from(text, 'utf8'));
        let whole: unknown;
        try {
          whole = parsed(text);
        } catch {
          expect(byEvent).toBeNull();
          return;
        }
        if (byEvent !== null) expect(byEvent).toStrictEqual(whole);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads events one at a time and says when a piece is not one event', () => {
    const one = { id: '1', timestamp: 1, message: 'a' };
    const two = { id: '2', timestamp: 2, message: 'b' };
    const three = { id: '3', timestamp: 3, message: 'c' };
    const text = JSON.stringify(dataMessage([one, two, three])).replace('},{"id":"3"', '}, {"id":"3"');
    const pieces = splitPayload(Buffer.from(text));
    expect(pieces?.eventCount).toBe(2);
    expect(pieces?.head).toMatchObject({
      messageType: 'DATA_MESSAGE',
      logGroup: '/claude-code/otel',
      logEvents: [],
    });
    expect(pieces?.event(0)).toStrictEqual(one);
    expect(() => pieces?.event(1)).toThrow(EventLayoutMismatch);
    expect(parsePayloadByEvent(Buffer.from(text))).toBeNull();
  });

  it('keeps an empty event list and a payload with no events at all apart', () => {
    expect(parsePayloadByEvent(Buffer.from(JSON.stringify(dataMessage([]))))).toStrictEqual(dataMessage([]));
    expect(parsePayloadByEvent(Buffer.from('{"messageType":"DATA_MESSAGE"}'))).toBeNull();
  });

  it("reads AWS's own published subscription payload event by event", () => {
    // The `awslogs.data` sample of AWS's CloudWatch Logs Lambda event, byte for byte.
    const data =
      'H4sIAAAAAAAAAHWPwQqCQBCGX0Xm7EFtK+smZBEUgXoLCdMhFtKV3akI8d0bLYmibvPPN3wz00CJxmQnTO41whwWQRIctmEcB6sQbFC3CjW3XW8kxpOpP+OC22d1Wml1qZkQGtoMsScxaczKN3plG8zlaHIta5KqWsozoTYw3/djzwhpLwivWFGHGpAFe7DL68JlBUk+l7KSN7tCOEJ4M3/qOI49vMHj+zCKdlFqLaU2ZHV2a4Ct/an0/ivdX8oYc1UVX860fQDQiMdxRQEAAA==';
    const bytes = gunzipSync(Buffer.from(data, 'base64'));
    const pieces = splitPayload(bytes);
    expect(pieces?.eventCount).toBe(2);
    expect(pieces?.event(1)).toStrictEqual({
      id: 'eventId2',
      timestamp: 1440442987001,
      message: '[ERROR] Second test message',
    });
    expect(parsePayloadByEvent(bytes)).toStrictEqual(JSON.parse(bytes.toString('utf8')));
  });
});
