import { ReingestError } from './errors.ts';

export interface DeliveryStream {
  readonly region: string;
  readonly name: string;
}

const STREAM_ARN = /^arn:aws[a-z-]*:firehose:([a-z0-9-]+):\d{12}:deliverystream\/([A-Za-z0-9_.-]{1,64})$/;

/**
 * The delivery stream that invoked the transform, from the event's `deliveryStreamArn`:
 *
 *   'arn:aws:firehose:eu-west-1:123456789012:deliverystream/claude-otel' -> { region: 'eu-west-1', name: 'claude-otel' }
 */
export function parseDeliveryStreamArn(arn: string): DeliveryStream {
  const match = STREAM_ARN.exec(arn);
  if (!match) throw new ReingestError('bad-stream-arn', `not a Firehose delivery stream ARN: "${arn}"`);
  return { region: match[1]!, name: match[2]! };
}
