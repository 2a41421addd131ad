/**
 * The output of one Firehose record, written as UTF-8 straight into one reused Buffer and turned
 * into base64 once. Hot path: concatenating the JSON lines into a string, then copying it into a
 * fresh Buffer and that into base64, made three copies of several MB per record (and the page
 * faults of fresh allocations); this makes one. Not re-entrant: a record is encoded synchronously
 * from `reset()` to `toBase64()`.
 */
export class LineBuffer {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private length = 0;

  reset(): void {
    this.length = 0;
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

  toBase64(): string {
    return this.buffer.toString('base64', 0, this.length);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
