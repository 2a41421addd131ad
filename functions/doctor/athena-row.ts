import { AthenaEngine } from '../sql/athena-engine.ts';
import type { Canary } from './canary.ts';
import { CANARY_EVENT } from './canary.ts';
import type { DoctorClients, DoctorClock } from './hop.ts';

/** Where the canary's row would be. */
export interface LakeTable {
  readonly workGroup: string;
  readonly database: string;
  readonly table: string;
}

/**
 * Whether the canary is a row of the events table: one Athena query through the project's own
 * engine, limited to the canary's UTC arrival days (`dt`, the partition) and its id.
 */
export async function canaryRowCount(
  clients: DoctorClients,
  clock: DoctorClock,
  lake: LakeTable,
  canary: Canary,
  nowMs: number,
): Promise<number> {
  const engine = new AthenaEngine({
    workgroup: lake.workGroup,
    database: lake.database,
    client: clients.athena,
    now: clock.now,
    sleep: clock.sleep,
    timeoutMs: 120_000,
  });
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const table = `"${lake.table.replaceAll('"', '""')}"`;
  const result = await engine.run(
    `SELECT count(*) AS n FROM ${table} WHERE dt BETWEEN ? AND ? AND event_name = ? AND session_id = ?`,
    [day(canary.sentAtMs), day(nowMs), CANARY_EVENT, canary.id],
  );
  return Number(result.rows[0]?.n ?? 0);
}
