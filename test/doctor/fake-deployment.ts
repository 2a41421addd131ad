import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A deployed stack as doctor sees it: AWS APIs answered by aws-sdk-client-mock (class-level, so
 * the clients doctor creates itself are the mocked ones), a local HTTP server standing in for
 * the CloudWatch Logs OTLP endpoint, and a virtual clock. The pipeline is simulated from what
 * the server received: the canary "lands" in the raw log group once posted, and becomes an
 * Athena row once the buffer interval has passed on the virtual clock. Each field breaks one hop.
 */
export interface Faults {
  stackMissing?: boolean;
  bearerOff?: boolean;
  streamStatus?: string;
  noSubscription?: boolean;
  endpointStatus?: number;
  /** CloudWatch Logs never stores the canary. */
  notStored?: boolean;
  /** Objects Firehose writes under this error prefix once the canary is sent. */
  errorPrefix?: 'processing-failed' | 'format-conversion-failed';
  /** Firehose receives nothing from the subscription. */
  noIncoming?: boolean;
  /** The row never shows up in Athena though Firehose delivered. */
  noRow?: boolean;
}

export const STACK = 'claude-otel-lake';
export const STREAM = 'claude-otel-lake-DeliveryStream-abc';
export const STREAM_ARN = `arn:aws:firehose:us-east-1:123456789012:deliverystream/${STREAM}`;
export const BUFFER_S = 900;

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export async function fakeDeployment(faults: Faults = {}) {
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const time = {
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
  const received: Received[] = [];
  let postedAt: number | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      postedAt ??= clock;
      res.writeHead(faults.endpointStatus ?? 200, { 'content-type': 'application/json' });
      res.end(faults.endpointStatus ? '{"message":"denied"}' : '{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;
  const canaryId = () => /"session\.id","value":\{"stringValue":"([^"]+)"/.exec(received[0]?.body ?? '')?.[1];
  const delivered = () => postedAt !== undefined && clock >= postedAt + BUFFER_S * 1000;

  const cfn = mockClient(CloudFormationClient);
  const logs = mockClient(CloudWatchLogsClient);
  const firehose = mockClient(FirehoseClient);
  const cloudWatch = mockClient(CloudWatchClient);
  const s3 = mockClient(S3Client);
  const athena = mockClient(AthenaClient);
  const mocks = [cfn, logs, firehose, cloudWatch, s3, athena];
  const output = (OutputKey: string, OutputValue: string) => ({ OutputKey, OutputValue });
  if (faults.stackMissing) {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error(`Stack with id ${STACK} does not exist`), { name: 'ValidationError' }),
      );
  } else {
    cfn.on(DescribeStacksCommand, { StackName: STACK }).resolves({
      Stacks: [
        {
          StackName: STACK,
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [
            output('OtlpLogsEndpoint', 'https://logs.us-east-1.amazonaws.com/v1/logs'),
            output(
              'OtlpHeaders',
              'Authorization=Bearer <API_KEY>,x-aws-log-group=/claude-otel/raw,x-aws-log-stream=claude-code',
            ),
            output('RawLogGroup', '/claude-otel/raw'),
            output('DeliveryStream', STREAM),
            output('LakeBucket', 'lake-bucket'),
            output('AthenaWorkGroup', 'claude-otel'),
            output('GlueDatabase', 'claude_otel'),
            output('EventsTable', 'events'),
          ],
        },
      ],
    });
  }
  logs.on(DescribeLogGroupsCommand).resolves({
    logGroups: [
      { logGroupName: '/claude-otel/raw-other', bearerTokenAuthenticationEnabled: true },
      {
        logGroupName: '/claude-otel/raw',
        bearerTokenAuthenticationEnabled: !faults.bearerOff,
        retentionInDays: 1,
      },
    ],
  });
  logs.on(DescribeSubscriptionFiltersCommand).resolves({
    subscriptionFilters: faults.noSubscription
      ? []
      : [{ filterName: 'ClaudeOtelLake-Subscription', destinationArn: STREAM_ARN }],
  });
  firehose.on(DescribeDeliveryStreamCommand).resolves({
    DeliveryStreamDescription: {
      DeliveryStreamName: STREAM,
      DeliveryStreamARN: STREAM_ARN,
      DeliveryStreamStatus: (faults.streamStatus ?? 'ACTIVE') as 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      VersionId: '1',
      HasMoreDestinations: false,
      Destinations: [
        {
          DestinationId: 'd',
          ExtendedS3DestinationDescription: { BufferingHints: { IntervalInSeconds: BUFFER_S } } as never,
        },
      ],
    },
  });
  logs.on(FilterLogEventsCommand).callsFake((input: { filterPattern?: string }) => {
    const id = canaryId();
    const stored = id && !faults.notStored && input.filterPattern === `"${id}"`;
    return { events: stored ? [{ message: received[0]!.body, timestamp: postedAt }] : [] };
  });
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string }) => {
    const hit =
      faults.errorPrefix &&
      postedAt !== undefined &&
      input.Prefix?.startsWith(`errors/${faults.errorPrefix}/dt=2026-12-01/`);
    return {
      Contents: hit ? [{ Key: `${input.Prefix}x.gz`, LastModified: new Date(postedAt! + 1000) }] : [],
      IsTruncated: false,
    };
  });
  cloudWatch.on(GetMetricDataCommand).callsFake(() => ({
    MetricDataResults: [
      { Id: 'incoming', Values: faults.noIncoming || postedAt === undefined ? [] : [1, 2] },
      { Id: 'delivered', Values: faults.noIncoming || !delivered() ? [] : [3] },
    ],
  }));
  const queries: { sql?: string; params?: string[] }[] = [];
  athena
    .on(StartQueryExecutionCommand)
    .callsFake((input: { QueryString?: string; ExecutionParameters?: string[] }) => {
      queries.push({ sql: input.QueryString, params: input.ExecutionParameters });
      return { QueryExecutionId: `q${queries.length}` };
    });
  athena
    .on(GetQueryExecutionCommand)
    .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, StatementType: 'DML' } });
  athena.on(GetQueryResultsCommand).callsFake(() => {
    const last = queries.at(-1)?.params ?? [];
    const n = delivered() && !faults.noRow && !faults.noIncoming && last[3] === `'${canaryId()}'` ? 1 : 0;
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] },
        Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: String(n) }] }],
      },
    };
  });

  return {
    endpoint,
    clock: time,
    received,
    queries,
    mocks: { cfn, logs, firehose, cloudWatch, s3, athena },
    async close() {
      for (const m of mocks) m.restore();
      server.close();
      await once(server, 'close');
    },
  };
}
