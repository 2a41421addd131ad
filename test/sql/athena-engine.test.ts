import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine, athenaErrorOf } from '../../functions/sql/athena-engine.ts';
import { fromAthenaText } from '../../functions/sql/athena-values.ts';

const athena = mockClient(AthenaClient);

const header = (names: string[]) => ({ Data: names.map((n) => ({ VarCharValue: n })) });
const row = (values: (string | undefined)[]) => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
});
const COLUMNS = [
  { Name: 'user_name', Type: 'varchar' },
  { Name: 'sessions', Type: 'bigint' },
  { Name: 'cost_usd', Type: 'double' },
  { Name: 'ok', Type: 'boolean' },
  { Name: 'last_seen', Type: 'timestamp' },
  { Name: 'day', Type: 'date' },
];

function engine(overrides: Partial<ConstructorParameters<typeof AthenaEngine>[0]> = {}) {
  let clock = 0;
  const sleeps: number[] = [];
  const e = new AthenaEngine({
    workgroup: 'wg',
    database: 'lake_db',
    client: new AthenaClient({ region: 'us-east-1' }),
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    ...overrides,
  });
  return { engine: e, sleeps };
}

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
});

describe('Athena engine', () => {
  it('passes the workgroup, database and parameters as quoted literals, polls with backoff, pages results', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({
        QueryExecution: {
          StatementType: 'DML',
          Status: { State: 'SUCCEEDED' },
          Statistics: { DataScannedInBytes: 123_456 },
        },
      });
    const first = Array.from({ length: 999 }, (_, i) =>
      row([`u${i}`, String(i), '0.5', 'true', '2026-01-05 10:00:00.000', '2026-01-05']),
    );
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [header(COLUMNS.map((c) => c.Name)), ...first],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [row(['user_name', '9007199254740993', '1e-3', 'false', '2026-01-05 10:00:00.5', undefined])],
        },
      });
    const { engine: e, sleeps } = engine();
    const result = await e.run('SELECT ... WHERE dt BETWEEN ? AND ? AND x = ? AND y = ?', [
      '2026-01-04',
      "it's",
      3,
      null,
    ]);

    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'SELECT ... WHERE dt BETWEEN ? AND ? AND x = ? AND y = ?',
      WorkGroup: 'wg',
      QueryExecutionContext: { Database: 'lake_db', Catalog: 'AwsDataCatalog' },
      ExecutionParameters: ["'2026-01-04'", "'it''s'", '3', 'NULL'],
    });
    expect(sleeps).toEqual([250, 375, 563]);
    expect(result.bytesScanned).toBe(123_456);
    expect(result.columns).toEqual(COLUMNS.map((c) => ({ name: c.Name, type: c.Type })));
    expect(result.rows).toHaveLength(1000); // the header row of page 1 dropped, page 2 kept whole
    expect(result.rows[0]).toEqual({
      user_name: 'u0',
      sessions: 0,
      cost_usd: 0.5,
      ok: true,
      last_seen: '2026-01-05T10:00:00.000Z',
      day: '2026-01-05',
    });
    expect(result.rows[999]).toEqual({
      user_name: 'user_name', // a data row that looks like a header is data
      sessions: '9007199254740993',
      cost_usd: 0.001,
      ok: false,
      last_seen: '2026-01-05T10:00:00.500Z',
      day: null,
    });
  });

  it('reads DDL results without a header row and sends no empty ExecutionParameters', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { StatementType: 'DDL', Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const result = await engine().engine.run('CREATE OR REPLACE VIEW v AS SELECT 1 AS x');
    expect(result).toEqual({ columns: [], rows: [] });
    expect(
      athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.ExecutionParameters,
    ).toBeUndefined();
  });

  it('surfaces the reason of a FAILED query', async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason: 'SYNTAX_ERROR: line 1:8: Column nope cannot be resolved',
          AthenaError: { ErrorMessage: 'line 1:8: Column nope cannot be resolved' },
        },
      },
    });
    await expect(engine().engine.run('SELECT nope')).rejects.toMatchObject({
      code: 'failed',
      message: 'Athena query q-1 failed: line 1:8: Column nope cannot be resolved',
    });
  });

  it('surfaces the reason of a CANCELLED query', async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' } },
    });
    await expect(engine().engine.run('SELECT 1')).rejects.toMatchObject({
      code: 'cancelled',
      message: 'Athena query q-1 was cancelled: Query cancelled by user',
    });
  });

  it('stops the query and throws timeout when it runs too long', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { engine: e, sleeps } = engine({ timeoutMs: 10_000 });
    await expect(e.run('SELECT 1')).rejects.toMatchObject({
      code: 'timeout',
      message: /did not finish within 10 s/,
    });
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryExecutionId: 'q-1',
    });
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(5_000);
  });

  it('maps missing credentials and an unreachable endpoint to one clear line', async () => {
    const noCreds = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    athena.on(StartQueryExecutionCommand).rejects(noCreds);
    await expect(engine().engine.run('SELECT 1')).rejects.toMatchObject({ code: 'credentials' });
    expect(
      athenaErrorOf(
        Object.assign(new Error('getaddrinfo ENOTFOUND athena.us-east-1.amazonaws.com'), {
          code: 'ENOTFOUND',
        }),
      ),
    ).toMatchObject({ code: 'unreachable' });
    expect(athenaErrorOf(new Error('Region is missing'))).toMatchObject({
      code: 'unreachable',
      message: /AWS_REGION/,
    });
  });
});

describe('Athena value conversion', () => {
  it('converts by column type', () => {
    expect(fromAthenaText('integer', '7')).toBe(7);
    expect(fromAthenaText('decimal(10,2)', '1.25')).toBe(1.25);
    expect(fromAthenaText('varchar', '007')).toBe('007');
    expect(fromAthenaText('timestamp', '2026-01-05 10:00:00')).toBe('2026-01-05T10:00:00.000Z');
    expect(fromAthenaText('bigint', undefined)).toBeNull();
  });
});
