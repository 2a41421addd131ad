import { crc32 } from 'node:zlib';
import type { Row } from '../schema/row.ts';

/**
 * The spool's record framing: one record per acknowledged request, never interleaved.
 *
 *   [u32 BE payload length][u32 BE crc32(payload)][payload = UTF-8 JSON array of sanitized rows]
 *
 * Only sanitized rows are spooled, never a request body. A record that is cut short at the end
 * is the tail a crash interrupted before its fsync returned (never answered 200); anything else
 * that fails its checksum is damage, which the reader skips over (decodeSpoolSegment).
 */
export const HEADER_BYTES = 8;
/** A record larger than this is not one the endpoint wrote (its body limit is far below). */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export function encodeSpoolRecord(rows: readonly Row[]): Buffer {
  const payload = Buffer.from(JSON.stringify(rows), 'utf8');
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

/** Bytes of a segment that could not be decoded, kept (quarantined) rather than deleted. */
export interface DamagedRange {
  readonly offset: number;
  readonly bytes: number;
  /**
   * `torn-tail`: the last record is cut short (its header promises more bytes than the file
   * has): a write a crash interrupted before its fsync returned, never acknowledged.
   * `damaged`: bytes that fail their checksum or do not parse, with a whole frame's room:
   * possibly acknowledged rows, lost unless the quarantined bytes can be repaired by hand.
   */
  readonly kind: 'torn-tail' | 'damaged';
}

export interface SpoolContents {
  readonly rows: Row[];
  readonly records: number;
  /** Bytes not decoded (sum of `damaged`); 0 for a cleanly written segment. */
  readonly discardedBytes: number;
  readonly damaged: readonly DamagedRange[];
}

const OPEN_BRACKET = 0x5b;

/** The rows of the valid frame at `offset`, or null when no valid frame starts there. */
function frameAt(data: Buffer, offset: number): { rows: unknown[]; end: number } | null {
  if (offset + HEADER_BYTES > data.length) return null;
  const length = data.readUInt32BE(offset);
  const end = offset + HEADER_BYTES + length;
  if (length === 0 || length > MAX_RECORD_BYTES || end > data.length) return null;
  if (data[offset + HEADER_BYTES] !== OPEN_BRACKET) return null;
  const payload = data.subarray(offset + HEADER_BYTES, end);
  if (crc32(payload) !== data.readUInt32BE(offset + 4)) return null;
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    return Array.isArray(parsed) ? { rows: parsed, end } : null;
  } catch {
    return null;
  }
}

/**
 * Every valid record of a segment. A bad record (flipped bits, a bad length field) does not end
 * the read: the scan moves on byte by byte to the next valid frame, so the records after it are
 * kept, and the bytes in between are reported in `damaged` for the caller to quarantine.
 */
export function decodeSpoolSegment(data: Buffer): SpoolContents {
  const rows: Row[] = [];
  const damaged: DamagedRange[] = [];
  let offset = 0;
  let records = 0;
  while (offset < data.length) {
    const frame = frameAt(data, offset);
    if (frame) {
      for (const row of frame.rows) rows.push(row as Row);
      records++;
      offset = frame.end;
      continue;
    }
    let next = offset + 1;
    while (next < data.length && frameAt(data, next) === null) next++;
    damaged.push({ offset, bytes: next - offset, kind: damageKind(data, offset, next) });
    offset = next;
  }
  const discardedBytes = damaged.reduce((n, d) => n + d.bytes, 0);
  return { rows, records, discardedBytes, damaged };
}

function damageKind(data: Buffer, offset: number, next: number): DamagedRange['kind'] {
  if (next < data.length) return 'damaged';
  if (offset + HEADER_BYTES > data.length) return 'torn-tail';
  const end = offset + HEADER_BYTES + data.readUInt32BE(offset);
  // A header promising more than the file holds is a write cut short; trailing zeros are a
  // file extended by a crash before its data reached the disk.
  if (end > data.length || data.subarray(offset).every((b) => b === 0)) return 'torn-tail';
  return 'damaged';
}
