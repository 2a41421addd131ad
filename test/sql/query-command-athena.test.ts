import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { countPlaceholders } from '../../functions/sql/query-catalog.ts';
import { runCli } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/cli-kit.ts';

/** The query command on Athena end to end, with the SDK mocked: what Athena would receive and what the user sees. */
const athena = mockClient(AthenaClient);

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: '/', env: {} };
  const code = await runCli(['query', ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ATHENA = ['--engine', 'athena', '--workgroup', 'wg', '--database', 'db', '--region', 'us-east-1'];
const WINDOW = ['--from', '2026-03-23', '--to', '2026-03-30', '--tz', 'Europe/Berlin'];

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({
    QueryExecution: {
      StatementType: 'DML',
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: 12_345_678 },
    },
  });
  athena.on(GetQueryResultsCommand).resolves({
    ResultSet: {
      ResultSetMetadata: {
        ColumnInfo: [
          { Name: 'day', Type: 'varchar' },
          { Name: 'user_name', Type: 'varchar' },
          { Name: 'cost_usd', Type: 'double' },
        ],
      },
      Rows: [
        { Data: [{ VarCharValue: 'day' }, { VarCharValue: 'user_name' }, { VarCharValue: 'cost_usd' }] },
        { Data: [{ VarCharValue: '2026-03-23' }, { VarCharValue: 'ana' }, { VarCharValue: '1.5' }] },
      ],
    },
  });
});

describe('query on Athena', () => {
  it('sends the team time zone as a literal and only window values as quoted ExecutionParameters', async () => {
    const { code, out } = await cli(['daily_cost_per_user', ...ATHENA, ...WINDOW, '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([{ day: '2026-03-23', user_name: 'ana', cost_usd: 1.5 }]);
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(start.QueryString).toContain("AT TIME ZONE 'Europe/Berlin'");
    expect(start.QueryString).not.toContain('{{time_zone}}');
    const params = start.ExecutionParameters ?? [];
    expect(params).toHaveLength(countPlaceholders(start.QueryString!));
    // Berlin midnight of 23 March is 23:00 UTC the day before; partitions get a day of slack.
    expect(params).toEqual([
      "'2026-03-21'",
      "'2026-03-30'",
      "'2026-03-22 23:00:00.000'",
      "'2026-03-29 22:00:00.000'",
      "''",
      "''",
      "''",
    ]);
  });

  it('reports the bytes scanned beside csv and json output, on stderr, leaving stdout parseable', async () => {
    const json = await cli(['daily_cost_per_user', ...ATHENA, ...WINDOW, '--format', 'json']);
    expect(() => JSON.parse(json.out)).not.toThrow();
    expect(json.err).toMatch(/12\.35 MB scanned/);
    const csv = await cli(['daily_cost_per_user', ...ATHENA, ...WINDOW, '--format', 'csv']);
    expect(csv.out.split('\n')).toEqual(['day,user_name,cost_usd', '2026-03-23,ana,1.5']);
    expect(csv.err).toMatch(/12\.35 MB scanned/);
    const table = await cli(['daily_cost_per_user', ...ATHENA, ...WINDOW]);
    expect(table.out).toMatch(/\(1 row, 12\.35 MB scanned\)/);
  });
});
