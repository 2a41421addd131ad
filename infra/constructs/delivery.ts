import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EmailMode } from '../../functions/schema/email.ts';
import { acknowledge, nagArn } from '../nag.ts';
import {
  dataOutputPrefix,
  errorOutputPrefix,
  parquetOutput,
  processorBuffer,
  S3_BUFFER_SIZE,
} from './delivery-defaults.ts';
import { LakeFunction } from './lake-function.ts';

export interface DeliveryProps {
  /** The raw log group the subscription filter reads. */
  readonly source: logs.ILogGroup;
  /** The lake bucket. */
  readonly bucket: s3.IBucket;
  /** Key prefix of the events, ending in `/`. */
  readonly eventsPrefix: string;
  /** Key prefix of Firehose error output, ending in `/`. */
  readonly errorsPrefix: string;
  /** The Glue table whose columns drive the Parquet conversion. */
  readonly table: glue.CfnTable;
  /** Glue database name of `table`. */
  readonly databaseName: string;
  /** Glue name of `table`. */
  readonly tableName: string;
  /** Entry of the transform handler (exports `handler`). */
  readonly transformEntry: string;
  /** How the transform stores `user.email`. */
  readonly emailMode: EmailMode;
  /** S3 buffer interval: the data latency. */
  readonly bufferInterval: Duration;
  /** Retention of the function and delivery log groups, days. */
  readonly logRetentionDays: number;
}

/**
 * From the raw log group to Parquet: subscription filter (own role) -> Firehose (own role, exact
 * permissions) -> transform Lambda (allowlist) -> OpenX JSON to Parquet via the Glue table ->
 * `events/dt=.../`, failures under `errors/<error-output-type>/`.
 *
 * The transform may re-ingest overflow into its own stream. Its `PutRecordBatch` permission is a
 * separate policy, not the role's default policy: the function does not depend on it, so the
 * stream (which names the function) and the policy (which names the stream) form no cycle. The
 * handler finds its stream in the event's `deliveryStreamArn`, so no environment variable
 * refers to the stream either.
 */
export class Delivery extends Construct {
  public readonly transform: LakeFunction;
  public readonly stream: firehose.DeliveryStream;
  public readonly deliveryLogGroup: logs.LogGroup;
  public readonly firehoseRole: iam.Role;
  public readonly subscription: logs.SubscriptionFilter;
  /** The HMAC key of e-mail pseudonyms, when the e-mail mode is `hmac`. */
  public readonly emailKey?: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    if (props.emailMode === 'hmac') {
      this.emailKey = new secretsmanager.Secret(this, 'EmailHmacKey', {
        description:
          'HMAC key of user e-mail pseudonyms (claude-otel-lake). Changing it changes every pseudonym.',
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledge(
        this.emailKey,
        'SMG4',
        'The key of e-mail pseudonyms: rotating it would change every pseudonym and split each person in two ' +
          'across the rotation. It is generated, never output, and only the transform role can read it.',
      );
    }
    this.transform = new LakeFunction(this, 'Transform', {
      entry: props.transformEntry,
      description: 'Firehose transform: CloudWatch Logs payloads to allowlisted rows (claude-otel-lake).',
      environment: {
        EMAIL_MODE: props.emailMode,
        ...(this.emailKey ? { EMAIL_HMAC_SECRET_ARN: this.emailKey.secretArn } : {}),
      },
      logRetentionDays: props.logRetentionDays,
      memorySize: 1024,
      timeout: Duration.minutes(3),
    });
    this.emailKey?.grantRead(this.transform.role);

    this.deliveryLogGroup = new logs.LogGroup(this, 'DeliveryLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Firehose's role gets exactly what delivery needs; the L2's automatic grants (read-write
    // on the whole bucket, including deletes) are switched off by handing it an immutable view.
    // Trust as the Firehose guide writes it ("Allow Firehose to assume an IAM role"): Firehose
    // passes the account id as the external id; it does not document `aws:SourceAccount`.
    this.firehoseRole = new iam.Role(this, 'FirehoseRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Stack.of(this).account } },
      }),
      description: 'Firehose delivery of Claude Code events to the lake (claude-otel-lake).',
    });
    const firehosePolicy = this.firehosePolicy(props);
    for (const prefix of [props.eventsPrefix, props.errorsPrefix]) {
      acknowledge(
        firehosePolicy,
        `IAM5[Resource::${nagArn(props.bucket)}/${prefix}*]`,
        `Firehose writes objects under generated keys; the grant is limited to ${prefix} and holds no delete.`,
      );
    }

    const destination = new firehose.S3Bucket(props.bucket, {
      role: this.firehoseRole.withoutPolicyUpdates(),
      dataOutputPrefix: dataOutputPrefix(props.eventsPrefix),
      errorOutputPrefix: errorOutputPrefix(props.errorsPrefix),
      bufferingInterval: props.bufferInterval,
      bufferingSize: S3_BUFFER_SIZE,
      loggingConfig: new firehose.EnableLogging(this.deliveryLogGroup),
      processors: [new firehose.LambdaFunctionProcessor(this.transform.fn, processorBuffer())],
      dataFormatConversion: {
        schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(props.table),
        inputFormat: firehose.InputFormat.OPENX_JSON,
        outputFormat: parquetOutput(),
      },
    });
    this.stream = new firehose.DeliveryStream(this, 'Stream', {
      destination,
      encryption: firehose.StreamEncryption.awsOwnedKey(),
    });
    this.stream.node.addDependency(firehosePolicy);

    // Re-ingest of overflow into its own stream, and nothing more.
    const reingest = new iam.Policy(this, 'TransformReingestPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'ReingestOverflow',
          actions: ['firehose:PutRecordBatch'],
          resources: [this.stream.deliveryStreamArn],
        }),
      ],
    });
    reingest.attachToRole(this.transform.role);

    this.subscription = new logs.SubscriptionFilter(this, 'Subscription', {
      logGroup: props.source,
      destination: new destinations.FirehoseDestination(this.stream),
      filterPattern: logs.FilterPattern.allEvents(),
    });
  }

  private firehosePolicy(props: DeliveryProps): iam.Policy {
    const stack = Stack.of(this);
    const fnArn = this.transform.fn.functionArn;
    return new iam.Policy(this, 'FirehosePolicy', {
      roles: [this.firehoseRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'LakeBucket',
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [props.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteEventsAndErrors',
          actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          resources: [
            props.bucket.arnForObjects(`${props.eventsPrefix}*`),
            props.bucket.arnForObjects(`${props.errorsPrefix}*`),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'InvokeTransform',
          actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
          resources: [fnArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadSchema',
          actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
          resources: [
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.databaseName }),
            stack.formatArn({
              service: 'glue',
              resource: 'table',
              resourceName: `${props.databaseName}/${props.tableName}`,
            }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'WriteDeliveryErrors',
          actions: ['logs:PutLogEvents'],
          resources: [this.deliveryLogGroup.logGroupArn],
        }),
      ],
    });
  }
}
