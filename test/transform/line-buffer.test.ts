import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../functions/transform/line-buffer.ts';

/**
 * The output buffer's base64 is Node's base64 of its bytes at every size: below the large-object
 * size, sliced from a longer external string (whole groups from 98,304 bytes on), and external.
 */
function filled(length: number, seed: number): { buffer: LineBuffer; bytes: Buffer } {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = 32 + ((i * 7919 + seed) % 95);
  const buffer = new LineBuffer();
  buffer.write(bytes.toString('latin1'));
  return { buffer, bytes };
}

describe('LineBuffer', () => {
  it.each([0, 1, 2, 3, 98_303, 98_304, 98_305, 300_000, 300_001, 773_936, 773_937, 773_938, 1_200_000])(
    'gives the base64 of its %i-character content',
    (length) => {
      const { buffer, bytes } = filled(length, length);
      expect(buffer.toBase64()).toBe(bytes.toString('base64'));
    },
  );

  it('is not changed by an older, longer record left in the buffer', () => {
    const buffer = new LineBuffer();
    buffer.write('x'.repeat(900_000));
    buffer.toBase64();
    buffer.reset();
    buffer.write('{"a":1}\n'.repeat(30_000));
    buffer.padBefore(2, 3, 0x20);
    const text = Buffer.from(buffer.toBase64(), 'base64').toString('utf8');
    expect(text.length % 3).toBe(0);
    expect(text.startsWith('{"a":1}\n')).toBe(true);
    expect(text).not.toContain('x');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toHaveLength(30_000);
  });

  it('pads before the last bytes to whole base64 groups, and only when needed', () => {
    for (const [content, padded] of [
      ['{"a":1}\n', '{"a":1 }\n'],
      ['{"ab":1}\n', '{"ab":1}\n'],
      ['{"abc":1}\n', '{"abc":1  }\n'],
    ] as const) {
      const buffer = new LineBuffer();
      buffer.write(content);
      buffer.padBefore(2, 3, 0x20);
      expect(Buffer.from(buffer.toBase64(), 'base64').toString()).toBe(padded);
      expect(JSON.parse(padded)).toStrictEqual(JSON.parse(content));
    }
  });
});
