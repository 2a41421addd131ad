import { isUtf8 } from 'node:buffer';

/**
 * A protobuf wire reader for the endpoint's fast logs decoder (protobuf-logs.ts). It reads only
 * what it is sure of and throws NOT_MINE for anything else (a group, a varint longer than it
 * reads, invalid UTF-8, a length past the end): the caller then decodes the body with
 * protobufjs, which gives the answer it always gave, a value or a 400.
 */
export class NotMine extends Error {
  override readonly name = 'NotMine';
}
/** One instance, thrown without a stack: it is control flow, not an error anyone sees. */
export const NOT_MINE = new NotMine('left to protobufjs');

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH = 2;
export const FIXED32 = 5;

export class WireReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  /** A varint of up to 7 bytes (< 2^49; tags, lengths, small ints); longer is not mine. */
  varint(end: number): number {
    const buf = this.buf;
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= end) throw NOT_MINE;
      const byte = buf[this.pos++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 128;
    }
    throw NOT_MINE;
  }

  /** Skips a varint of up to 10 bytes. */
  skipVarint(end: number): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw NOT_MINE;
      if (this.buf[this.pos++]! < 0x80) return;
    }
    throw NOT_MINE;
  }

  /** An int64 varint as protobufjs gives it with `longs: String` (signed decimal text). */
  int64(end: number): number | string {
    const start = this.pos;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= end) throw NOT_MINE;
      if (this.buf[this.pos++]! < 0x80) {
        this.pos = start;
        return this.varint(end);
      }
    }
    this.pos = start;
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw NOT_MINE;
      const byte = this.buf[this.pos++]!;
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) return BigInt.asIntN(64, value).toString();
    }
    throw NOT_MINE;
  }

  /** The end of a length-delimited field that starts here. */
  lengthEnd(end: number): number {
    const length = this.varint(end);
    const stop = this.pos + length;
    if (stop > end) throw NOT_MINE;
    return stop;
  }

  /** A length-delimited string, checked UTF-8 as protobufjs checks it. */
  string(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    const text = this.buf.toString('utf8', start, stop);
    // Invalid UTF-8 decodes to U+FFFD; only then is the strict check needed (U+FFFD may be real).
    if (text.includes('\uFFFD') && !isUtf8(this.buf.subarray(start, stop))) throw NOT_MINE;
    return text;
  }

  /** Skips a string field, checking its UTF-8 (protobufjs rejects a body with a bad one). */
  skipString(end: number): void {
    const stop = this.lengthEnd(end);
    if (!isUtf8(this.buf.subarray(this.pos, stop))) throw NOT_MINE;
    this.pos = stop;
  }

  fixed64Text(end: number): string {
    if (this.pos + 8 > end) throw NOT_MINE;
    const text = this.buf.readBigUInt64LE(this.pos).toString();
    this.pos += 8;
    return text;
  }

  double(end: number): number {
    if (this.pos + 8 > end) throw NOT_MINE;
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Skips a field this decoder does not read (or reads with another wire type, as protobufjs does). */
  skip(wire: number, end: number): void {
    if (wire === VARINT) this.skipVarint(end);
    else if (wire === FIXED64) this.pos += 8;
    else if (wire === LENGTH) this.pos = this.lengthEnd(end);
    else if (wire === FIXED32) this.pos += 4;
    else throw NOT_MINE;
    if (this.pos > end) throw NOT_MINE;
  }
}
