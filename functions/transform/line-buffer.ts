/**
 * The output of one Firehose invocation, written as UTF-8 straight into one reused Buffer and
 * turned into base64 once. Hot path: concatenating the JSON lines into a string, then copying it
 * into a fresh Buffer and that into base64, made three copies of several MB per record (and the
 * page faults of fresh allocations); this makes one. Not re-entrant: an invocation is encoded
 * synchronously from `reset()` to `toBase64()`.
 */
/** Node's EXTERN_APEX (src/string_bytes.cc): from this many characters on, a string it makes is external. */
const NODE_EXTERNAL_CHARS = 0xfbee9;
/** V8's largest regular heap object (kMaxRegularHeapObjectSize): longer strings are large objects. */
const LARGE_OBJECT_CHARS = 128 * 1024;

export class LineBuffer {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private length = 0;

  reset(): void {
    this.length = 0;
  }

  get size(): number {
    return this.length;
  }

  /** Forgets what was written after `size` (a record that failed or is read again). */
  truncate(size: number): void {
    this.length = Math.min(this.length, size);
  }

  /** Appends text as UTF-8. */
  write(text: string): void {
    this.ensure(text.length * 3);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** Appends one byte (an ASCII character code). */
  writeByte(code: number): void {
    this.ensure(1);
    this.buffer[this.length++] = code;
  }

  /**
   * The bytes as base64. A string of 128 KiB or more that Node copies into V8's heap lands in
   * its large-object space, whose fresh pages fault in one by one: that copy cost ~10x the
   * encoding. From EXTERN_APEX characters on, Node keeps the string external (its own malloc'd
   * bytes, reused, not copied). So a large output whose length is whole base64 groups (see
   * `padBefore`) is encoded as at least that many characters and sliced: V8 slices a string
   * without copying, and the slice is all that is handed on.
   */
  toBase64(): string {
    const chars = (Math.ceil(this.length / 3) * 4) | 0;
    if (chars < LARGE_OBJECT_CHARS || chars >= NODE_EXTERNAL_CHARS || this.length % 3 !== 0) {
      return this.buffer.toString('base64', 0, this.length);
    }
    const encoded = (Math.ceil(NODE_EXTERNAL_CHARS / 4) * 3) | 0;
    this.ensure(encoded - this.length);
    this.buffer.fill(0, this.length, encoded); // what is sliced off is zeros, not an older record
    return this.buffer.toString('base64', 0, encoded).slice(0, chars);
  }

  /**
   * Inserts `fill` bytes before the last `suffix` bytes until the length is a multiple of
   * `multiple` (for JSON lines: spaces before the last row's closing brace, which any JSON
   * reader skips).
   */
  padBefore(suffix: number, multiple: number, fill: number): void {
    const missing = (multiple - (this.length % multiple)) % multiple;
    if (missing === 0 || suffix > this.length) return;
    this.ensure(missing);
    const at = this.length - suffix;
    this.buffer.copyWithin(at + missing, at, this.length);
    this.buffer.fill(fill, at, at + missing);
    this.length += missing;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
