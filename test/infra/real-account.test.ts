import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config.ts';
import { ALL_ON, logicalId, REAL_ACCOUNT_ENV, synthApp } from './helpers.ts';

// The stack as `cdk deploy` synthesizes it with real credentials: a concrete account and region.
// Each test pins one defect a review of such a template found (issue 10).
const ACCOUNT = REAL_ACCOUNT_ENV.CDK_DEFAULT_ACCOUNT;
type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
let t: Template;
let resources: Record<string, Resource>;
beforeAll(() => {
  // cdk-nag runs in this synthesis and throws on an unacknowledged finding: acknowledgements
  // match findings that hold the account number, not only `<AWS::AccountId>`.
  t = synthApp(ALL_ON, { env: REAL_ACCOUNT_ENV }).template;
  resources = t.toJSON().Resources;
});
const id = (type: string, prefix: string) => logicalId(t, type, prefix);
const statements = (policyType: string, prefix: string) =>
  (resources[id(policyType, prefix)]!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
    .Statement;

describe('alarm topic', () => {
  it('lets CloudWatch alarms of this account publish, next to the TLS-only deny', () => {
    const topic = id('AWS::SNS::Topic', 'AlarmsTopic');
    const policy = statements('AWS::SNS::TopicPolicy', 'AlarmsTopicPolicy');
    expect(policy).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topic },
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:us-east-1:${ACCOUNT}:alarm:*`]],
          },
        },
      },
    });
    expect(policy).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // Every alarm publishes to that topic.
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });
});

describe('digest', () => {
  it('is invoked asynchronously with no Lambda retries, so a failure after the Slack post never re-posts', () => {
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id('AWS::Lambda::Function', 'DigestHandler') },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
    });
  });
});

describe('quicksight', () => {
  it('names the workgroup by Ref and is created after the workgroup, its grants and the views', () => {
    const workGroup = id('AWS::Athena::WorkGroup', 'AthenaWorkGroup');
    const access = id('AWS::IAM::Policy', 'QuickSightLakeAccess');
    const source = id('AWS::QuickSight::DataSource', 'QuickSightDataSource');
    const views = Object.keys(t.findResources('Custom::AthenaView'));
    expect(views.length).toBeGreaterThanOrEqual(1);
    expect(resources[source]!.Properties.DataSourceParameters).toEqual({
      AthenaParameters: { WorkGroup: { Ref: workGroup } },
    });
    expect(resources[source]!.DependsOn).toEqual(expect.arrayContaining([workGroup, access]));
    const dataSet = resources[id('AWS::QuickSight::DataSet', 'QuickSightDataSet')]!;
    expect(dataSet.DependsOn).toEqual(expect.arrayContaining([source, access, ...views]));
    expect(resources[access]!.Properties.Roles).toEqual(['aws-quicksight-service-role-v0']);
  });

  it('stops in us-west-1, where QuickSight does not exist, with a ConfigError naming the option and region', () => {
    const synth = () => synthApp(ALL_ON, { env: { ...REAL_ACCOUNT_ENV, CDK_DEFAULT_REGION: 'us-west-1' } });
    expect(synth).toThrow(ConfigError);
    expect(synth).toThrow(/"quicksightEnabled".*us-west-1/);
    // Without QuickSight, us-west-1 is a bearer-token region like the others.
    expect(() =>
      synthApp(
        { ...ALL_ON, quicksightEnabled: false },
        { env: { ...REAL_ACCOUNT_ENV, CDK_DEFAULT_REGION: 'us-west-1' } },
      ),
    ).not.toThrow();
  });
});

/** The earliest `dt` Athena projects for `range` on `today` (UTC): `NOW-401DAYS` or `2025-01-01`. */
function projectedStart(range: string, today: Date): Date {
  const [start] = range.split(',');
  const relative = /^NOW-(\d+)DAYS$/.exec(start!);
  if (relative) return new Date(today.getTime() - Number(relative[1]) * 86_400_000);
  expect(start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  return new Date(`${start}T00:00:00Z`);
}

describe('partition projection', () => {
  const rangeOf = (template: Template): string => {
    const table = Object.values(template.findResources('AWS::Glue::Table'))[0]!;
    return (table.Properties.TableInput as { Parameters: Record<string, string> }).Parameters[
      'projection.dt.range'
    ]!;
  };

  it('covers every day the lake keeps, forever included', () => {
    const today = new Date();
    // Kept forever (the default): every arrival date since any deployment was possible.
    expect(projectedStart(rangeOf(t), today).getTime()).toBeLessThanOrEqual(
      Date.parse('2025-01-01T00:00:00Z'),
    );
    // Kept 2000 days: longer than the old fixed three years, and all of them projected.
    const kept = synthApp({ lakeExpirationDays: 2000 }, { env: REAL_ACCOUNT_ENV }).template;
    const oldestKept = today.getTime() - 2000 * 86_400_000;
    expect(projectedStart(rangeOf(kept), today).getTime()).toBeLessThanOrEqual(oldestKept);
    expect(rangeOf(kept).endsWith(',NOW')).toBe(true);
  });
});

describe('lake buckets', () => {
  it('delivers access logs by bucket policy: no ACL, ACLs disabled (BucketOwnerEnforced)', () => {
    const logs = id('AWS::S3::Bucket', 'LakeAccessLogs');
    const lake = id('AWS::S3::Bucket', 'LakeBucket');
    for (const bucket of [logs, lake]) {
      expect(resources[bucket]!.Properties.AccessControl).toBeUndefined();
      expect(resources[bucket]!.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
    }
    expect(statements('AWS::S3::BucketPolicy', 'LakeAccessLogsPolicy')).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [lake, 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
        },
      }),
    );
  });

  it('moves only objects over 128 KB to Glacier IR (S3 skips smaller ones)', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'events/',
            ObjectSizeGreaterThan: '131072',
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
          }),
        ]),
      },
    });
  });
});

describe('Athena readers of the lake', () => {
  it('may read the metrics objects too, since team_totals and productivity read the metrics table', () => {
    // Every role that runs the named queries on Athena: the digest, the alerts, QuickSight.
    const readers = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.PolicyDocument as { Statement: { Sid?: string }[] }).Statement.some(
          (s) => s.Sid === 'ReadEvents',
        ),
    );
    expect(readers.length).toBeGreaterThanOrEqual(3);
    for (const reader of readers) {
      const read = (
        reader.Properties.PolicyDocument as { Statement: { Sid?: string; Resource: unknown }[] }
      ).Statement.find((s) => s.Sid === 'ReadEvents')!;
      const text = JSON.stringify(read.Resource);
      expect(text).toContain('/events/*');
      expect(text).toContain('/metrics/*');
    }
  });
});
