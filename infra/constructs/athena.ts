import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, nagArn, nagResource } from '../nag.ts';
import { pascalCase, workGroupConfiguration } from './athena-defaults.ts';
import type { Catalog } from './catalog.ts';
import { LakeFunction } from './lake-function.ts';
import { namedQueryDescription, readNamedQueries, readViews } from './sql-files.ts';

export interface AthenaProps {
  /** Name of the workgroup. */
  readonly workGroupName: string;
  /** The lake bucket, which also holds the query results. */
  readonly bucket: s3.IBucket;
  /** Key prefix of query results, ending in `/`. */
  readonly resultsPrefix: string;
  /** The Glue database and table the queries read. */
  readonly catalog: Catalog;
  /** Most bytes one query may scan. */
  readonly bytesScannedCutoffPerQuery: number;
  /** Directory of the named queries (`*.sql`), read at synth time. */
  readonly queriesDir: string;
  /** Directory of the views (`*.sql`, one `CREATE OR REPLACE VIEW` each), read at synth time. */
  readonly viewsDir: string;
  /** IANA time zone of the team, filled into the views. */
  readonly teamTimeZone: string;
  /** Entry of the DDL custom resource handler (exports `onEvent` and `isComplete`). */
  readonly ddlEntry: string;
  /** Retention of the DDL handler's logs, days. */
  readonly logRetentionDays: number;
}

/**
 * The Athena side: an engine-v3 workgroup with enforced, encrypted results and a scan cutoff;
 * one named query per `queries/*.sql`; and each `queries/views/*.sql` created (and replaced, and
 * dropped) by a custom resource that waits for the DDL and fails the deployment with Athena's
 * reason. Views are created one after another, in file-name order.
 */
export class AthenaAnalytics extends Construct {
  public readonly workGroup: athena.CfnWorkGroup;
  public readonly workGroupName: string;
  public readonly namedQueries: athena.CfnNamedQuery[] = [];
  public readonly viewNames: string[] = [];
  public readonly views: CustomResource[] = [];
  /** The DDL provider, present when there is at least one view. */
  public readonly ddlProvider?: cr.Provider;
  /** The DDL handlers, present when there is at least one view. */
  public readonly ddlFunctions?: { readonly onEvent: LakeFunction; readonly isComplete: LakeFunction };

  constructor(scope: Construct, id: string, props: AthenaProps) {
    super(scope, id);
    this.workGroupName = props.workGroupName;
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'Claude Code usage lake (claude-otel-lake).',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: workGroupConfiguration(
        `s3://${props.bucket.bucketName}/${props.resultsPrefix}`,
        props.bytesScannedCutoffPerQuery,
      ),
    });

    for (const query of readNamedQueries(props.queriesDir, props.teamTimeZone)) {
      const named = new athena.CfnNamedQuery(this, `Query${pascalCase(query.name)}`, {
        name: query.name,
        description: namedQueryDescription(query),
        database: props.catalog.databaseName,
        workGroup: this.workGroup.ref,
        queryString: query.sql,
      });
      named.node.addDependency(this.workGroup);
      this.namedQueries.push(named);
    }

    const views = readViews(props.viewsDir, props.teamTimeZone);
    if (views.length === 0) return;
    this.ddlFunctions = this.ddlHandlers(props);
    const providerLogs = new logs.LogGroup(this, 'DdlProviderLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.ddlProvider = new cr.Provider(this, 'DdlProvider', {
      onEventHandler: this.ddlFunctions.onEvent.fn,
      isCompleteHandler: this.ddlFunctions.isComplete.fn,
      queryInterval: Duration.seconds(5),
      totalTimeout: Duration.minutes(10),
      logGroup: providerLogs,
    });
    this.acknowledgeProvider(this.ddlProvider, this.ddlFunctions);
    let previous: CustomResource | undefined;
    for (const { name: viewName, sql } of views) {
      // Keyed by the view's name, not its file's: renaming a file must not become "create the
      // view, then delete the old resource", whose DROP VIEW would remove the view just created.
      const view = new CustomResource(this, `View${pascalCase(viewName)}`, {
        serviceToken: this.ddlProvider.serviceToken,
        resourceType: 'Custom::AthenaView',
        properties: {
          WorkGroup: this.workGroup.ref,
          Database: props.catalog.databaseName,
          ViewName: viewName,
          Sql: sql,
        },
      });
      view.node.addDependency(this.workGroup, props.catalog.table);
      if (previous) view.node.addDependency(previous);
      previous = view;
      this.viewNames.push(viewName);
      this.views.push(view);
    }
  }

  /** ARN of the workgroup. */
  get workGroupArn(): string {
    return Stack.of(this).formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workGroupName,
    });
  }

  /** cdk-nag findings on resources the CDK Provider framework creates and does not let us shape. */
  private acknowledgeProvider(
    provider: cr.Provider,
    fns: { readonly onEvent: LakeFunction; readonly isComplete: LakeFunction },
  ): void {
    acknowledge(
      provider,
      `IAM4[Policy::${nagResource(provider, iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole').managedPolicyArn)}]`,
      'The CDK custom resource framework functions get only AWSLambdaBasicExecutionRole (write their own logs); ' +
        'the framework offers no way to replace it, and our own DDL handlers use scoped roles.',
    );
    const versions = [
      fns.onEvent.fn,
      fns.isComplete.fn,
      provider.node.findChild('framework-isComplete'),
      provider.node.findChild('framework-onTimeout'),
    ];
    for (const fn of versions) {
      acknowledge(
        provider,
        `IAM5[Resource::${nagArn(fn)}:*]`,
        'The framework may invoke any version or alias of this one function (ARN:*); the wildcard covers ' +
          'versions of a single function, not other functions.',
      );
    }
    acknowledge(
      provider,
      'SF1',
      'The waiter state machine only polls isComplete; the DDL handlers log every step and Athena keeps the ' +
        'query history. Logging it would need logs:*Delivery permissions on Resource "*".',
    );
    acknowledge(
      provider,
      'SF2',
      'The CDK Provider framework does not expose X-Ray tracing for its waiter state machine; it runs a few ' +
        'polls per deployment and carries no user data.',
    );
  }

  private ddlHandlers(props: AthenaProps): { onEvent: LakeFunction; isComplete: LakeFunction } {
    const onEventFn = new LakeFunction(this, 'DdlOnEvent', {
      entry: props.ddlEntry,
      handler: 'onEvent',
      description: 'Starts Athena view DDL for CloudFormation (claude-otel-lake).',
      logRetentionDays: props.logRetentionDays,
      memorySize: 256,
    });
    const isCompleteFn = new LakeFunction(this, 'DdlIsComplete', {
      entry: props.ddlEntry,
      handler: 'isComplete',
      description: 'Waits for Athena view DDL and reports its failure reason (claude-otel-lake).',
      logRetentionDays: props.logRetentionDays,
      memorySize: 256,
    });
    const arns = props.catalog.arns();
    for (const [fn, actions] of [
      [onEventFn, ['athena:StartQueryExecution', 'athena:GetQueryExecution']],
      [isCompleteFn, ['athena:GetQueryExecution']],
    ] as const) {
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'RunDdlInWorkGroup',
          actions: [...actions],
          resources: [this.workGroupArn],
        }),
      );
    }
    // Athena runs the DDL with the caller's permissions: the view's catalog entries and the
    // query's result file.
    onEventFn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageViewsInLakeDatabase',
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:CreateTable',
          'glue:UpdateTable',
          'glue:DeleteTable',
        ],
        resources: [arns.catalog, arns.database, arns.tables],
      }),
    );
    onEventFn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ResultsBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket'],
        resources: [props.bucket.bucketArn],
      }),
    );
    onEventFn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteDdlResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [props.bucket.arnForObjects(`${props.resultsPrefix}*`)],
      }),
    );
    acknowledge(
      onEventFn,
      `IAM5[Resource::${nagResource(onEventFn, arns.tables)}]`,
      'CREATE OR REPLACE VIEW reads the tables a view selects from and writes the view; the view names come ' +
        'from files, so the grant covers the tables of the lake database only.',
    );
    acknowledge(
      onEventFn,
      `IAM5[Resource::${nagArn(props.bucket)}/${props.resultsPrefix}*]`,
      'Athena writes each query result under a generated key; the grant is limited to the results prefix, ' +
        'which expires after 7 days.',
    );
    return { onEvent: onEventFn, isComplete: isCompleteFn };
  }
}
