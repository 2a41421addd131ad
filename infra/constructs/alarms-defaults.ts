import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { INVOCATION_LOG_MESSAGE } from '../../functions/transform/invocation-log.ts';

/** Namespace of the metrics the stack derives from logs. */
export const METRIC_NAMESPACE = 'ClaudeOtelLake';

/** Namespace and dimension of Firehose's own metrics. */
export function firehoseMetric(
  streamName: string,
  metricName: string,
  statistic: string,
  period: Duration = Duration.minutes(5),
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Firehose',
    metricName,
    dimensionsMap: { DeliveryStreamName: streamName },
    statistic,
    period,
  });
}

/**
 * Data is late when the oldest undelivered record is older than one S3 buffer interval plus
 * 15 minutes of slack for the transform's own buffer and retries.
 */
export function freshnessThresholdSeconds(bufferInterval: Duration): number {
  return bufferInterval.toSeconds() + 900;
}

/** Quiet streams send no data points; silence is not an alarm. */
export const TREAT_MISSING = cloudwatch.TreatMissingData.NOT_BREACHING;

/**
 * Records the transform returned as `ProcessingFailed`, counted from its own invocation log line
 * (functions/transform/invocation-log.ts), as the Firehose guide advises ("emit error logs from
 * your Lambda function"): Firehose has no metric for them and does not promise an error-log entry
 * per record. The line carries `records.failed`, the exact count.
 */
export const FAILED_RECORDS_PATTERN = `{ $.message = "${INVOCATION_LOG_MESSAGE}" && $.records.failed > 0 }`;
export const FAILED_RECORDS_VALUE = '$.records.failed';
