import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteString, SqlQuoteError, sqlLiteral } from '../../functions/sql/sql.ts';

describe('sql quoting', () => {
  it('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteIdent('dt')).toBe('"dt"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(() => quoteIdent('')).toThrow(SqlQuoteError);
  });

  it('quotes string literals, doubling embedded quotes, refusing NUL', () => {
    expect(quoteString("O'Brien")).toBe("'O''Brien'");
    expect(quoteString("'; DROP TABLE events; --")).toBe("'''; DROP TABLE events; --'");
    expect(() => quoteString('a\0b')).toThrow(SqlQuoteError);
  });

  it('renders any scalar as a literal (what Athena pastes in for a parameter)', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(false)).toBe('FALSE');
    expect(sqlLiteral(42)).toBe('42');
    expect(sqlLiteral(-0.5)).toBe('-0.5');
    expect(sqlLiteral('2026-01-05')).toBe("'2026-01-05'");
    expect(() => sqlLiteral(Number.NaN)).toThrow(SqlQuoteError);
  });
});
