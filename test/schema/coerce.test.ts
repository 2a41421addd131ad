import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coerce, nanosToMillis, toEpochMillis } from '../../functions/schema/coerce.ts';

describe('coerce', () => {
  it('parses exactly, or gives null', () => {
    expect(coerce('bigint', '42')).toBe(42);
    expect(coerce('bigint', '-7')).toBe(-7);
    for (const v of ['4.5', '1e3', '0x10', ' 1', '', '99999999999999999', 2 ** 53, 1.5, NaN]) {
      expect(coerce('bigint', v)).toBeNull();
    }
    expect(coerce('double', '0.3264025')).toBe(0.3264025);
    expect(coerce('double', '.5')).toBe(0.5);
    expect(coerce('double', '1e-3')).toBe(0.001);
    for (const v of ['NaN', 'Infinity', '-Infinity', '1e999', Infinity, '1,5', `1${'0'.repeat(70)}`]) {
      expect(coerce('double', v)).toBeNull();
    }
    expect(coerce('boolean', 'true')).toBe(true);
    expect(coerce('boolean', 'false')).toBe(false);
    for (const v of ['TRUE', 'yes', 1, 0, '1']) expect(coerce('boolean', v)).toBeNull();
    expect(coerce('string', 2.5)).toBe('2.5');
    expect(coerce('string', {})).toBeNull();
  });
});

describe('toEpochMillis', () => {
  it('reads ISO-8601 with a zone and integral epoch ms within 2000..2100', () => {
    expect(toEpochMillis('2026-01-05T10:00:00.250Z')).toBe(Date.UTC(2026, 0, 5, 10, 0, 0, 250));
    expect(toEpochMillis('2026-01-05T12:00:00.250+02:00')).toBe(Date.UTC(2026, 0, 5, 10, 0, 0, 250));
    expect(toEpochMillis('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(toEpochMillis(Date.UTC(2026, 0, 5))).toBe(Date.UTC(2026, 0, 5));
    for (const v of [
      '2026-01-05 10:00:00Z',
      '2026-01-05T10:00:00',
      '1999-12-31T23:59:59Z',
      'yesterday',
      1.5,
      0,
    ]) {
      expect(toEpochMillis(v)).toBeNull();
    }
  });

  it('refuses days a month does not have instead of rolling them over (Date.parse would)', () => {
    expect(Date.parse('2025-02-29T00:00:00Z')).toBe(Date.UTC(2025, 2, 1));
    for (const v of [
      '2025-02-29T00:00:00Z',
      '2026-04-31T10:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-13-01T00:00:00Z',
    ]) {
      expect(toEpochMillis(v)).toBeNull();
    }
    expect(toEpochMillis('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
  });

  it('nanosToMillis drops the sub-millisecond digits without losing precision', () => {
    expect(nanosToMillis('1767607200250999999')).toBe(1767607200250);
    expect(nanosToMillis(1767607200250000000)).toBe(1767607200250);
    expect(nanosToMillis('0')).toBeNull();
    expect(nanosToMillis('abc')).toBeNull();
  });
});

describe('toEpochMillis fast path', () => {
  /** The general path alone (regex, calendar check, Date.parse), as an oracle. */
  const ISO = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
  function oracle(s: string): number | null {
    const m = ISO.exec(s);
    if (!m) return null;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const days = [
      31,
      y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
      31,
      30,
      31,
      30,
      31,
      31,
      30,
      31,
      30,
      31,
    ];
    if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1]!) return null;
    const ms = Date.parse(s);
    return Number.isFinite(ms) && ms >= Date.UTC(2000, 0, 1) && ms < Date.UTC(2100, 0, 1) ? ms : null;
  }
  const digit = fc.constantFrom(...'0123456789');
  const canonicalish = fc
    .tuple(
      fc.array(digit, { minLength: 17, maxLength: 17 }),
      fc.constantFrom('Z', 'z', ' '),
      fc.constantFrom('.', ',', 'x'),
    )
    .map(([d, z, dot]) => {
      const t = d.join('');
      return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}${dot}${t.slice(14, 17)}${z}`;
    });
  const plausible = fc
    .integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2101, 0, 1) })
    .map((ms) => new Date(ms).toISOString());

  it('agrees with the general path on canonical-looking strings', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalish, plausible, fc.string({ minLength: 24, maxLength: 24 })), (s) => {
        expect(toEpochMillis(s)).toBe(oracle(s));
      }),
      { numRuns: 5000 },
    );
    for (const s of [
      '2026-01-05T24:00:00.000Z',
      '2025-02-29T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2026-01-05T-1:00:00.000Z',
    ]) {
      expect(toEpochMillis(s)).toBe(oracle(s));
    }
  });
});
