import {
  AthenaClient,
  GetQueryExecutionCommand,
  type QueryExecutionState,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaDdlError, type DdlEvent, isComplete, onEvent } from '../../functions/athena-ddl/ddl.ts';

const athenaMock = mockClient(AthenaClient);
const athena = new AthenaClient({ region: 'us-east-1' });

const props = {
  WorkGroup: 'claude-otel',
  Database: 'claude_otel',
  ViewName: 'claude_code_usage',
  Sql: 'CREATE OR REPLACE VIEW claude_code_usage AS SELECT 1 AS x',
};
const event = (over: Partial<DdlEvent>): DdlEvent => ({
  RequestType: 'Create',
  ResourceProperties: props,
  ...over,
});
const status = (State: QueryExecutionState, StateChangeReason?: string) => ({
  QueryExecution: { Status: { State, ...(StateChangeReason ? { StateChangeReason } : {}) } },
});

beforeEach(() => athenaMock.reset());

describe('onEvent', () => {
  it('starts the DDL in the workgroup and database, keyed by database.view', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    const out = await onEvent(event({}), athena);
    expect(out).toEqual({
      PhysicalResourceId: 'claude_otel.claude_code_usage',
      Data: { QueryExecutionId: 'q-1' },
    });
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryString: props.Sql,
      QueryExecutionContext: { Database: 'claude_otel' },
      WorkGroup: 'claude-otel',
    });
  });

  it('drops the view of the physical id on delete', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    const out = await onEvent(
      event({ RequestType: 'Delete', PhysicalResourceId: 'claude_otel.old_view' }),
      athena,
    );
    expect(out.Data.QueryExecutionId).toBe('q-2');
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString).toBe(
      'DROP VIEW IF EXISTS "claude_otel"."old_view"',
    );
  });

  it('deletes a resource whose create never got a view id without calling Athena', async () => {
    const out = await onEvent(
      event({ RequestType: 'Delete', PhysicalResourceId: 'some-request-id' }),
      athena,
    );
    expect(out).toEqual({ PhysicalResourceId: 'some-request-id', Data: {} });
    expect(athenaMock.calls()).toHaveLength(0);
  });

  it('refuses a view name that is not an identifier', async () => {
    await expect(
      onEvent(event({ ResourceProperties: { ...props, ViewName: 'x; DROP TABLE events' } }), athena),
    ).rejects.toThrow(AthenaDdlError);
  });
});

describe('isComplete', () => {
  const started = { Data: { QueryExecutionId: 'q-1' } };

  it('waits while Athena queues or runs the DDL, completes when it succeeded', async () => {
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce(status('QUEUED'))
      .resolvesOnce(status('RUNNING'))
      .resolves(status('SUCCEEDED'));
    expect(await isComplete(event(started), athena)).toEqual({ IsComplete: false });
    expect(await isComplete(event(started), athena)).toEqual({ IsComplete: false });
    expect(await isComplete(event(started), athena)).toEqual({ IsComplete: true });
  });

  it("fails the deployment with Athena's reason when the DDL failed", async () => {
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolves(status('FAILED', "line 3:8: Column 'nope' cannot be resolved"));
    await expect(isComplete(event(started), athena)).rejects.toThrow(
      /Athena FAILED for view claude_code_usage \(query q-1\): line 3:8: Column 'nope' cannot be resolved/,
    );
  });

  it('never blocks a delete on a failed drop', async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves(status('FAILED', 'database not found'));
    expect(await isComplete(event({ ...started, RequestType: 'Delete' }), athena)).toEqual({
      IsComplete: true,
    });
  });

  it('is complete at once when nothing was started', async () => {
    expect(await isComplete(event({ RequestType: 'Delete' }), athena)).toEqual({ IsComplete: true });
    expect(athenaMock.calls()).toHaveLength(0);
  });
});
