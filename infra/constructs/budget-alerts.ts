import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeLakeReader, lakeReadObjects, nagArn } from '../nag.ts';
import type { Catalog } from './catalog.ts';
import { LakeFunction } from './lake-function.ts';
import { LAMBDA_TASK_ROOT } from './lake-function-defaults.ts';

/**
 * Budget and spike alerts (functions/alerts/handler.ts): a Lambda that runs the alert check on
 * Athena and posts due alerts to the admin channel, on an EventBridge Scheduler schedule with no
 * retries (the next run is the retry; the state keeps each alert to one send). The state is one
 * object in the lake bucket, the only key the function may write.
 */
export interface BudgetAlertsProps {
  readonly entry: string;
  readonly workGroupName: string;
  readonly workGroupArn: string;
  readonly catalog: Catalog;
  readonly bucket: s3.IBucket;
  readonly eventsPrefix: string;
  readonly resultsPrefix: string;
  /** The Slack bot token (the digest's secret). */
  readonly slackToken: secretsmanager.ISecret;
  /** Scheduler expression, e.g. `rate(1 hour)`, evaluated in `timeZone`. */
  readonly schedule: string;
  readonly timeZone: string;
  /** ALERTS_* settings (functions/alerts/alerts-config.ts), validated at synth. */
  readonly settings: Readonly<Record<string, string>>;
  /** The digest's channel, which the function refuses for alerts. */
  readonly digestChannel: string;
  readonly logRetentionDays: number;
}

/** Where the alert state lives in the lake bucket. */
export const ALERTS_STATE_KEY = 'alerts/sent.json';
const SQL_DIR = 'queries';

export class BudgetAlerts extends Construct {
  public readonly fn: LakeFunction;
  public readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: BudgetAlertsProps) {
    super(scope, id);
    this.fn = new LakeFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Claude Code budget and cost spike alerts to Slack (claude-otel-lake).',
      environment: {
        ...props.settings,
        TEAM_TIME_ZONE: props.timeZone,
        DIGEST_CHANNEL: props.digestChannel,
        SLACK_SECRET_ARN: props.slackToken.secretArn,
        STATE_BUCKET: props.bucket.bucketName,
        STATE_KEY: ALERTS_STATE_KEY,
        ATHENA_WORKGROUP: props.workGroupName,
        ATHENA_DATABASE: props.catalog.databaseName,
        QUERIES_DIR: `${LAMBDA_TASK_ROOT}/${SQL_DIR}`,
      },
      sqlDirs: [SQL_DIR],
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.minutes(5),
    });
    this.grant(props);
    acknowledgeLakeReader(this.fn, {
      bucket: props.bucket,
      tablesArn: props.catalog.arns().tables,
      eventsPrefix: props.eventsPrefix,
      resultsPrefix: props.resultsPrefix,
    });
    props.slackToken.grantRead(this.fn.role);

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Invokes the budget and spike alerts (claude-otel-lake).',
    });
    acknowledge(
      schedulerRole,
      `IAM5[Resource::${nagArn(this.fn.fn)}:*]`,
      'lambda:InvokeFunction on the alerts function and its versions (ARN:*), as the CDK grant writes it.',
    );
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Claude Code budget and cost spike alerts (claude-otel-lake).',
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.of(props.timeZone)),
      target: new targets.LambdaInvoke(this.fn.fn, {
        role: schedulerRole,
        retryAttempts: 0,
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'claude-otel-lake.alerts' }),
      }),
    });
  }

  private grant(props: BudgetAlertsProps): void {
    const arns = props.catalog.arns();
    const role = this.fn.role;
    const allow = (sid: string, actions: string[], resources: string[]) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources }));
    allow(
      'QueryInWorkGroup',
      [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      [props.workGroupArn],
    );
    allow(
      'ReadLakeCatalog',
      ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
      [arns.catalog, arns.database, arns.tables],
    );
    // ListBucket also makes a missing state object a NoSuchKey (the first run), not AccessDenied.
    allow('LakeBucket', ['s3:GetBucketLocation', 's3:ListBucket'], [props.bucket.bucketArn]);
    allow('ReadEvents', ['s3:GetObject'], lakeReadObjects(props.bucket, props.eventsPrefix));
    allow(
      'WriteQueryResults',
      ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
      [props.bucket.arnForObjects(`${props.resultsPrefix}*`)],
    );
    allow('AlertState', ['s3:GetObject', 's3:PutObject'], [props.bucket.arnForObjects(ALERTS_STATE_KEY)]);
  }
}
