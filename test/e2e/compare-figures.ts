import type { SqlRow } from '../../functions/sql/engine.ts';
import type { FigureRow } from './independent-figures.ts';

/**
 * Compares a query's rows with the independently computed ones, order-insensitively (rows are
 * matched by their text columns): every expected column of every expected row is one figure.
 * Numbers agree within 1e-9 relative; timestamps are compared as instants.
 */
export interface Comparison {
  readonly name: string;
  readonly figures: number;
  readonly mismatches: string[];
}

const keyOf = (row: Readonly<Record<string, unknown>>, columns: readonly string[]) =>
  columns.map((c) => String(row[c] ?? '∅')).join(' | ');

/** Timestamp columns (`last_seen`, `last_failure`), expected as epoch ms. */
const isInstant = (column: string) => column.startsWith('last_');

function instant(v: unknown): number {
  if (typeof v === 'number') return v;
  const text = String(v);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

export function compareFigures(
  name: string,
  actual: readonly SqlRow[],
  expected: readonly FigureRow[],
): Comparison {
  const mismatches: string[] = [];
  const sample = expected[0];
  if (!sample) {
    if (actual.length) mismatches.push(`${name}: expected no rows, got ${actual.length}`);
    return { name, figures: 0, mismatches };
  }
  const keyColumns = Object.keys(sample).filter((c) => typeof sample[c] === 'string' && !isInstant(c));
  const got = new Map(actual.map((r) => [keyOf(r, keyColumns), r]));
  if (actual.length !== expected.length) {
    mismatches.push(
      `${name}: ${actual.length} rows, expected ${expected.length} (got [${[...got.keys()].join('; ')}], expected [${expected.map((r) => keyOf(r, keyColumns)).join('; ')}])`,
    );
  }
  let figures = 0;
  for (const want of expected) {
    const key = keyOf(want, keyColumns);
    const row = got.get(key);
    if (!row) {
      mismatches.push(`${name}: no row ${key}`);
      continue;
    }
    for (const [column, value] of Object.entries(want)) {
      figures++;
      const have = row[column];
      if (!(column in row)) mismatches.push(`${name} [${key}] has no column ${column}`);
      else if (isInstant(column) && value !== null) {
        if (instant(have) !== value)
          mismatches.push(
            `${name} [${key}] ${column}: ${have} vs ${new Date(value as number).toISOString()}`,
          );
      } else if (typeof value === 'number') {
        const ok = typeof have === 'number' && Math.abs(have - value) <= 1e-9 * Math.max(1, Math.abs(value));
        if (!ok) mismatches.push(`${name} [${key}] ${column}: ${have} vs expected ${value}`);
      } else if (have !== value) mismatches.push(`${name} [${key}] ${column}: ${have} vs expected ${value}`);
    }
  }
  return { name, figures, mismatches };
}
