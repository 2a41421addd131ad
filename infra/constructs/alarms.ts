import { ArnFormat, type Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  FAILED_RECORDS_PATTERN,
  FAILED_RECORDS_VALUE,
  firehoseMetric,
  freshnessThresholdSeconds,
  METRIC_NAMESPACE,
  TREAT_MISSING,
} from './alarms-defaults.ts';

export interface AlarmsProps {
  /** Name of the delivery stream. */
  readonly streamName: string;
  /** The transform's log group, where its invocation log line counts `ProcessingFailed` records. */
  readonly transformLogGroup: logs.ILogGroup;
  /** The S3 buffer interval of the stream. */
  readonly bufferInterval: Duration;
  /** The transform function. */
  readonly transform: lambda.IFunction;
  /** The digest function, when the digest is enabled. @default none */
  readonly digest?: lambda.IFunction;
  /** E-mail address subscribed to the topic. @default none */
  readonly email?: string;
}

/**
 * Alarms on everything that loses or delays data, into one SNS topic: late delivery, failed S3
 * delivery, failed transform invocations, records the transform marked ProcessingFailed, records
 * Parquet conversion rejected, and errors of the transform (and digest) functions.
 */
export class Alarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'claude-otel-lake alarms', enforceSSL: true });
    this.allowAlarmsToPublish();
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    const stream = props.streamName;

    this.add('DeliveryLate', {
      metric: firehoseMetric(stream, 'DeliveryToS3.DataFreshness', 'Maximum'),
      threshold: freshnessThresholdSeconds(props.bufferInterval),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      alarmDescription: 'Events wait in Firehose longer than the buffer interval plus 15 minutes.',
    });
    this.add('DeliveryFailing', {
      metric: firehoseMetric(stream, 'DeliveryToS3.Success', 'Average'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: 'Firehose fails to write to the lake bucket (15 minutes in a row).',
    });
    this.add('TransformInvocationsFailing', {
      metric: firehoseMetric(stream, 'ExecuteProcessing.Success', 'Average'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: 'Firehose cannot invoke the transform successfully (15 minutes in a row).',
    });
    const processingFailed = new logs.MetricFilter(this, 'ProcessingFailedFilter', {
      logGroup: props.transformLogGroup,
      filterPattern: logs.FilterPattern.literal(FAILED_RECORDS_PATTERN),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'ProcessingFailedRecords',
      metricValue: FAILED_RECORDS_VALUE,
      defaultValue: 0,
    });
    this.add('ProcessingFailedRecords', {
      metric: processingFailed.metric({ statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: 'The transform marked records ProcessingFailed: their raw bytes are under errors/.',
    });
    this.add('ConversionFailedRecords', {
      metric: firehoseMetric(stream, 'FailedConversion.Records', 'Sum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription:
        'Parquet conversion rejected records: they are under errors/format-conversion-failed/.',
    });
    this.add('TransformErrors', {
      metric: props.transform.metricErrors({ statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: 'The transform function threw (Firehose retries, then writes the batch to errors/).',
    });
    if (props.digest) {
      this.add('DigestErrors', {
        metric: props.digest.metricErrors({ statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: 'The weekly digest failed; it is not retried, so this week was not posted.',
      });
    }
  }

  /**
   * `enforceSSL` alone leaves the topic policy a single Deny, and CloudWatch alarm actions then
   * fail with "not authorized to perform: SNS:Publish" (AWS knowledge center,
   * cloudwatch-receive-sns-for-alarm-trigger). Alarms of this account only may publish.
   */
  private allowAlarmsToPublish(): void {
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  private add(id: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData'>): void {
    const alarm = new cloudwatch.Alarm(this, id, { ...props, treatMissingData: TREAT_MISSING });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
