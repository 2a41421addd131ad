import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_COLUMNS } from '../../functions/schema/metric-columns.ts';
import { logicalId, synthApp } from '../infra/helpers.ts';

// One synthesis with the metrics uploader on; cdk-nag runs in it and throws on any unacknowledged finding.
let t: Template;
beforeAll(() => {
  t = synthApp({ metricsEnabled: true }).template;
});

describe('the metrics table on AWS', () => {
  it('is a Parquet Glue table over metrics/, columns from the one metrics column list, dt projected', () => {
    t.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'metrics',
        PartitionKeys: [Match.objectLike({ Name: 'dt', Type: 'string' })],
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'storage.location.template': {
            'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, `/metrics/dt=\${dt}/`]],
          },
        }),
        StorageDescriptor: Match.objectLike({
          Columns: METRIC_COLUMNS.map((c) => Match.objectLike({ Name: c.name, Type: c.type })),
          SerdeInfo: Match.objectLike({
            SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
          }),
        }),
      }),
    });
  });

  it('gives the uploader exactly PutObject under metrics/ and a listing of that prefix', () => {
    const policies = t.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('metrics Parquet') },
    });
    const [policy] = Object.values(policies) as {
      Properties: { PolicyDocument: { Statement: unknown[] } };
    }[];
    const bucket = logicalId(t, 'AWS::S3::Bucket', 'LakeBucket');
    expect(policy!.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'PutMetricsFiles',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/metrics/*']] },
      },
      {
        Sid: 'ListMetricsPrefix',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['metrics/*'] } },
      },
    ]);
  });

  it('has no uploader policy when the flag is off, but still the table', () => {
    const off = synthApp({}).template;
    expect(
      Object.keys(
        off.findResources('AWS::IAM::ManagedPolicy', {
          Properties: { Description: Match.stringLikeRegexp('metrics Parquet') },
        }),
      ),
    ).toEqual([]);
    off.hasResourceProperties('AWS::Glue::Table', { TableInput: Match.objectLike({ Name: 'metrics' }) });
  });
});
