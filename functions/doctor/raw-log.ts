import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { Canary } from './canary.ts';
import type { DoctorClients } from './hop.ts';

/**
 * Whether the canary is in the raw log group: FilterLogEvents for its id (a quoted term matches
 * it anywhere in the stored message) from a minute before it was sent.
 */
export async function canaryInRawLog(
  clients: DoctorClients,
  logGroupName: string,
  canary: Canary,
): Promise<boolean> {
  const out = await clients.logs.send(
    new FilterLogEventsCommand({
      logGroupName,
      filterPattern: `"${canary.id}"`,
      startTime: canary.sentAtMs - 60_000,
      limit: 1,
    }),
  );
  return (out.events ?? []).some((e) => e.message?.includes(canary.id));
}
