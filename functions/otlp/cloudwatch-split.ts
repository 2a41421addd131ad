/**
 * Reads a gunzipped CloudWatch Logs subscription payload event by event, without first turning
 * the whole payload (several MB) into one string. Why: V8 puts every string of 128 KiB or more
 * in its large-object space, a fresh mapping whose pages fault in one by one and are unmapped at
 * the next GC; in the transform benchmark that one UTF-8 decode of each payload cost about half
 * as much as gunzip and every JSON.parse together. A string of one log event is small, dies
 * young, and is made only when the event is reached.
 *
 * The same value as `JSON.parse(bytes.toString('utf8'))` or nothing (the caller then does that):
 *   bytes = H + '"logEvents":[' + E1 + ',' + E2 + … + ']' + '}', where H + '"logEvents":[]}' parses
 *   to an object and every Ei parses, splitting at each `},{"id":"`.
 * The split is exact because `{"` followed by `id":"` cannot occur inside a JSON string: a quote
 * inside a string is escaped (`\"`), and a string that ended with `},{` can't be followed by `id`.
 * The `"logEvents":[` found must not be an escaped quote inside a key such as `"x\"logEvents"`
 * (then the head would parse, with that key): such a payload is read whole.
 * When H and every piece parse, the whole is valid JSON whose value is H's object with
 * `logEvents: [E1, …]` (the array takes the place of the `[]` the check put there). Any other
 * layout (another key order, whitespace between events, a key after `logEvents`) is found either
 * here (null) or when a piece does not parse (EventLayoutMismatch).
 * Each piece starts and ends at an ASCII byte, so decoding piece by piece gives the same
 * characters (replacement characters included) as decoding the whole.
 */
const LOG_EVENTS_KEY = Buffer.from('"logEvents":[');
const BETWEEN_EVENTS = Buffer.from('},{"id":"');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const BACKSLASH = 0x5c;

/** A piece of the logEvents array is not one JSON value: read the payload whole instead. */
export class EventLayoutMismatch extends Error {
  override readonly name = 'EventLayoutMismatch';
}

export interface PayloadPieces {
  /** The payload's own keys (messageType, logGroup, …) with `logEvents: []`. */
  readonly head: Record<string, unknown>;
  readonly eventCount: number;
  /** Log event `index`, parsed now; throws EventLayoutMismatch when its piece is not JSON. */
  event(index: number): unknown;
}

/** Whether the quote at `at` follows an odd run of backslashes: escaped, inside a string. */
function escapedAt(bytes: Buffer, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes - 1 >= 0 && bytes[at - backslashes - 1] === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

function isJsonWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The payload's head and the byte ranges of its log events, or null for another layout. */
export function splitPayload(bytes: Buffer): PayloadPieces | null {
  const key = bytes.indexOf(LOG_EVENTS_KEY);
  if (key === -1 || escapedAt(bytes, key)) return null;
  let end = bytes.length - 1;
  while (isJsonWhitespace(bytes[end])) end--;
  if (bytes[end] !== CLOSE_BRACE) return null;
  end--;
  while (isJsonWhitespace(bytes[end])) end--;
  const start = key + LOG_EVENTS_KEY.length;
  if (bytes[end] !== CLOSE_BRACKET || end < start) return null;
  if (end > start && bytes[start] !== OPEN_BRACE) return null;
  let head: unknown;
  try {
    head = JSON.parse(`${bytes.toString('utf8', 0, key)}"logEvents":[]}`);
  } catch {
    return null;
  }
  if (head === null || typeof head !== 'object' || Array.isArray(head)) return null;
  const bounds: number[] = [];
  for (let from = start; from < end; ) {
    const between = bytes.indexOf(BETWEEN_EVENTS, from);
    const to = between === -1 || between >= end ? end : between + 1;
    bounds.push(from, to);
    from = to + 1;
  }
  return {
    head: head as Record<string, unknown>,
    eventCount: bounds.length / 2,
    event(index: number): unknown {
      try {
        return JSON.parse(bytes.toString('utf8', bounds[2 * index], bounds[2 * index + 1]));
      } catch {
        throw new EventLayoutMismatch(`log event ${index} is not one JSON value`);
      }
    },
  };
}

/** The whole payload's value, parsed event by event, or null when the layout differs. */
export function parsePayloadByEvent(bytes: Buffer): Record<string, unknown> | null {
  const pieces = splitPayload(bytes);
  if (pieces === null) return null;
  const events: unknown[] = [];
  try {
    for (let i = 0; i < pieces.eventCount; i++) events.push(pieces.event(i));
  } catch (error) {
    if (error instanceof EventLayoutMismatch) return null;
    throw error;
  }
  pieces.head.logEvents = events;
  return pieces.head;
}
