import { RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeLakeReader, lakeReadObjects, nagArn } from '../nag.ts';
import type { Catalog } from './catalog.ts';
import {
  DIGEST_RETRY_ATTEMPTS,
  DIGEST_SQL_DIR,
  DIGEST_TIMEOUT,
  digestEnvironment,
} from './digest-defaults.ts';
import { grantInsightsModel, type InsightsModelProps, insightsEnvironment } from './digest-insights.ts';
import { LakeFunction } from './lake-function.ts';
import { LAMBDA_TASK_ROOT } from './lake-function-defaults.ts';

export interface DigestProps {
  /** Entry of the digest handler (exports `handler`). */
  readonly entry: string;
  /** Athena workgroup name and ARN. */
  readonly workGroupName: string;
  readonly workGroupArn: string;
  /** The Glue database and table the digest reads. */
  readonly catalog: Catalog;
  /** The lake bucket (events and query results). */
  readonly bucket: s3.IBucket;
  readonly eventsPrefix: string;
  readonly resultsPrefix: string;
  /** Scheduler expression, e.g. `cron(0 9 ? * MON *)`, evaluated in `timeZone`. */
  readonly schedule: string;
  /** IANA time zone of the team. */
  readonly timeZone: string;
  /** Slack channel to post to. */
  readonly channel: string;
  /** Days the digest covers. */
  readonly days: number;
  readonly logRetentionDays: number;
  /** The Bedrock model that writes the Insights section; none = the digest has no insights. */
  readonly insightsModel?: InsightsModelProps;
}

/**
 * The weekly digest: a Lambda that runs the digest queries in Athena and posts to Slack, an
 * EventBridge Scheduler schedule in the team's time zone, and the Slack bot token secret, which
 * the stack creates empty (the README says how to fill it).
 */
export class Digest extends Construct {
  public readonly fn: LakeFunction;
  public readonly slackToken: secretsmanager.Secret;
  public readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: DigestProps) {
    super(scope, id);
    this.slackToken = new secretsmanager.Secret(this, 'SlackToken', {
      description:
        'Slack bot token (xoxb-...) of the weekly Claude Code digest (claude-otel-lake). Created empty.',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Created empty: no generated value, the team puts the bot token in after deploying.
    (this.slackToken.node.defaultChild as secretsmanager.CfnSecret).addPropertyDeletionOverride(
      'GenerateSecretString',
    );
    acknowledge(
      this.slackToken,
      'SMG4',
      'A Slack bot token is issued by Slack; Secrets Manager cannot rotate it. It is rotated by reinstalling ' +
        'the Slack app and putting the new token (README), and only the digest role can read it.',
    );

    this.fn = new LakeFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Weekly Claude Code usage digest to Slack (claude-otel-lake).',
      environment: {
        ...digestEnvironment({
          workGroup: props.workGroupName,
          database: props.catalog.databaseName,
          secretArn: this.slackToken.secretArn,
          channel: props.channel,
          timeZone: props.timeZone,
          days: props.days,
          queriesDir: `${LAMBDA_TASK_ROOT}/${DIGEST_SQL_DIR}`,
        }),
        ...insightsEnvironment(props.insightsModel),
      },
      sqlDirs: [DIGEST_SQL_DIR],
      logRetentionDays: props.logRetentionDays,
      timeout: DIGEST_TIMEOUT,
    });
    // EventBridge Scheduler invokes asynchronously, so Lambda's own async retries (2 by default)
    // apply whatever the schedule's retry policy says: a failure after the Slack post would post
    // again. None: a failure raises the digest-errors alarm instead.
    this.fn.fn.configureAsyncInvoke({ retryAttempts: DIGEST_RETRY_ATTEMPTS });
    this.grantQueries(props);
    acknowledgeLakeReader(this.fn, {
      bucket: props.bucket,
      tablesArn: props.catalog.arns().tables,
      eventsPrefix: props.eventsPrefix,
      resultsPrefix: props.resultsPrefix,
    });
    this.slackToken.grantRead(this.fn.role);
    if (props.insightsModel) grantInsightsModel(this, this.fn.role, props.insightsModel);

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Invokes the weekly digest (claude-otel-lake).',
    });
    acknowledge(
      schedulerRole,
      `IAM5[Resource::${nagArn(this.fn.fn)}:*]`,
      'lambda:InvokeFunction on the digest function and its versions (ARN:*), as the CDK grant writes it; ' +
        'no other function.',
    );
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Weekly Claude Code usage digest (claude-otel-lake).',
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.of(props.timeZone)),
      target: new targets.LambdaInvoke(this.fn.fn, {
        role: schedulerRole,
        retryAttempts: DIGEST_RETRY_ATTEMPTS,
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'claude-otel-lake.schedule' }),
      }),
    });
  }

  private grantQueries(props: DigestProps): void {
    const arns = props.catalog.arns();
    const role = this.fn.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'QueryInWorkGroup',
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
        ],
        resources: [props.workGroupArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadLakeCatalog',
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartition',
          'glue:GetPartitions',
        ],
        resources: [arns.catalog, arns.database, arns.tables],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LakeBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [props.bucket.bucketArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadEvents',
        actions: ['s3:GetObject'],
        resources: lakeReadObjects(props.bucket, props.eventsPrefix),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteQueryResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [props.bucket.arnForObjects(`${props.resultsPrefix}*`)],
      }),
    );
  }
}
