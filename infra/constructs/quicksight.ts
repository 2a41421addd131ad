import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IDependable } from 'constructs';
import { acknowledgeLakeReader, lakeReadObjects } from '../nag.ts';
import type { Catalog } from './catalog.ts';
import { DATA_SET_OWNER_ACTIONS, DATA_SOURCE_OWNER_ACTIONS, quickSightType } from './quicksight-defaults.ts';

/** A CloudFormation resource whose `Ref` is its name (an Athena workgroup). */
export interface CfnElementWithRef extends IDependable {
  readonly ref: string;
}

export interface QuickSightProps {
  /** Prefix of the QuickSight ids. */
  readonly idPrefix: string;
  /** QuickSight user or group ARN that owns both. */
  readonly principalArn: string;
  /** Name of the role QuickSight uses to reach Athena and S3. */
  readonly serviceRoleName: string;
  readonly workGroupName: string;
  readonly workGroupArn: string;
  /** The workgroup itself: the data source names it by `Ref`, so it is created first. */
  readonly workGroup: CfnElementWithRef;
  /** What the data set's view needs in place first (the view's custom resource). */
  readonly viewDependencies: readonly IDependable[];
  readonly catalog: Catalog;
  readonly bucket: s3.IBucket;
  readonly eventsPrefix: string;
  readonly resultsPrefix: string;
  /** The view the data set reads. */
  readonly viewName: string;
  /** Its columns and SQL types, in order. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/**
 * Optional BI: an Athena data source on the workgroup and a direct-query data set on the view,
 * owned by one QuickSight principal, and read access to the lake for QuickSight's service role
 * (the step the QuickSight console would otherwise ask for). Needs a QuickSight subscription.
 */
export class QuickSight extends Construct {
  public readonly dataSource: quicksight.CfnDataSource;
  public readonly dataSet: quicksight.CfnDataSet;

  constructor(scope: Construct, id: string, props: QuickSightProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const access = this.grantServiceRole(props);
    this.dataSource = new quicksight.CfnDataSource(this, 'DataSource', {
      awsAccountId: account,
      dataSourceId: `${props.idPrefix}-athena`,
      name: `${props.idPrefix} (Athena)`,
      type: 'ATHENA',
      dataSourceParameters: { athenaParameters: { workGroup: props.workGroup.ref } },
      sslProperties: { disableSsl: false },
      permissions: [{ principal: props.principalArn, actions: DATA_SOURCE_OWNER_ACTIONS }],
    });
    this.dataSet = new quicksight.CfnDataSet(this, 'DataSet', {
      awsAccountId: account,
      dataSetId: `${props.idPrefix}-${props.viewName}`,
      name: `${props.idPrefix} ${props.viewName}`,
      importMode: 'DIRECT_QUERY',
      physicalTableMap: {
        view: {
          relationalTable: {
            dataSourceArn: this.dataSource.attrArn,
            catalog: 'AwsDataCatalog',
            schema: props.catalog.databaseName,
            name: props.viewName,
            inputColumns: props.columns.map((c) => ({ name: c.name, type: quickSightType(c.type) })),
          },
        },
      },
      permissions: [{ principal: props.principalArn, actions: DATA_SET_OWNER_ACTIONS }],
    });
    // QuickSight checks its access to Athena when the data source is created, and the data set
    // reads the view's columns: the workgroup, the role's grants and the view come first.
    this.dataSource.node.addDependency(props.workGroup, access);
    this.dataSet.node.addDependency(this.dataSource, access, ...props.viewDependencies);
  }

  private grantServiceRole(props: QuickSightProps): iam.Policy {
    const arns = props.catalog.arns();
    const role = iam.Role.fromRoleName(this, 'ServiceRole', props.serviceRoleName);
    const policy = new iam.Policy(this, 'LakeAccess', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'QueryInWorkGroup',
          actions: [
            'athena:GetWorkGroup',
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:GetQueryResultsStream',
          ],
          resources: [props.workGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadLakeCatalog',
          actions: [
            'glue:GetDatabase',
            'glue:GetDatabases',
            'glue:GetTable',
            'glue:GetTables',
            'glue:GetPartitions',
          ],
          resources: [arns.catalog, arns.database, arns.tables],
        }),
        new iam.PolicyStatement({
          sid: 'LakeBucket',
          actions: ['s3:GetBucketLocation', 's3:ListBucket'],
          resources: [props.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadEvents',
          actions: ['s3:GetObject'],
          resources: lakeReadObjects(props.bucket, props.eventsPrefix),
        }),
        new iam.PolicyStatement({
          sid: 'WriteQueryResults',
          actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          resources: [props.bucket.arnForObjects(`${props.resultsPrefix}*`)],
        }),
      ],
    });
    acknowledgeLakeReader(policy, {
      bucket: props.bucket,
      tablesArn: arns.tables,
      eventsPrefix: props.eventsPrefix,
      resultsPrefix: props.resultsPrefix,
    });
    return policy;
  }
}
