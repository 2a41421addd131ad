import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DemoEvent,
  generateTeamActivity,
  type TeamActivityOptions,
} from '../../functions/demo/team-activity.ts';
import { writeRowsToLake } from '../../functions/lake/lake-layout.ts';
import { sanitize } from '../../functions/schema/allowlist.ts';
import { type EmailPolicy, emailTransformer } from '../../functions/schema/email.ts';
import type { Row } from '../../functions/schema/row.ts';

/**
 * Test lakes built the way the pipeline builds them: seeded demo events -> `sanitize` (the
 * allowlist) -> `writeRowsToLake` (Parquet under `events/dt=.../`). Shared by the SQL, digest and
 * dashboard tests; build one per test file (`beforeAll`) and `dispose` it after.
 *
 *   const lake = await buildTestLake({ seed: 7, teamSize: 8, days: 10, endMs: Date.UTC(2026, 0, 12) });
 *   lake.dir -> '/tmp/lake-XXXX'; lake.rows -> the sanitized rows in the lake; lake.events -> the demo events
 */
export interface TestLake {
  readonly dir: string;
  /** The generated events, before the allowlist. */
  readonly events: readonly DemoEvent[];
  /** The sanitized rows written to the lake, in event order. */
  readonly rows: readonly Row[];
  dispose(): Promise<void>;
}

export interface TestLakeOptions extends TeamActivityOptions {
  /** E-mail policy applied by the allowlist. @default keep */
  readonly email?: EmailPolicy;
  /** Extra rows written as they are (edge cases at window boundaries, ...). */
  readonly extraRows?: readonly Row[];
}

/** Sanitizes demo events into lake rows (event ids `ev-<index>`); skipped/rejected ones are dropped. */
export function sanitizeEvents(events: readonly DemoEvent[], email: EmailPolicy = { mode: 'keep' }): Row[] {
  const options = { email: emailTransformer(email) };
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
      { id: `ev-${i}`, timestampMs: event.timeMs },
      options,
    );
    if (outcome.kind === 'row') rows.push(outcome.row);
  });
  return rows;
}

export async function buildTestLake(options: TestLakeOptions = {}): Promise<TestLake> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-'));
  const { events } = generateTeamActivity(options);
  const rows = [...sanitizeEvents(events, options.email), ...(options.extraRows ?? [])];
  await writeRowsToLake(dir, rows);
  return { dir, events, rows, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** An empty lake directory (no `events/` yet). */
export async function emptyTestLake(): Promise<Pick<TestLake, 'dir' | 'dispose'>> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-empty-'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
