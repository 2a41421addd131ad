import { crc32 } from 'node:zlib';
import type { Row } from '../schema/row.ts';

/**
 * The spool's record framing: one record per acknowledged request, never interleaved.
 *
 *   [u32 BE payload length][u32 BE crc32(payload)][payload = UTF-8 JSON array of sanitized rows]
 *
 * Only sanitized rows are spooled, never a request body. Reading stops at the first record that
 * is cut short or fails its checksum: that can only be the tail a crash interrupted before its
 * fsync returned, i.e. a request that was never answered 200.
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

export interface SpoolContents {
  readonly rows: Row[];
  readonly records: number;
  /** Bytes after the last valid record (a torn tail); 0 for a cleanly written segment. */
  readonly discardedBytes: number;
}

export function decodeSpoolSegment(data: Buffer): SpoolContents {
  const rows: Row[] = [];
  let offset = 0;
  let records = 0;
  while (offset + HEADER_BYTES <= data.length) {
    const length = data.readUInt32BE(offset);
    const end = offset + HEADER_BYTES + length;
    if (length > MAX_RECORD_BYTES || end > data.length) break;
    const payload = data.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== data.readUInt32BE(offset + 4)) break;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      break;
    }
    if (!Array.isArray(parsed)) break;
    for (const row of parsed) rows.push(row as Row);
    records++;
    offset = end;
  }
  return { rows, records, discardedBytes: data.length - offset };
}
