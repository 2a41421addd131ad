/**
 * Checks the wire types of an ExportLogsServiceRequest's known fields down to the LogRecord,
 * before protobufjs decodes it: protobufjs reads a known field by its number whatever its wire
 * type, so a body with, e.g., a varint where `resource_logs` (a message) belongs decodes to
 * nothing and would be answered 200 with nothing stored. Here it is a 400. Unknown fields are
 * skipped by their wire type (forward compatible); AnyValue contents are left to protobufjs.
 * One pass, no allocation.
 *
 *   08 01            field 1 as a varint  -> 'field 1 of ExportLogsServiceRequest has wire type 0, expected 2'
 */
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

type Shape = Readonly<Record<number, { wire: number; shape?: string }>>;

const SHAPES: Readonly<Record<string, Shape>> = {
  ExportLogsServiceRequest: { 1: { wire: BYTES, shape: 'ResourceLogs' } },
  ResourceLogs: { 1: { wire: BYTES }, 2: { wire: BYTES, shape: 'ScopeLogs' }, 3: { wire: BYTES } },
  ScopeLogs: { 1: { wire: BYTES }, 2: { wire: BYTES, shape: 'LogRecord' }, 3: { wire: BYTES } },
  LogRecord: {
    1: { wire: FIXED64 },
    2: { wire: VARINT },
    3: { wire: BYTES },
    5: { wire: BYTES },
    6: { wire: BYTES },
    7: { wire: VARINT },
    8: { wire: FIXED32 },
    9: { wire: BYTES },
    10: { wire: BYTES },
    11: { wire: FIXED64 },
    12: { wire: BYTES },
  },
};

/** Why the body's structure is wrong, or null when every known field has its wire type. */
export function protobufWireProblem(body: Uint8Array): string | null {
  return check(body, 0, body.length, 'ExportLogsServiceRequest');
}

function check(buf: Uint8Array, start: number, end: number, shapeName: string): string | null {
  const shape = SHAPES[shapeName]!;
  let pos = start;
  while (pos < end) {
    const tag = readVarint(buf, pos, end);
    if (tag === null) return `truncated tag in ${shapeName}`;
    pos = tag.next;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (field === 0) return `field number 0 in ${shapeName}`;
    const known = shape[field];
    if (known && known.wire !== wire)
      return `field ${field} of ${shapeName} has wire type ${wire}, expected ${known.wire}`;
    switch (wire) {
      case VARINT: {
        const v = readVarint(buf, pos, end);
        if (v === null) return `truncated varint in ${shapeName}`;
        pos = v.next;
        break;
      }
      case FIXED64:
        pos += 8;
        break;
      case FIXED32:
        pos += 4;
        break;
      case BYTES: {
        const length = readVarint(buf, pos, end);
        if (length === null) return `truncated length in ${shapeName}`;
        const contentEnd = length.next + length.value;
        if (contentEnd > end) return `field ${field} of ${shapeName} runs past its end`;
        if (known?.shape) {
          const inner = check(buf, length.next, contentEnd, known.shape);
          if (inner) return inner;
        }
        pos = contentEnd;
        break;
      }
      default:
        return `wire type ${wire} (groups or invalid) in ${shapeName}`;
    }
    if (pos > end) return `field ${field} of ${shapeName} runs past its end`;
  }
  return null;
}

/** A varint of up to 7 bytes (lengths and tags fit; larger values are not ours to read). */
function readVarint(buf: Uint8Array, pos: number, end: number): { value: number; next: number } | null {
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return null;
    const byte = buf[pos + i]!;
    if (i < 7) value += (byte & 0x7f) * factor;
    factor *= 128;
    if ((byte & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return null;
}
