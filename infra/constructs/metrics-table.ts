import { Aws } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { METRICS_TABLE } from '../../functions/lake/lake-table.ts';
import { PARTITION_KEY } from '../../functions/schema/columns.ts';
import { acknowledge, nagArn } from '../nag.ts';
import {
  eventsStorageDescriptor,
  eventsTableParameters,
  glueColumns,
  gluePartitionKeys,
} from './catalog-defaults.ts';

/**
 * The `metrics` table on AWS: the same Parquet layout and columns as the local lake's
 * (`metrics/dt=yyyy-MM-dd/*.parquet`, functions/schema/metric-columns.ts), `dt` projected. Always
 * created, so the queries that read it (productivity, team_totals) run on Athena with or
 * without metrics (they then give zeros).
 *
 * With `uploader` (context `metricsEnabled`): a managed policy for the one identity that copies
 * the metrics Parquet files a team-run `serve` writes into the lake bucket
 * (`aws s3 sync <lake>/metrics s3://<bucket>/metrics`): put objects under `metrics/` and list
 * that prefix, nothing else. Why the metrics take that route and not CloudWatch: README
 * "Productivity metrics".
 */
export interface MetricsTableProps {
  readonly databaseName: string;
  readonly database: glue.CfnDatabase;
  readonly bucket: s3.IBucket;
  readonly uploader: boolean;
}

export const METRICS_PREFIX = `${METRICS_TABLE.prefix}/`;

export class MetricsTable extends Construct {
  public readonly table: glue.CfnTable;
  public readonly tableName = METRICS_TABLE.name;
  public readonly uploadPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: MetricsTableProps) {
    super(scope, id);
    const location = `s3://${props.bucket.bucketName}/${METRICS_PREFIX}`;
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.databaseName,
      tableInput: {
        name: METRICS_TABLE.name,
        description: 'Claude Code metrics: one row per counter series and export interval (its increase).',
        tableType: 'EXTERNAL_TABLE',
        // No lifecycle rule expires metrics/ (the lake bucket's rules name their prefixes): project from the lake's epoch.
        parameters: eventsTableParameters(`${location}${PARTITION_KEY}=\${${PARTITION_KEY}}/`, 0),
        partitionKeys: gluePartitionKeys(),
        storageDescriptor: {
          ...eventsStorageDescriptor(location),
          columns: glueColumns(METRICS_TABLE.columns),
        },
      },
    });
    this.table.node.addDependency(props.database);
    if (!props.uploader) return;
    this.uploadPolicy = new iam.ManagedPolicy(this, 'UploadPolicy', {
      description: 'Copy the metrics Parquet files of claude-otel-lake serve into the lake (metrics/ only).',
      statements: [
        new iam.PolicyStatement({
          sid: 'PutMetricsFiles',
          actions: ['s3:PutObject'],
          resources: [props.bucket.arnForObjects(`${METRICS_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'ListMetricsPrefix',
          actions: ['s3:ListBucket'],
          resources: [props.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${METRICS_PREFIX}*`] } },
        }),
      ],
    });
    acknowledge(
      this.uploadPolicy,
      `IAM5[Resource::${nagArn(props.bucket)}/${METRICS_PREFIX}*]`,
      'The uploader writes new Parquet files under the metrics/ prefix only; their names are not known in advance.',
    );
  }
}
