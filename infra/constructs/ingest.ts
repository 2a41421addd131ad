import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { BEARER_ACTION, WRITER_ACTIONS } from './ingest-defaults.ts';

export interface IngestProps {
  /** Name of the raw log group. */
  readonly logGroupName: string;
  /** Name of the log stream every member writes to. */
  readonly logStreamName: string;
  /** Retention of raw, unsanitized events, days (a CloudWatch Logs retention value). */
  readonly retentionDays: number;
}

/**
 * Where Claude Code writes: the raw log group (Standard class, so subscriptions work; bearer
 * token authentication on; short retention, since it holds unsanitized events), its log stream,
 * and a write-only IAM user whose API key the members share.
 */
export class Ingest extends Construct {
  public readonly logGroup: logs.LogGroup;
  public readonly logStream: logs.LogStream;
  public readonly logStreamName: string;
  public readonly writer: iam.User;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'RawLogGroup', {
      logGroupName: props.logGroupName,
      retention: props.retentionDays as logs.RetentionDays,
      logGroupClass: logs.LogGroupClass.STANDARD,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    (this.logGroup.node.defaultChild as logs.CfnLogGroup).bearerTokenAuthenticationEnabled = true;

    this.logStreamName = props.logStreamName;
    this.logStream = new logs.LogStream(this, 'Stream', {
      logGroup: this.logGroup,
      logStreamName: props.logStreamName,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.writer = new iam.User(this, 'Writer');
    // A managed policy of its own, so the user carries nothing else (no inline default policy).
    const policy = new iam.ManagedPolicy(this, 'WriterPolicy', {
      description: 'Write-only access to the raw Claude Code log group with a CloudWatch Logs API key.',
      statements: [
        new iam.PolicyStatement({
          sid: 'AuthenticateWithApiKey',
          actions: [BEARER_ACTION],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'WriteRawClaudeCodeEvents',
          actions: [...WRITER_ACTIONS],
          // The group ARN ends in `:*`, which covers its log streams.
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });
    this.writer.addManagedPolicy(policy);
    acknowledge(
      policy,
      'IAM5[Resource::*]',
      'Only logs:CallWithBearerToken is on "*", as AWS documents it: it lets the API key authenticate and allows ' +
        'no operation by itself. The data actions (PutLogEvents, CreateLogStream) are limited to the raw log group.',
    );
  }
}
