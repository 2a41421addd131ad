import { addDays, zonedDate, zonedMidnight } from '../sql/zoned-time.ts';

/**
 * The monthly team budget: how much of it the month so far used, the thresholds crossed, and a
 * forecast of the month's end at the current burn (spent so far / time elapsed x month length).
 * Pure; the month is the calendar month in the team time zone.
 *
 *   budgetStatus({ spentUsd: 450, budgetUsd: 1000, thresholds: [80, 90, 100], now, timeZone })
 *   -> { month: '2026-12', usedPct: 45, forecastUsd: 1395, crossed: [] , ... }
 */
export interface MonthWindow {
  /** `yyyy-MM` in the team time zone. */
  readonly month: string;
  readonly from: Date;
  /** The first instant of the next month. */
  readonly end: Date;
}

export function monthOf(now: Date, timeZone: string): MonthWindow {
  const today = zonedDate(now, timeZone);
  const month = today.slice(0, 7);
  const first = `${month}-01`;
  // 32 days after the 1st is always in the next month.
  const next = `${addDays(first, 32).slice(0, 7)}-01`;
  return { month, from: zonedMidnight(first, timeZone), end: zonedMidnight(next, timeZone) };
}

export interface BudgetInput {
  readonly spentUsd: number;
  readonly budgetUsd: number;
  /** Percentages of the budget, ascending, e.g. [80, 90, 100]. */
  readonly thresholds: readonly number[];
  readonly now: Date;
  readonly timeZone: string;
}

export interface BudgetStatus {
  readonly month: MonthWindow;
  readonly spentUsd: number;
  readonly budgetUsd: number;
  readonly usedPct: number;
  readonly forecastUsd: number;
  /** Thresholds reached so far this month, ascending. */
  readonly crossed: readonly number[];
}

export function budgetStatus(input: BudgetInput): BudgetStatus {
  const month = monthOf(input.now, input.timeZone);
  const elapsed = Math.max(input.now.getTime() - month.from.getTime(), 1);
  const length = month.end.getTime() - month.from.getTime();
  const usedPct = (input.spentUsd / input.budgetUsd) * 100;
  return {
    month,
    spentUsd: input.spentUsd,
    budgetUsd: input.budgetUsd,
    usedPct,
    forecastUsd: (input.spentUsd / elapsed) * length,
    crossed: input.thresholds.filter((t) => usedPct >= t),
  };
}
