import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRowsToLake } from '../../functions/lake/lake-layout.ts';
import type { Row } from '../../functions/schema/row.ts';

/**
 * A lake for the alert tests, with costs chosen by hand (UTC days):
 *   ana  $5 a day from 3 Nov, $40 on 2 Dec             -> a spike on 2 Dec (8x her median)
 *   ben  $20 a day, $50 on 2 Dec                        -> 2.5x: no spike at 3x
 *   cy   $0.50 a day, $5 on 2 Dec                        -> 10x, but below the $10 floor: quiet
 *   dee  only 2 Dec, $100                                -> no history: no spike
 * Each day's cost is split over two requests at 09:00 and 15:00.
 */
export const PEOPLE: Readonly<Record<string, (day: string) => number>> = {
  ana: (d) => (d === '2026-12-02' ? 40 : 5),
  ben: (d) => (d === '2026-12-02' ? 50 : 20),
  cy: (d) => (d === '2026-12-02' ? 5 : 0.5),
  dee: (d) => (d === '2026-12-02' ? 100 : 0),
};

export interface CostRow {
  readonly at: number;
  readonly user: string;
  readonly cost: number;
}

export function costRows(from = '2026-11-03', to = '2026-12-31'): CostRow[] {
  const rows: CostRow[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    for (const [user, cost] of Object.entries(PEOPLE)) {
      const c = cost(day);
      if (c > 0) {
        rows.push({ at: t + 9 * 3_600_000, user, cost: c / 2 });
        rows.push({ at: t + 15 * 3_600_000, user, cost: c / 2 });
      }
    }
  }
  return rows;
}

export async function buildAlertsLake(
  rows: readonly CostRow[],
): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-alerts-'));
  const lakeRows: Row[] = rows.map((r, i) => ({
    event_id: `ev-${i}`,
    event_time: r.at,
    event_name: 'api_request',
    user_email: `${r.user}@example.com`,
    session_id: `s-${r.user}-${Math.floor(r.at / 86_400_000)}`,
    model: 'claude-sonnet-4-5',
    cost_usd: r.cost,
  }));
  await writeRowsToLake(dir, lakeRows);
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** The month's spend up to `now`, summed here from the rows, not through SQL. */
export const spentBetween = (rows: readonly CostRow[], from: Date, to: Date): number =>
  rows.filter((r) => r.at >= from.getTime() && r.at < to.getTime()).reduce((s, r) => s + r.cost, 0);
