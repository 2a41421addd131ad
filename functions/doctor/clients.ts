import type { DoctorClients } from './hop.ts';

/**
 * The SDK clients of `doctor`, imported only when doctor runs: no other command pays for loading
 * six AWS SDK clients. Credentials come from the usual chain (environment, profile, SSO).
 */
export async function createClients(region: string): Promise<DoctorClients> {
  const [cfn, logs, firehose, cloudWatch, s3, athena] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-cloudwatch-logs'),
    import('@aws-sdk/client-firehose'),
    import('@aws-sdk/client-cloudwatch'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-athena'),
  ]);
  const config = { region };
  return {
    cloudFormation: new cfn.CloudFormationClient(config),
    logs: new logs.CloudWatchLogsClient(config),
    firehose: new firehose.FirehoseClient(config),
    cloudWatch: new cloudWatch.CloudWatchClient(config),
    s3: new s3.S3Client(config),
    athena: new athena.AthenaClient(config),
  };
}

/** Closes the clients' connection pools so the process can exit. */
export function destroyClients(clients: DoctorClients): void {
  for (const client of Object.values(clients)) client.destroy();
}
