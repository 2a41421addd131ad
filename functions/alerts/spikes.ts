import { addDays } from '../sql/zoned-time.ts';

/**
 * Cost spikes: a person whose cost on one day is above `factor` x the median of their own daily
 * cost over the 28 days before it. Only days with cost count towards the median (someone who
 * works two days a week has a real median, not 0), and it needs `minHistoryDays` such days; a
 * day below `minUsd` is never a spike, so quiet people are never flagged. Pure.
 *
 *   findSpikes(rows, { days: ['2026-12-01'], factor: 3, minUsd: 10, minHistoryDays: 5 })
 *   -> [{ user: 'kasama', day: '2026-12-01', costUsd: 84.2, medianUsd: 12.1, historyDays: 14 }]
 */
export const SPIKE_HISTORY_DAYS = 28;

export interface DailyCost {
  /** `yyyy-MM-dd` in the team time zone. */
  readonly day: string;
  readonly user: string;
  readonly costUsd: number;
}

export interface SpikeRules {
  /** The days to judge (today and yesterday, so a late spike is not missed). */
  readonly days: readonly string[];
  readonly factor: number;
  readonly minUsd: number;
  readonly minHistoryDays: number;
}

export interface Spike {
  readonly user: string;
  readonly day: string;
  readonly costUsd: number;
  readonly medianUsd: number;
  readonly historyDays: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function findSpikes(rows: readonly DailyCost[], rules: SpikeRules): Spike[] {
  const byUser = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (!(r.costUsd > 0)) continue;
    const days = byUser.get(r.user) ?? new Map<string, number>();
    byUser.set(r.user, days);
    days.set(r.day, (days.get(r.day) ?? 0) + r.costUsd);
  }
  const spikes: Spike[] = [];
  for (const [user, days] of byUser) {
    for (const day of rules.days) {
      const cost = days.get(day) ?? 0;
      if (cost < rules.minUsd) continue;
      const first = addDays(day, -SPIKE_HISTORY_DAYS);
      const history = [...days].filter(([d]) => d >= first && d < day).map(([, c]) => c);
      if (history.length < rules.minHistoryDays) continue;
      const m = median(history);
      if (cost > rules.factor * m) {
        spikes.push({ user, day, costUsd: cost, medianUsd: m, historyDays: history.length });
      }
    }
  }
  return spikes.sort(
    (a, b) => a.day.localeCompare(b.day) || b.costUsd - a.costUsd || a.user.localeCompare(b.user),
  );
}
