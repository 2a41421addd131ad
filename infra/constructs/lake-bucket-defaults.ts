import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ERRORS_PREFIX, EVENTS_PREFIX } from '../../functions/lake/lake-layout.ts';

/** Key prefixes of the lake bucket, the same layout as the local lake. */
export const LAKE_PREFIXES = {
  events: `${EVENTS_PREFIX}/`,
  errors: `${ERRORS_PREFIX}/`,
  athenaResults: 'athena-results/',
} as const;

/** Athena query results are scratch data: they expire after this many days. */
export const ATHENA_RESULTS_EXPIRATION_DAYS = 7;

/** Objects at or under this size stay in S3 Standard (S3's own default since September 2024). */
export const GLACIER_IR_MIN_OBJECT_BYTES = 128 * 1024;

export interface LakeLifecycleOptions {
  /** Days before `events/` moves to Glacier Instant Retrieval (Athena still reads it); 0 = never. */
  readonly transitionDays: number;
  /** Days before `events/` expires; 0 = never. */
  readonly expirationDays: number;
  /** Days before Firehose error output (raw records) expires. */
  readonly errorRetentionDays: number;
}

/**
 * Lifecycle rules of the lake bucket. Glacier Instant Retrieval keeps objects readable by Athena
 * (Flexible Retrieval and Deep Archive would not); error output holds raw, unsanitized records,
 * so it expires early.
 */
export function lakeLifecycleRules(options: LakeLifecycleOptions): s3.LifecycleRule[] {
  const rules: s3.LifecycleRule[] = [
    { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    {
      id: 'expire-athena-results',
      prefix: LAKE_PREFIXES.athenaResults,
      expiration: Duration.days(ATHENA_RESULTS_EXPIRATION_DAYS),
    },
    {
      id: 'expire-errors',
      prefix: LAKE_PREFIXES.errors,
      expiration: Duration.days(options.errorRetentionDays),
    },
  ];
  if (options.transitionDays > 0) {
    rules.push({
      id: 'events-to-glacier-ir',
      prefix: LAKE_PREFIXES.events,
      // S3 does not transition objects under 128 KB (and Glacier IR bills each as 128 KB): the
      // rule says so rather than counting on objects it skips.
      objectSizeGreaterThan: GLACIER_IR_MIN_OBJECT_BYTES,
      transitions: [
        {
          storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
          transitionAfter: Duration.days(options.transitionDays),
        },
      ],
    });
  }
  // Expiration is a rule of its own: in the transition rule it would skip small objects too.
  if (options.expirationDays > 0) {
    rules.push({
      id: 'expire-events',
      prefix: LAKE_PREFIXES.events,
      expiration: Duration.days(options.expirationDays),
    });
  }
  return rules;
}

/** Settings every bucket of the stack shares: private, encrypted, TLS only. */
export function secureBucketProps(): Pick<
  s3.BucketProps,
  'encryption' | 'blockPublicAccess' | 'enforceSSL' | 'objectOwnership' | 'minimumTLSVersion'
> {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  };
}
