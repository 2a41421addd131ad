import type { QueryColumn, SqlValue } from './engine.ts';

/**
 * Numbers as people read them, by the same rules as the dashboard's tables
 * (functions/dashboard/public/format.js; test/sql/display-values.test.ts holds the two equal):
 * the column's name and type say what a number is.
 *
 *   cost_usd 1234.567 -> '$1,234.57'      cost_per_message 0.12345 -> '$0.1235'
 *   cache_hit_pct 97.31 -> '97.3 %'       success_rate 0.973 -> '97.3 %'
 *   change_pct 12.5 -> '+12.5 %'          requests 12345 -> '12,345'      NULL -> '—'
 */
export type ValueKind =
  | 'time'
  | 'text'
  | 'change'
  | 'percent'
  | 'fraction'
  | 'money'
  | 'money-fine'
  | 'decimal'
  | 'count';

const NUMERIC =
  /^(tinyint|smallint|integer|int|bigint|hugeint|double|real|float|decimal|numeric|ubigint|uinteger)/;

export const isNumericColumn = (column: QueryColumn): boolean => NUMERIC.test(column.type);

/** What kind of value a column holds, from its name and type. */
export function valueKind(column: QueryColumn): ValueKind {
  const n = column.name;
  if (/^timestamp/.test(column.type)) return 'time';
  if (!isNumericColumn(column)) return 'text';
  if (/(^|_)change_(pct|percent)$/.test(n)) return 'change';
  if (/(^|_)(pct|percent)($|_)/.test(n)) return 'percent';
  if (/(^|_)(rate|ratio|share)$/.test(n)) return 'fraction';
  if (/(^|_)(usd|cost)($|_)/.test(n)) return /(^|_)per(_|$)/.test(n) ? 'money-fine' : 'money';
  return /^(double|real|float|decimal|numeric)/.test(column.type) ? 'decimal' : 'count';
}

const usd = (digits: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
const MONEY = usd(2);
const MONEY_FINE = usd(4);
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const SIGNED = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

/** A value as a table shows it. */
export function displayValue(value: SqlValue | undefined, kind: ValueKind): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'time') return String(value).slice(0, 16).replace('T', ' ');
  if (typeof value !== 'number') return String(value);
  switch (kind) {
    case 'money':
      return MONEY.format(value);
    case 'money-fine':
      return MONEY_FINE.format(value);
    case 'percent':
      return `${PERCENT.format(value)} %`;
    case 'fraction':
      return `${PERCENT.format(value * 100)} %`;
    case 'change':
      return `${SIGNED.format(value)} %`;
    case 'count':
      return COUNT.format(value);
    case 'decimal':
      return DECIMAL.format(value);
    default:
      return String(value);
  }
}
