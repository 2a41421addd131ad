import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  LAKE_PREFIXES,
  type LakeLifecycleOptions,
  lakeLifecycleRules,
  secureBucketProps,
} from './lake-bucket-defaults.ts';

export interface LakeBucketProps {
  /** Lifecycle of lake data and error output. */
  readonly lifecycle: LakeLifecycleOptions;
  /** What happens to the buckets when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Days server access logs are kept. @default 90 */
  readonly accessLogRetentionDays?: number;
}

/**
 * The lake bucket: `events/` (Parquet, by `dt`), `errors/` (Firehose error output, always
 * writable: no object lock, no deny), `athena-results/` (expires after 7 days); plus a bucket for
 * its server access logs.
 */
export class LakeBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;
  public readonly prefixes = LAKE_PREFIXES;

  constructor(scope: Construct, id: string, props: LakeBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // ACLs disabled: S3 delivers the access logs under the bucket policy the lake bucket's
      // logging adds (FIXED_CONTEXT in infra/build-app.ts), not the LogDeliveryWrite ACL.
      ...secureBucketProps(),
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays ?? 90) }],
      removalPolicy,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the destination of the lake bucket server access logs; logging it into itself would loop.',
    });
    const lifecycleRules = lakeLifecycleRules(props.lifecycle);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps(),
      lifecycleRules,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'lake/',
      removalPolicy,
    });
    stringifyObjectSizes(this.bucket, lifecycleRules);
  }

  /** `s3://<bucket>/<prefix>` of a prefix of the lake. */
  s3Url(prefix: string): string {
    return `s3://${this.bucket.bucketName}/${prefix}`;
  }
}

/**
 * CloudFormation types a lifecycle rule's `ObjectSizeGreaterThan` as a string; the L2 writes a
 * number, which CloudFormation coerces with a validator warning (W9003). Written as a string.
 */
function stringifyObjectSizes(bucket: s3.Bucket, rules: readonly s3.LifecycleRule[]): void {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  rules.forEach((rule, i) => {
    if (rule.objectSizeGreaterThan !== undefined) {
      cfn.addPropertyOverride(
        `LifecycleConfiguration.Rules.${i}.ObjectSizeGreaterThan`,
        String(rule.objectSizeGreaterThan),
      );
    }
  });
}
