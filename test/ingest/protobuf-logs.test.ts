import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { decodeOnePass, decodeProtobufLogs } from '../../functions/ingest/protobuf-logs.ts';
import { decodeLogsRequest } from '../../functions/otlp/otlp-decode.ts';
import { otlpTypes } from '../../functions/otlp/otlp-proto.ts';
import { CLAUDE_CODE_SCOPE } from '../../functions/schema/allowlist.ts';
import { fixtureRequests } from '../helpers/claude-code-fixtures.ts';

/**
 * The endpoint's one-pass protobuf decoder against the reference path (protobufjs decode,
 * toObject, the shared normalizer): the same records, or the same failure, for real client
 * bodies, generated bodies, hand-made edge cases and random corruptions of valid bodies.
 */
type Outcome = { records: unknown; sizes: number[] } | { error: string };

function outcome(decode: () => ReturnType<typeof decodeLogsRequest>): Outcome {
  try {
    const decoded = decode();
    return { records: decoded.records, sizes: decoded.records.map((_, i) => decoded.sizeOf(i)) };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** Compares both; true when the one-pass decoder answered by itself (no fallback). */
function expectSame(body: Buffer): boolean {
  const reference = outcome(() => decodeLogsRequest('protobuf', body));
  const fast = outcome(() => decodeProtobufLogs(body));
  expect(fast).toStrictEqual(reference);
  return !('error' in outcome(() => decodeOnePass(body)));
}

const { ExportLogsServiceRequest } = otlpTypes();
const encode = (object: object) =>
  Buffer.from(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(object)).finish());

const anyValue = (v: string | number | boolean) =>
  typeof v === 'string'
    ? { stringValue: v }
    : typeof v === 'boolean'
      ? { boolValue: v }
      : Number.isInteger(v)
        ? { intValue: v }
        : { doubleValue: v };
const kv = (m: Readonly<Record<string, string | number | boolean>>) =>
  Object.entries(m).map(([key, value]) => ({ key, value: anyValue(value) }));

const demoBodies = (() => {
  const { events } = generateTeamActivity({ seed: 5, teamSize: 4, days: 2, endMs: Date.UTC(2026, 0, 3) });
  const bodies: Buffer[] = [];
  for (let i = 0; i < events.length; i += 50) {
    const group = events.slice(i, i + 50);
    bodies.push(
      encode({
        resourceLogs: group.map((e) => ({
          resource: { attributes: kv(e.resource) },
          scopeLogs: [
            {
              scope: { name: CLAUDE_CODE_SCOPE, version: '2.1.328' },
              logRecords: [
                {
                  timeUnixNano: `${e.timeMs}000000`,
                  observedTimeUnixNano: `${e.timeMs + 1}000000`,
                  severityNumber: 9,
                  severityText: 'INFO',
                  body: { stringValue: e.body },
                  attributes: kv(e.attributes),
                },
              ],
            },
          ],
        })),
      }),
    );
  }
  return bodies;
})();

/** A hand-made body: `write` adds fields to a LogRecord inside one ResourceLogs/ScopeLogs. */
function handMade(write: (w: protobuf.Writer) => void, scopeFirst = true): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).fork(); // resource_logs
  w.uint32((2 << 3) | 2).fork(); // scope_logs
  if (scopeFirst)
    w.uint32((1 << 3) | 2)
      .fork()
      .uint32((1 << 3) | 2)
      .string('scope-a')
      .ldelim();
  w.uint32((2 << 3) | 2).fork(); // log_records
  write(w);
  w.ldelim();
  if (!scopeFirst)
    w.uint32((1 << 3) | 2)
      .fork()
      .uint32((1 << 3) | 2)
      .string('scope-b')
      .ldelim();
  w.ldelim();
  w.ldelim();
  return Buffer.from(w.finish());
}

/** An attribute (LogRecord field 6) whose AnyValue is written by `value`. */
const attribute = (w: protobuf.Writer, key: string | null, value: (w: protobuf.Writer) => void) => {
  w.uint32((6 << 3) | 2).fork();
  if (key !== null) w.uint32((1 << 3) | 2).string(key);
  w.uint32((2 << 3) | 2).fork();
  value(w);
  w.ldelim();
  w.ldelim();
};

describe('decodeProtobufLogs against protobufjs + the normalizer', () => {
  it('decodes the real client bodies identically', () => {
    const bodies = fixtureRequests().filter((r) => r.encoding === 'protobuf');
    expect(bodies.length).toBeGreaterThan(0);
    for (const { body } of bodies) expect(expectSame(body)).toBe(true);
  });

  it('decodes generated Claude Code bodies identically', () => {
    for (const body of demoBodies) expect(expectSame(body)).toBe(true);
    expect(decodeProtobufLogs(demoBodies[0]!).records.length).toBe(50);
  });

  it('keeps protobufjs semantics for defaults, duplicates, oneofs and wire types', () => {
    const cases: ((w: protobuf.Writer) => void)[] = [
      // time 0 is absent (observed time used); a later default clears an earlier time
      (w) =>
        w
          .uint32((1 << 3) | 1)
          .fixed64(0)
          .uint32((11 << 3) | 1)
          .fixed64(1_767_607_200_123_456_789n as never),
      (w) =>
        w
          .uint32((1 << 3) | 1)
          .fixed64(5_000_000)
          .uint32((1 << 3) | 1)
          .fixed64(0),
      // several oneof members, negative and 64-bit integers, doubles, bools
      (w) =>
        attribute(w, 'a', (v) =>
          v
            .uint32((3 << 3) | 0)
            .int64(-5)
            .uint32((1 << 3) | 2)
            .string('wins'),
        ),
      (w) => attribute(w, 'big', (v) => v.uint32((3 << 3) | 0).int64('9007199254740993')),
      (w) => attribute(w, 'neg', (v) => v.uint32((3 << 3) | 0).int64(-1)),
      (w) => attribute(w, 'd', (v) => v.uint32((4 << 3) | 1).double(-0)),
      (w) => attribute(w, 'nan', (v) => v.uint32((4 << 3) | 1).double(Number.NaN)),
      (w) => attribute(w, 'b', (v) => v.uint32((2 << 3) | 0).bool(false)),
      (w) => attribute(w, 'b2', (v) => v.uint32((2 << 3) | 0).uint32(300)),
      (w) => attribute(w, 'empty-string', (v) => v.uint32((1 << 3) | 2).string('')),
      // bytes, arrays and kvlists are kept as the unsupported marker; an empty AnyValue too
      (w) => attribute(w, 'bytes', (v) => v.uint32((7 << 3) | 2).bytes(Buffer.from([1, 2, 3]))),
      (w) =>
        attribute(w, 'arr', (v) =>
          v
            .uint32((5 << 3) | 2)
            .fork()
            .uint32((1 << 3) | 2)
            .fork()
            .uint32((1 << 3) | 2)
            .string('x')
            .ldelim()
            .ldelim(),
        ),
      (w) =>
        attribute(w, 'kvl', (v) =>
          v
            .uint32((6 << 3) | 2)
            .fork()
            .uint32((1 << 3) | 2)
            .fork()
            .uint32((1 << 3) | 2)
            .string('k')
            .ldelim()
            .ldelim(),
        ),
      (w) => attribute(w, 'none', () => undefined),
      // no key, an empty key, a key without a value, the last duplicate key wins, __proto__
      (w) => attribute(w, null, (v) => v.uint32((1 << 3) | 2).string('x')),
      (w) => attribute(w, '', (v) => v.uint32((1 << 3) | 2).string('x')),
      (w) =>
        w
          .uint32((6 << 3) | 2)
          .fork()
          .uint32((1 << 3) | 2)
          .string('novalue')
          .ldelim(),
      (w) => {
        attribute(w, 'k', (v) => v.uint32((1 << 3) | 2).string('first'));
        attribute(w, 'k', (v) => v.uint32((1 << 3) | 2).string('second'));
        attribute(w, '__proto__', (v) => v.uint32((1 << 3) | 2).string('plain'));
      },
      // two bodies merge; a body with a known field in another wire type (skipped)
      (w) =>
        w
          .uint32((5 << 3) | 2)
          .fork()
          .uint32((3 << 3) | 0)
          .int64(7)
          .ldelim()
          .uint32((5 << 3) | 2)
          .fork()
          .uint32((1 << 3) | 0)
          .uint32(3)
          .ldelim(),
      (w) =>
        w
          .uint32((5 << 3) | 2)
          .fork()
          .uint32((1 << 3) | 5)
          .fixed32(9)
          .ldelim(),
      // unknown fields of every wire type, severity, trace ids, flags
      (w) =>
        w
          .uint32((99 << 3) | 0)
          .uint32(1)
          .uint32((98 << 3) | 1)
          .fixed64(1)
          .uint32((97 << 3) | 2)
          .string('u')
          .uint32((96 << 3) | 5)
          .fixed32(1)
          .uint32((2 << 3) | 0)
          .uint32(17)
          .uint32((3 << 3) | 2)
          .string('ERROR')
          .uint32((8 << 3) | 5)
          .fixed32(1)
          .uint32((9 << 3) | 2)
          .bytes(Buffer.alloc(16, 7)),
      // a group (protobufjs skips it), invalid UTF-8 in a skipped string, a truncated value
      (w) =>
        w
          .uint32((50 << 3) | 3)
          .uint32((1 << 3) | 0)
          .uint32(1)
          .uint32((50 << 3) | 4),
      (w) => w.uint32((3 << 3) | 2).bytes(Buffer.from([0xff, 0xfe])),
      (w) => attribute(w, 'bad', (v) => v.uint32((1 << 3) | 2).bytes(Buffer.from([0xc3, 0x28]))),
    ];
    let onePass = 0;
    for (const write of cases) {
      if (expectSame(handMade(write))) onePass++;
      expectSame(handMade(write, false));
    }
    // All but the group, the bad UTF-8, the multi-byte bool and the AnyValue with two members
    // are the one-pass decoder's own.
    expect(onePass).toBe(cases.length - 5);
  });

  it('gives the value last on the wire when an AnyValue (or a body) sets two different members', () => {
    const members: ((v: protobuf.Writer) => void)[] = [
      (v) => v.uint32((1 << 3) | 2).string('claude_code.api_request'),
      (v) => v.uint32((2 << 3) | 0).bool(true),
      (v) => v.uint32((3 << 3) | 0).int64(7),
      (v) => v.uint32((4 << 3) | 1).double(0.5),
      (v) => v.uint32((7 << 3) | 2).bytes(Buffer.from([1])),
      (v) =>
        v
          .uint32((5 << 3) | 2)
          .fork()
          .ldelim(),
    ];
    for (const [i, first] of members.entries()) {
      for (const [j, second] of members.entries()) {
        if (i === j) continue;
        expectSame(handMade((w) => attribute(w, 'cost_usd', (v) => second(first(v) as never))));
        // the body twice: a Claude Code event name, then another kind (or the other way round)
        expectSame(
          handMade((w) => {
            w.uint32((5 << 3) | 2).fork();
            first(w);
            w.ldelim();
            w.uint32((5 << 3) | 2).fork();
            second(w);
            w.ldelim();
          }),
        );
      }
    }
  });

  it('gives the same answer for every corrupted byte of a valid body', () => {
    const body = demoBodies[0]!.subarray(0, 3_000);
    const valid = encode({ resourceLogs: [] });
    expectSame(valid);
    let rejected = 0;
    for (let i = 0; i < body.length; i += 3) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const corrupted = Buffer.from(body);
        corrupted[i] = corrupted[i]! ^ flip;
        expectSame(corrupted);
        if ('error' in outcome(() => decodeLogsRequest('protobuf', corrupted))) rejected++;
      }
    }
    // The corruptions include bodies both decoders reject, so the comparison covers failures too.
    expect(rejected).toBeGreaterThan(10);
  });
});
