import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../functions/schema/columns.ts';
import { readNamedQueries, readViews } from '../../infra/constructs/sql-files.ts';
import { projectPaths } from '../../infra/paths.ts';
import { QUICKSIGHT_VIEW, VIEW_COLUMNS } from '../../infra/view-columns.ts';
import { ALL_ON, actionsOf, logicalId, statementsOf, synthApp } from './helpers.ts';

// One synthesis with every option on (digest, QuickSight, HMAC e-mails, alarm e-mail), shared by
// all tests of this file; cdk-nag runs in it and throws on any unacknowledged finding.
let t: Template;
let resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;
beforeAll(() => {
  t = synthApp(ALL_ON).template;
  resources = t.toJSON().Resources;
});

const id = (type: string, prefix: string) => logicalId(t, type, prefix);
const getAtt = (logical: string) => ({ 'Fn::GetAtt': [logical, 'Arn'] });

describe('ingest', () => {
  it('creates the raw log group: Standard class, 1-day retention, bearer token authentication on', () => {
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/claude-otel/raw',
      RetentionInDays: 1,
      LogGroupClass: 'STANDARD',
      BearerTokenAuthenticationEnabled: true,
    });
    t.hasResourceProperties('AWS::Logs::LogStream', {
      LogGroupName: { Ref: id('AWS::Logs::LogGroup', 'IngestRawLogGroup') },
      LogStreamName: 'claude-code',
    });
  });

  it('gives the writer user exactly PutLogEvents and CreateLogStream on that group, and the API-key auth', () => {
    const user = id('AWS::IAM::User', 'IngestWriter');
    const statements = statementsOf(t, user, 'Users');
    expect(statements).toEqual([
      // As AWS's guide and CloudWatchLogsAPIKeyAccess grant it: on "*", allowing no operation by itself.
      { Sid: 'AuthenticateWithApiKey', Effect: 'Allow', Action: 'logs:CallWithBearerToken', Resource: '*' },
      {
        Sid: 'WriteRawClaudeCodeEvents',
        Effect: 'Allow',
        Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
        Resource: getAtt(id('AWS::Logs::LogGroup', 'IngestRawLogGroup')),
      },
    ]);
    expect(resources[user]?.Properties.Policies).toBeUndefined();
    expect(resources[user]?.Properties.Groups).toBeUndefined();
  });
});

describe('lake bucket', () => {
  it('is encrypted, private, TLS-only, logged, with the lifecycle of each prefix', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: id('AWS::S3::Bucket', 'LakeAccessLogs') } },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-athena-results', Prefix: 'athena-results/', ExpirationInDays: 7 }),
          Match.objectLike({ Id: 'expire-errors', Prefix: 'errors/', ExpirationInDays: 14 }),
          Match.objectLike({
            Id: 'events-to-glacier-ir',
            Prefix: 'events/',
            ObjectSizeGreaterThan: '131072',
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
          }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id('AWS::S3::Bucket', 'LakeBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(resources[id('AWS::S3::Bucket', 'LakeBucket')]).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('never denies Firehose its error prefix: no object lock, no deny but the TLS rule', () => {
    const lake = resources[id('AWS::S3::Bucket', 'LakeBucket')]!;
    expect(lake.Properties.ObjectLockEnabled).toBeUndefined();
    const policy = resources[id('AWS::S3::BucketPolicy', 'LakeBucketPolicy')]!;
    const denies = (
      policy.Properties.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }
    ).Statement.filter((s) => s.Effect === 'Deny');
    expect(denies.map((s) => s.Condition)).toEqual([
      { Bool: { 'aws:SecureTransport': 'false' } },
      { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    ]);
  });
});

describe('catalog', () => {
  it('generates the events table columns from the schema, partitioned by a projected dt', () => {
    t.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'claude_otel' } });
    const table = resources[id('AWS::Glue::Table', 'CatalogEventsTable')]!.Properties as {
      TableInput: {
        Name: string;
        PartitionKeys: { Name: string; Type: string }[];
        Parameters: Record<string, unknown>;
        StorageDescriptor: { Columns: { Name: string; Type: string }[]; SerdeInfo: unknown };
      };
    };
    expect(table.TableInput.Name).toBe('events');
    expect(table.TableInput.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(
      COLUMNS.map((c) => [c.name, c.type]),
    );
    expect(table.TableInput.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
    expect(table.TableInput.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      // cdk.json keeps the lake forever (lakeExpirationDays 0): the projection starts at the epoch.
      'projection.dt.range': '2025-01-01,NOW',
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Glue's own placeholder, kept literally.
    const projected = '/events/dt=${dt}/';
    expect(JSON.stringify(table.TableInput.Parameters['storage.location.template'])).toContain(projected);
    expect(table.TableInput.StorageDescriptor.SerdeInfo).toMatchObject({
      SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    });
  });
});

describe('delivery', () => {
  it('converts OpenX JSON to Snappy Parquet from the Glue table, by arrival date, errors by type', () => {
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: {
        Prefix: 'events/dt=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        BufferingHints: { IntervalInSeconds: 900, SizeInMBs: 128 },
        CloudWatchLoggingOptions: { Enabled: true },
        DataFormatConversionConfiguration: {
          Enabled: true,
          InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
          OutputFormatConfiguration: {
            Serializer: { ParquetSerDe: { Compression: 'SNAPPY', WriterVersion: 'V1' } },
          },
          SchemaConfiguration: {
            DatabaseName: 'claude_otel',
            TableName: { Ref: id('AWS::Glue::Table', 'CatalogEventsTable') },
          },
        },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Lambda',
              Parameters: Match.arrayWith([
                {
                  ParameterName: 'LambdaArn',
                  ParameterValue: getAtt(id('AWS::Lambda::Function', 'DeliveryTransform')),
                },
                { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '60' },
                { ParameterName: 'BufferSizeInMBs', ParameterValue: '1' },
              ]),
            },
          ],
        },
      },
    });
    const stream = resources[id('AWS::KinesisFirehose::DeliveryStream', 'DeliveryStream')]!;
    expect(stream.DependsOn).toContain(id('AWS::IAM::Policy', 'DeliveryFirehosePolicy'));
  });

  it('bundles the transform for Node 24 on arm64 with the e-mail mode and the HMAC secret ARN', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: {
          EMAIL_MODE: 'hmac',
          EMAIL_HMAC_SECRET_ARN: { Ref: id('AWS::SecretsManager::Secret', 'DeliveryEmailHmacKey') },
        },
      },
    });
  });

  it('lets the transform write its logs, read the HMAC key and re-ingest into its own stream: nothing more', () => {
    const role = id('AWS::IAM::Role', 'DeliveryTransformRole');
    expect(resources[role]?.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = statementsOf(t, role);
    expect(actionsOf(statements)).toEqual([
      'firehose:PutRecordBatch',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(statements.find((s) => s.Action === 'firehose:PutRecordBatch')?.Resource).toEqual(
      getAtt(id('AWS::KinesisFirehose::DeliveryStream', 'DeliveryStream')),
    );
    // No cycle: the function does not wait for the policy that names the stream.
    const fn = resources[id('AWS::Lambda::Function', 'DeliveryTransform')]!;
    expect(fn.DependsOn ?? []).not.toContain(id('AWS::IAM::Policy', 'DeliveryTransformReingestPolicy'));
  });

  it('lets only Firehose acting for this account assume its role (external id = account id)', () => {
    const role = resources[id('AWS::IAM::Role', 'DeliveryFirehoseRole')]!;
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'firehose.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
  });

  it('gives Firehose write (no delete) on events/ and errors/, the schema, the transform and its log', () => {
    const role = id('AWS::IAM::Role', 'DeliveryFirehoseRole');
    expect(actionsOf(statementsOf(t, role))).toEqual([
      'glue:GetTable',
      'glue:GetTableVersion',
      'glue:GetTableVersions',
      'lambda:GetFunctionConfiguration',
      'lambda:InvokeFunction',
      'logs:PutLogEvents',
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketMultipartUploads',
      's3:PutObject',
    ]);
    const write = statementsOf(t, role).find((s) => s.Sid === 'WriteEventsAndErrors');
    expect(JSON.stringify(write?.Resource)).toMatch(/\/events\/\*.*\/errors\/\*/);
  });

  it('subscribes the raw log group to the stream with a role that may only put records into it', () => {
    t.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: { Ref: id('AWS::Logs::LogGroup', 'IngestRawLogGroup') },
      DestinationArn: getAtt(id('AWS::KinesisFirehose::DeliveryStream', 'DeliveryStream')),
      FilterPattern: '',
    });
    const role = id('AWS::IAM::Role', 'DeliverySubscriptionCloudWatchLogsCanPutRecords');
    expect(actionsOf(statementsOf(t, role))).toEqual(['firehose:PutRecord', 'firehose:PutRecordBatch']);
  });
});

describe('athena', () => {
  it('has an engine-v3 workgroup with enforced, encrypted results and a scan cutoff', () => {
    t.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'claude-otel',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 1073741824,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      },
    });
  });

  it('deploys one named query per queries/*.sql, with its SQL', () => {
    const queries = readNamedQueries(projectPaths().queriesDir, 'UTC');
    const named = Object.values(t.findResources('AWS::Athena::NamedQuery')).map((r) => r.Properties);
    // The team time zone is written in: Athena takes no parameter in AT TIME ZONE.
    for (const n of named) expect(n.QueryString).not.toContain('{{time_zone}}');
    expect(named.find((n) => n.Name === 'daily_cost_per_user').QueryString).toContain("AT TIME ZONE 'UTC'");
    expect(named.map((q) => q.Name).sort()).toEqual(queries.map((q) => q.name).sort());
    for (const q of queries) {
      expect(named.find((n) => n.Name === q.name)).toMatchObject({
        QueryString: q.sql,
        Database: 'claude_otel',
        WorkGroup: { Ref: id('AWS::Athena::WorkGroup', 'AthenaWorkGroup') },
      });
    }
  });

  it('creates each view through the waiting custom resource, rendered for the team time zone', () => {
    const views = readViews(projectPaths().viewsDir, 'UTC');
    const created = Object.values(t.findResources('Custom::AthenaView')).map((r) => r.Properties);
    expect(created.map((v) => v.ViewName)).toEqual(views.map((v) => v.name));
    for (const v of views) {
      expect(created.find((c) => c.ViewName === v.name)).toMatchObject({
        Database: 'claude_otel',
        Sql: v.sql,
      });
      expect(v.sql).not.toContain('{{');
    }
    if (views.length > 0) {
      t.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.isComplete',
        Runtime: 'nodejs24.x',
      });
      t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    }
  });

  it('lets the DDL handlers run queries in the workgroup and touch only the lake database', () => {
    const onEvent = id('AWS::IAM::Role', 'AthenaDdlOnEventRole');
    expect(actionsOf(statementsOf(t, onEvent))).toEqual([
      'athena:GetQueryExecution',
      'athena:StartQueryExecution',
      'glue:CreateTable',
      'glue:DeleteTable',
      'glue:GetDatabase',
      'glue:GetTable',
      'glue:UpdateTable',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(JSON.stringify(statementsOf(t, onEvent))).toContain(':table/claude_otel/*');
    const isComplete = id('AWS::IAM::Role', 'AthenaDdlIsCompleteRole');
    expect(actionsOf(statementsOf(t, isComplete))).toEqual([
      'athena:GetQueryExecution',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });
});

describe('digest', () => {
  it('runs weekly in the team time zone, without retries, reading an empty Slack token secret', () => {
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: {
        Arn: getAtt(id('AWS::Lambda::Function', 'DigestHandler')),
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
    const secret = resources[id('AWS::SecretsManager::Secret', 'DigestSlackToken')]!.Properties;
    expect(secret.GenerateSecretString).toBeUndefined();
    expect(secret.SecretString).toBeUndefined();
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ATHENA_WORKGROUP: 'claude-otel',
          ATHENA_DATABASE: 'claude_otel',
          SLACK_SECRET_ARN: { Ref: id('AWS::SecretsManager::Secret', 'DigestSlackToken') },
          SLACK_CHANNEL: '#claude-usage',
          TEAM_TIME_ZONE: 'UTC',
          DIGEST_DAYS: '7',
          QUERIES_DIR: '/var/task/queries',
        }),
      },
    });
  });

  it('lets the digest query the lake and read its token, and the scheduler only invoke it', () => {
    const role = id('AWS::IAM::Role', 'DigestHandlerRole');
    expect(actionsOf(statementsOf(t, role))).toEqual([
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
      'athena:StopQueryExecution',
      // Every option is on here: the Insights model (digestInsightsModel) is granted too.
      'bedrock:InvokeModel',
      'glue:GetDatabase',
      'glue:GetPartition',
      'glue:GetPartitions',
      'glue:GetTable',
      'glue:GetTables',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const scheduler = id('AWS::IAM::Role', 'DigestSchedulerRole');
    expect(actionsOf(statementsOf(t, scheduler))).toEqual(['lambda:InvokeFunction']);
  });
});

describe('quicksight', () => {
  it('adds an Athena data source on the workgroup and a direct-query data set on the view', () => {
    t.hasResourceProperties('AWS::QuickSight::DataSource', {
      Type: 'ATHENA',
      DataSourceParameters: {
        AthenaParameters: { WorkGroup: { Ref: id('AWS::Athena::WorkGroup', 'AthenaWorkGroup') } },
      },
      Permissions: [Match.objectLike({ Principal: ALL_ON.quicksightPrincipalArn })],
    });
    const view = readViews(projectPaths().viewsDir, 'UTC').find((v) => v.name === QUICKSIGHT_VIEW)!;
    t.hasResourceProperties('AWS::QuickSight::DataSet', {
      ImportMode: 'DIRECT_QUERY',
      PhysicalTableMap: {
        view: {
          RelationalTable: {
            Schema: 'claude_otel',
            Name: view.name,
            InputColumns: Match.arrayWith([{ Name: 'cost_usd', Type: 'DECIMAL' }]),
          },
        },
      },
    });
    expect(VIEW_COLUMNS[view.name]).toBeDefined();
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: ['aws-quicksight-service-role-v0'],
    });
  });
});

describe('alarms', () => {
  it('alarms on late or failed delivery, failed processing and conversion, and function errors', () => {
    const metrics = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => `${a.Properties.Namespace}/${a.Properties.MetricName}`,
    );
    expect(metrics.sort()).toEqual(
      [
        'AWS/Firehose/DeliveryToS3.DataFreshness',
        'AWS/Firehose/DeliveryToS3.Success',
        'AWS/Firehose/ExecuteProcessing.Success',
        'AWS/Firehose/FailedConversion.Records',
        'ClaudeOtelLake/ProcessingFailedRecords',
        'AWS/Lambda/Errors',
        'AWS/Lambda/Errors',
      ].sort(),
    );
    const topic = { Ref: id('AWS::SNS::Topic', 'AlarmsTopic') };
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DeliveryToS3.DataFreshness',
      Threshold: 1800,
      Dimensions: [
        {
          Name: 'DeliveryStreamName',
          Value: { Ref: id('AWS::KinesisFirehose::DeliveryStream', 'DeliveryStream') },
        },
      ],
    });
    t.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: id('AWS::Logs::LogGroup', 'DeliveryTransformLogs') },
      FilterPattern: '{ $.message = "claude-otel-lake transform" && $.records.failed > 0 }',
      MetricTransformations: [Match.objectLike({ MetricValue: '$.records.failed' })],
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});

describe('outputs', () => {
  it('prints the endpoint, the headers template, the names and the API key command', () => {
    const outputs = t.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.OtlpEndpoint?.Value).toBe('https://logs.us-east-1.amazonaws.com');
    expect(JSON.stringify(outputs.OtlpHeaders?.Value)).toContain(
      'Authorization=Bearer <API_KEY>,x-aws-log-group=',
    );
    expect(JSON.stringify(outputs.CreateApiKeyCommand?.Value)).toContain(
      '--service-name logs.amazonaws.com --credential-age-days 90',
    );
    for (const key of [
      'AthenaWorkGroup',
      'GlueDatabase',
      'Views',
      'LakeBucket',
      'WriterUser',
      'SlackTokenSecret',
      'OtlpLogsEndpoint',
      'RawLogGroup',
      'EventsTable',
    ]) {
      expect(outputs[key]).toBeDefined();
    }
    // `doctor` follows the canary into this stream.
    expect(outputs.DeliveryStream?.Value).toEqual({
      Ref: id('AWS::KinesisFirehose::DeliveryStream', 'DeliveryStream'),
    });
  });
});
