import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ERRORS_PREFIX } from '../lake/lake-layout.ts';
import { PARTITION_KEY } from '../schema/columns.ts';
import type { DoctorClients } from './hop.ts';

/** Error output types Firehose writes under `errors/<type>/` (infra/constructs/delivery-defaults.ts). */
export const ERROR_OUTPUT_TYPES = ['processing-failed', 'format-conversion-failed'] as const;

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Error objects Firehose wrote since `sinceMs`, by error prefix: `errors/processing-failed/dt=…/`
 * (the transform returned ProcessingFailed) and `errors/format-conversion-failed/dt=…/` (Parquet
 * conversion rejected the row). Looks at the UTC days from `sinceMs` to `nowMs`.
 */
export async function errorObjectsSince(
  clients: DoctorClients,
  bucket: string,
  sinceMs: number,
  nowMs: number,
): Promise<{ prefix: string; count: number }[]> {
  const days = [...new Set([utcDay(sinceMs), utcDay(nowMs)])];
  const found: { prefix: string; count: number }[] = [];
  for (const type of ERROR_OUTPUT_TYPES) {
    let count = 0;
    for (const day of days) {
      const prefix = `${ERRORS_PREFIX}/${type}/${PARTITION_KEY}=${day}/`;
      let token: string | undefined;
      do {
        const out = await clients.s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        count += (out.Contents ?? []).filter((o) => (o.LastModified?.getTime() ?? 0) >= sinceMs).length;
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    }
    if (count > 0) found.push({ prefix: `${ERRORS_PREFIX}/${type}/`, count });
  }
  return found;
}

export interface DeliveryMetrics {
  /** Records Firehose received from the subscription filter. */
  readonly incoming: number;
  /** Records Firehose wrote to S3. */
  readonly delivered: number;
}

/** Firehose's own delivery metrics (AWS/Firehose, per stream, summed) from `sinceMs` to `nowMs`. */
export async function deliveryMetrics(
  clients: DoctorClients,
  streamName: string,
  sinceMs: number,
  nowMs: number,
): Promise<DeliveryMetrics> {
  const metric = (id: string, metricName: string) => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Firehose',
        MetricName: metricName,
        Dimensions: [{ Name: 'DeliveryStreamName', Value: streamName }],
      },
      Period: 60,
      Stat: 'Sum',
    },
  });
  const out = await clients.cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(Math.floor(sinceMs / 60_000) * 60_000 - 60_000),
      EndTime: new Date(nowMs + 60_000),
      MetricDataQueries: [metric('incoming', 'IncomingRecords'), metric('delivered', 'DeliveryToS3.Records')],
    }),
  );
  const sum = (id: string) =>
    (out.MetricDataResults ?? []).find((r) => r.Id === id)?.Values?.reduce((a, b) => a + b, 0) ?? 0;
  return { incoming: sum('incoming'), delivered: sum('delivered') };
}
