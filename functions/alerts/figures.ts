import type { SqlEngine } from '../sql/engine.ts';
import { runNamedQuery } from '../sql/query-catalog.ts';
import { addDays, zonedDate, zonedMidnight } from '../sql/zoned-time.ts';
import { monthOf } from './budget.ts';
import { type DailyCost, SPIKE_HISTORY_DAYS } from './spikes.ts';

/**
 * The alerts' figures, from the named queries and nowhere else (one definition of cost):
 * `team_totals` over the month so far for the budget, `daily_cost_per_person` over the days the
 * spike rule looks at. Queries run one after another, as the engines ask.
 */
export interface AlertFigures {
  readonly monthSpentUsd: number;
  readonly dailyCosts: readonly DailyCost[];
  /** The days judged for spikes: yesterday and today, in the team time zone. */
  readonly spikeDays: readonly string[];
}

export async function alertFigures(
  engine: SqlEngine,
  now: Date,
  timeZone: string,
  options: { readonly queriesDir?: string | undefined } = {},
): Promise<AlertFigures> {
  const dir = options.queriesDir ? { dir: options.queriesDir } : {};
  const month = monthOf(now, timeZone);
  const totals = await runNamedQuery(engine, 'team_totals', { from: month.from, to: now, timeZone }, dir);
  const today = zonedDate(now, timeZone);
  const yesterday = addDays(today, -1);
  const from = zonedMidnight(addDays(yesterday, -SPIKE_HISTORY_DAYS), timeZone);
  const daily = await runNamedQuery(engine, 'daily_cost_per_person', { from, to: now, timeZone }, dir);
  return {
    monthSpentUsd: Number(totals.rows[0]?.cost_usd ?? 0) || 0,
    dailyCosts: daily.rows.flatMap((r) =>
      r.user_name === null || r.day === null
        ? []
        : [{ day: String(r.day), user: String(r.user_name), costUsd: Number(r.cost_usd) || 0 }],
    ),
    spikeDays: [yesterday, today],
  };
}
