import { canaryRowCount, type LakeTable } from './athena-row.ts';
import type { Canary } from './canary.ts';
import { type DeliveryMetrics, deliveryMetrics, errorObjectsSince } from './firehose.ts';
import { type DoctorClients, type DoctorClock, errorLine, fail, type HopResult, pass } from './hop.ts';
import { canaryInRawLog } from './raw-log.ts';

export interface FollowTarget extends LakeTable {
  readonly logGroup: string;
  readonly stream: string;
  readonly bucket: string;
  /** Longest wait, ms: the stream's buffer interval plus slack. */
  readonly waitMs: number;
  /** Time between two looks, ms. */
  readonly pollMs: number;
}

const RAW = 'raw log group';
const FIREHOSE = 'firehose delivery';
const ATHENA = 'athena row';
const minutes = (ms: number) =>
  `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/**
 * Hops 5-7: follows the canary from the raw log group through Firehose (its error prefixes while
 * waiting, its delivery metrics at the end) until it is a row in Athena, or the wait runs out.
 * Reports each hop as soon as it is known; returns whether all three hold.
 */
export async function followCanary(
  clients: DoctorClients,
  clock: DoctorClock,
  canary: Canary,
  target: FollowTarget,
  report: (result: HopResult) => void,
  progress: (line: string) => void,
): Promise<boolean> {
  const deadline = canary.sentAtMs + target.waitMs;
  let rawSeen = false;
  for (;;) {
    const now = clock.now();
    try {
      if (!rawSeen && (await canaryInRawLog(clients, target.logGroup, canary))) {
        rawSeen = true;
        report(
          pass(RAW, `${canary.id} stored in ${target.logGroup} after ${minutes(now - canary.sentAtMs)}`),
        );
      }
    } catch (error) {
      report(
        fail(RAW, `cannot search ${target.logGroup}: ${errorLine(error)}`, 'grant logs:FilterLogEvents'),
      );
      return false;
    }
    try {
      const errors = await errorObjectsSince(clients, target.bucket, canary.sentAtMs, now);
      if (errors.length > 0) {
        const list = errors.map((e) => `${e.count} under ${e.prefix}`).join(', ');
        report(
          fail(
            FIREHOSE,
            `Firehose wrote error output since the canary was sent: ${list}`,
            errors.some((e) => e.prefix.includes('processing-failed'))
              ? 'the transform rejected records: read its log group (…/Delivery/Transform) and the objects there'
              : 'Parquet conversion rejected rows: the Glue table and the transform disagree; redeploy both',
          ),
        );
        return false;
      }
      if (rawSeen && (await canaryRowCount(clients, clock, target, canary, now)) > 0) {
        const metrics = await deliveryMetrics(clients, target.stream, canary.sentAtMs, clock.now());
        report(
          pass(
            FIREHOSE,
            `${target.stream}: ${metrics.incoming} record(s) in, ${metrics.delivered} written to S3`,
          ),
        );
        report(
          pass(
            ATHENA,
            `${canary.id} is a row of ${target.database}.${target.table} after ${minutes(clock.now() - canary.sentAtMs)}`,
          ),
        );
        return true;
      }
    } catch (error) {
      report(
        fail(
          rawSeen ? ATHENA : FIREHOSE,
          errorLine(error),
          'grant s3:ListBucket on the lake bucket, athena:StartQueryExecution/GetQueryExecution/GetQueryResults in the workgroup and glue:GetTable',
        ),
      );
      return false;
    }
    if (now >= deadline) break;
    progress(
      `  … waiting for the canary (${rawSeen ? 'in the raw log group, not yet in Athena' : 'not yet in the raw log group'}): ` +
        `${minutes(now - canary.sentAtMs)} of up to ${minutes(target.waitMs)}`,
    );
    await clock.sleep(Math.min(target.pollMs, Math.max(0, deadline - now)));
  }
  return timedOut(clients, clock, canary, target, rawSeen, report);
}

/** What a wait that ran out means, hop by hop. */
async function timedOut(
  clients: DoctorClients,
  clock: DoctorClock,
  canary: Canary,
  target: FollowTarget,
  rawSeen: boolean,
  report: (result: HopResult) => void,
): Promise<false> {
  const waited = minutes(target.waitMs);
  if (!rawSeen) {
    report(
      fail(
        RAW,
        `${canary.id} is not in ${target.logGroup} after ${waited}`,
        'the endpoint accepted it but CloudWatch Logs did not store it: check x-aws-log-group / x-aws-log-stream',
      ),
    );
    return false;
  }
  let metrics: DeliveryMetrics;
  try {
    metrics = await deliveryMetrics(clients, target.stream, canary.sentAtMs, clock.now());
  } catch (error) {
    report(
      fail(
        FIREHOSE,
        `cannot read the stream's metrics: ${errorLine(error)}`,
        'grant cloudwatch:GetMetricData',
      ),
    );
    return false;
  }
  if (metrics.incoming === 0) {
    report(
      fail(
        FIREHOSE,
        `${target.stream} received no records in ${waited} though the canary is in the raw log group`,
        'the subscription filter does not deliver: check its role (firehose:PutRecord, PutRecordBatch) and redeploy',
      ),
    );
  } else if (metrics.delivered === 0) {
    report(
      fail(
        FIREHOSE,
        `${target.stream} received ${metrics.incoming} record(s) but wrote none to S3 in ${waited}`,
        "read the stream's delivery log group and the DeliveryFailing / TransformInvocationsFailing alarms",
      ),
    );
  } else {
    report(
      pass(
        FIREHOSE,
        `${target.stream}: ${metrics.incoming} record(s) in, ${metrics.delivered} written to S3`,
      ),
    );
    report(
      fail(
        ATHENA,
        `Firehose wrote to S3 but ${canary.id} is not a row of ${target.database}.${target.table} after ${waited}`,
        'the transform may have dropped it (see its logs), or the partition projection misses today: redeploy',
      ),
    );
  }
  return false;
}
