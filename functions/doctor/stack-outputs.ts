import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { type DoctorClients, errorLine, fail, type HopResult, pass } from './hop.ts';

/** What the later hops need from the stack's outputs (infra/lake-stack.ts names them). */
export interface LakeOutputs {
  readonly otlpLogsEndpoint: string;
  readonly rawLogGroup: string;
  readonly rawLogStream: string;
  readonly deliveryStream: string;
  readonly lakeBucket: string;
  readonly workGroup: string;
  readonly database: string;
  readonly eventsTable: string;
}

const REQUIRED = {
  otlpLogsEndpoint: 'OtlpLogsEndpoint',
  rawLogGroup: 'RawLogGroup',
  deliveryStream: 'DeliveryStream',
  lakeBucket: 'LakeBucket',
  workGroup: 'AthenaWorkGroup',
  database: 'GlueDatabase',
  eventsTable: 'EventsTable',
} as const;

const HOP = 'stack outputs';

/** `x-aws-log-stream=claude-code` out of the OtlpHeaders output. */
function logStreamOf(headers: string | undefined): string | undefined {
  return headers
    ?.split(',')
    .find((h) => h.startsWith('x-aws-log-stream='))
    ?.slice('x-aws-log-stream='.length);
}

/** Hop 1: the stack exists, finished deploying, and has every output the pipeline check reads. */
export async function checkStackOutputs(
  clients: DoctorClients,
  stackName: string,
): Promise<{ result: HopResult; outputs?: LakeOutputs }> {
  let stack: Stack | undefined;
  try {
    stack = (await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName })))
      .Stacks?.[0];
  } catch (error) {
    return {
      result: fail(
        HOP,
        `cannot read stack ${stackName}: ${errorLine(error)}`,
        'check the region (--region or AWS_REGION), the stack name (--stack, or --prefix as in cdk.json) and ' +
          'your credentials (cloudformation:DescribeStacks)',
      ),
    };
  }
  const status = stack?.StackStatus ?? 'missing';
  if (!stack || !/_COMPLETE$/.test(status) || /ROLLBACK|DELETE/.test(status)) {
    return {
      result: fail(HOP, `stack ${stackName} is ${status}`, 'run `npx cdk deploy` and wait for it to finish'),
    };
  }
  const byKey = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  const missing: string[] = Object.values(REQUIRED).filter((key) => !byKey.get(key));
  const rawLogStream = logStreamOf(byKey.get('OtlpHeaders'));
  if (!rawLogStream) missing.push('OtlpHeaders');
  if (missing.length > 0) {
    return {
      result: fail(
        HOP,
        `stack ${stackName} lacks the output(s) ${missing.join(', ')}`,
        'deploy this version of the stack (`npx cdk deploy`); older stacks lack these outputs',
      ),
    };
  }
  const get = (key: string) => byKey.get(key) as string;
  const outputs: LakeOutputs = {
    otlpLogsEndpoint: get(REQUIRED.otlpLogsEndpoint),
    rawLogGroup: get(REQUIRED.rawLogGroup),
    rawLogStream: rawLogStream as string,
    deliveryStream: get(REQUIRED.deliveryStream),
    lakeBucket: get(REQUIRED.lakeBucket),
    workGroup: get(REQUIRED.workGroup),
    database: get(REQUIRED.database),
    eventsTable: get(REQUIRED.eventsTable),
  };
  return {
    result: pass(
      HOP,
      `${stackName} (${status}): log group ${outputs.rawLogGroup}, bucket ${outputs.lakeBucket}`,
    ),
    outputs,
  };
}
