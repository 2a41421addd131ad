import { DescribeSubscriptionFiltersCommand, type SubscriptionFilter } from '@aws-sdk/client-cloudwatch-logs';
import { type DeliveryStreamDescription, DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { type DoctorClients, errorLine, fail, type HopResult, pass } from './hop.ts';

const HOP = 'subscription + stream';

export interface DeliveryFacts {
  /** Firehose's S3 buffer interval, seconds: how long a record may wait before it is written. */
  readonly bufferIntervalSeconds: number;
}

/**
 * Hop 3: the raw log group's subscription filter sends to the stack's delivery stream, and the
 * stream is ACTIVE. Also reads the buffer interval, which bounds the wait for the canary.
 */
export async function checkDelivery(
  clients: DoctorClients,
  logGroupName: string,
  streamName: string,
): Promise<{ result: HopResult; facts?: DeliveryFacts }> {
  let description: DeliveryStreamDescription | undefined;
  try {
    description = (
      await clients.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: streamName }))
    ).DeliveryStreamDescription;
  } catch (error) {
    return {
      result: fail(HOP, `cannot describe stream ${streamName}: ${errorLine(error)}`, 'redeploy the stack'),
    };
  }
  const status = description?.DeliveryStreamStatus ?? 'missing';
  if (status !== 'ACTIVE') {
    return {
      result: fail(
        HOP,
        `delivery stream ${streamName} is ${status}`,
        status === 'CREATING'
          ? 'wait a minute and run doctor again'
          : 'redeploy the stack (`npx cdk deploy`)',
      ),
    };
  }
  let filters: SubscriptionFilter[] | undefined;
  try {
    filters = (await clients.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName })))
      .subscriptionFilters;
  } catch (error) {
    return {
      result: fail(
        HOP,
        `cannot list subscription filters: ${errorLine(error)}`,
        'grant logs:DescribeSubscriptionFilters',
      ),
    };
  }
  const arn = description?.DeliveryStreamARN;
  const filter = filters?.find((f) => f.destinationArn === arn);
  if (!filter) {
    return {
      result: fail(
        HOP,
        `no subscription filter of ${logGroupName} sends to ${streamName}: events stay in the raw log group`,
        'redeploy the stack; a log group has at most two subscription filters, remove one you added by hand',
      ),
    };
  }
  const s3 = description?.Destinations?.[0]?.ExtendedS3DestinationDescription;
  const bufferIntervalSeconds = s3?.BufferingHints?.IntervalInSeconds ?? 900;
  return {
    result: pass(
      HOP,
      `filter "${filter.filterName}" -> ${streamName} (ACTIVE, buffer ${bufferIntervalSeconds} s)`,
    ),
    facts: { bufferIntervalSeconds },
  };
}
