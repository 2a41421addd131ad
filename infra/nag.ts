import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own renderer of a resource in a finding: acknowledgements built with it match the
// finding whether the account and region are tokens (offline synth) or concrete (`cdk deploy`).
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { METRICS_TABLE } from '../functions/lake/lake-table.ts';

/** Objects every Athena reader of the lake reads: the events and the metrics (team_totals reads both). */
export const lakeReadObjects = (bucket: { arnForObjects(key: string): string }, eventsPrefix: string) => [
  bucket.arnForObjects(`${eventsPrefix}*`),
  bucket.arnForObjects(`${METRICS_TABLE.prefix}/*`),
];

/**
 * Acknowledges one cdk-nag AwsSolutions finding on `scope` (and everything under it). Every
 * acknowledgement in this project states why the finding is acceptable for this stack.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

/**
 * A resource (an ARN, possibly holding tokens) as cdk-nag prints it in a finding, e.g.
 * `arn:<AWS::Partition>:glue:us-east-1:123456789012:table/claude_otel/*` with a concrete account
 * or `arn:<AWS::Partition>:glue:us-east-1:<AWS::AccountId>:table/claude_otel/*` without one.
 */
export function nagResource(scope: IConstruct, arn: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(arn));
}

/**
 * How cdk-nag prints the ARN of a resource in a finding: `<LakeBucketB1D32E10.Arn>`. Findings on
 * policies name the resources by logical id, so acknowledgements must too.
 */
export function nagArn(resource: IConstruct): string {
  const stack = Stack.of(resource);
  const element = (resource.node.defaultChild ?? resource) as CfnElement;
  return `<${stack.resolve(stack.getLogicalId(element))}.Arn>`;
}

/** Where an Athena reader of the lake holds wildcard grants. */
export interface LakeReaderGrants {
  readonly bucket: IConstruct;
  /** ARN of the tables of the lake database (`.../table/<database>/*`). */
  readonly tablesArn: string;
  readonly eventsPrefix: string;
  readonly resultsPrefix: string;
}

/**
 * The three wildcards every Athena reader of the lake needs (digest, QuickSight): the tables of
 * the lake database, the objects under `events/`, the result objects under `athena-results/`.
 */
export function acknowledgeLakeReader(scope: IConstruct, grants: LakeReaderGrants): void {
  acknowledge(
    scope,
    `IAM5[Resource::${nagResource(scope, grants.tablesArn)}]`,
    'Athena reads the events table and the views of the lake database; the grant is read-only and limited ' +
      'to that one database.',
  );
  acknowledge(
    scope,
    `IAM5[Resource::${nagArn(grants.bucket)}/${grants.eventsPrefix}*]`,
    'Athena reads the Parquet files of every projected dt partition; the grant is GetObject under events/ only.',
  );
  acknowledge(
    scope,
    `IAM5[Resource::${nagArn(grants.bucket)}/${METRICS_TABLE.prefix}/*]`,
    'team_totals and productivity read the metrics table; the grant is GetObject under metrics/ only.',
  );
  acknowledge(
    scope,
    `IAM5[Resource::${nagArn(grants.bucket)}/${grants.resultsPrefix}*]`,
    'Athena writes each query result under a generated key; the grant is limited to the results prefix, ' +
      'which expires after 7 days.',
  );
}
