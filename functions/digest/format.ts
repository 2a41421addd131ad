import type { Figure } from './types.ts';

/**
 * Numbers for people, in one place so Slack, text and tests agree:
 *   formatCount(12345) -> '12,345'      formatUsd(1234.5) -> '$1,234.50'
 *   formatShare(0.9734) -> '97.3%'      formatChange({ value: 110, previous: 100 }) -> '+10%'
 */

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const USD = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

export const formatCount = (n: number): string => COUNT.format(n);

export const formatUsd = (n: number): string => USD.format(n);

/** A ratio 0..1 as a percentage with one decimal. */
export const formatShare = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

/** The change against the previous window: `+12%`, `-5%`, `±0%`, `new`, `–`, or `no earlier data`. */
export function formatChange(figure: Figure): string {
  if (figure.previousCovered === false) return 'no earlier data';
  if (figure.changePct === null) return figure.value > 0 ? 'new' : '–';
  const rounded = Math.round(figure.changePct);
  if (rounded === 0) return '±0%';
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

/**
 * Builds a figure, computing the change in percent: null when there is nothing to compare, i.e.
 * the previous window had none or the lake does not reach back to its start (`covered` false).
 */
export function figure(value: number, previous: number, covered = true): Figure {
  const changePct = covered && previous > 0 ? ((value - previous) / previous) * 100 : null;
  return covered ? { value, previous, changePct } : { value, previous, changePct, previousCovered: false };
}
