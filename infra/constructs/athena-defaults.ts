import type * as athena from 'aws-cdk-lib/aws-athena';

export const ATHENA_ENGINE_V3 = 'Athena engine version 3';

/**
 * Workgroup settings: engine v3, results in the lake bucket's results prefix (SSE-S3),
 * settings enforced on every client, CloudWatch metrics on, a bytes-scanned cutoff per query.
 */
export function workGroupConfiguration(
  outputLocation: string,
  bytesScannedCutoffPerQuery: number,
): athena.CfnWorkGroup.WorkGroupConfigurationProperty {
  return {
    engineVersion: { selectedEngineVersion: ATHENA_ENGINE_V3 },
    enforceWorkGroupConfiguration: true,
    publishCloudWatchMetricsEnabled: true,
    bytesScannedCutoffPerQuery,
    requesterPaysEnabled: false,
    resultConfiguration: {
      outputLocation,
      encryptionConfiguration: { encryptionOption: 'SSE_S3' },
    },
  };
}

/** CloudFormation logical-id-safe form of a file name: `team_totals` -> `TeamTotals`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}
