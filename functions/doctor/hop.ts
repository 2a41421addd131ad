import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * `doctor` proves the deployed pipeline hop by hop. Each hop ends in one HopResult: whether it
 * holds, what was seen, and, when it does not hold, what to fix. No result ever carries the API key.
 */
export interface HopResult {
  /** Short name of the hop, e.g. `raw log group`. */
  readonly hop: string;
  readonly ok: boolean;
  /** What was checked or seen. */
  readonly detail: string;
  /** What to do about a failure. */
  readonly fix?: string;
}

export const pass = (hop: string, detail: string): HopResult => ({ hop, ok: true, detail });
export const fail = (hop: string, detail: string, fix: string): HopResult => ({
  hop,
  ok: false,
  detail,
  fix,
});

/** The AWS clients the hops use, all for the stack's region. */
export interface DoctorClients {
  readonly cloudFormation: CloudFormationClient;
  readonly logs: CloudWatchLogsClient;
  readonly firehose: FirehoseClient;
  readonly cloudWatch: CloudWatchClient;
  readonly s3: S3Client;
  readonly athena: AthenaClient;
}

/** Time, injectable so tests do not wait. */
export interface DoctorClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const realClock: DoctorClock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** An SDK error as one line: `AccessDeniedException: User ... is not authorized ...`. */
export function errorLine(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const message = (e?.message ?? String(error)).split('\n')[0];
  return e?.name && e.name !== 'Error' ? `${e.name}: ${message}` : String(message);
}
