import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { writeRowsToLake } from '../../functions/lake/lake-layout.ts';
import { sanitize } from '../../functions/schema/allowlist.ts';
import { emailTransformer } from '../../functions/schema/email.ts';
import type { Row } from '../../functions/schema/row.ts';

/**
 * A lake like the one `claude-otel-lake demo` leaves (the seeded 15-person week, through the
 * allowlist into Parquet), written directly rather than through the endpoint so a benchmark
 * builds it in a second. Returns the number of rows.
 */
export async function writeDemoLake(lake: string, options = { teamSize: 15, days: 7 }): Promise<number> {
  const { events } = generateTeamActivity({ seed: 42, ...options });
  const email = emailTransformer({ mode: 'keep' });
  const rows: Row[] = [];
  events.forEach((event, i) => {
    const outcome = sanitize(
      {
        body: event.body,
        attributes: event.attributes,
        resource: event.resource,
        scopeName: null,
        timeMs: event.timeMs,
      },
      { id: `demo-${i}`, timestampMs: event.timeMs },
      { email },
    );
    if (outcome.kind === 'row') rows.push(outcome.row);
  });
  await writeRowsToLake(lake, rows);
  return rows.length;
}
