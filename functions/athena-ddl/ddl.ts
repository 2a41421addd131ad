/**
 * Runs a view's DDL in Athena for a CloudFormation custom resource and waits for it, so a broken
 * view fails the deployment with Athena's own reason (`AwsCustomResource` would neither wait nor
 * notice). Used through the CDK Provider framework: `onEvent` starts the query, `isComplete` is
 * polled until it finishes.
 *
 *   onEvent({ RequestType: 'Create', ResourceProperties: { WorkGroup, Database, ViewName, Sql } })
 *     -> { PhysicalResourceId: 'claude_otel.claude_code_usage', Data: { QueryExecutionId: '…' } }
 *   isComplete({ …, Data: { QueryExecutionId } }) -> { IsComplete: false } … { IsComplete: true }
 *     or throws AthenaDdlError('Athena FAILED … line 3:8: Column 'x' cannot be resolved')
 *
 * Delete drops the view (`DROP VIEW IF EXISTS`); a failed drop is logged, never blocks deletion.
 */
import { GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';

/** The part of the Athena client this module uses (an `AthenaClient` satisfies it). */
export interface AthenaSender {
  send(command: StartQueryExecutionCommand): Promise<{ QueryExecutionId?: string }>;
  send(command: GetQueryExecutionCommand): Promise<{
    QueryExecution?: { Status?: { State?: string; StateChangeReason?: string } };
  }>;
}

export interface ViewProperties {
  readonly WorkGroup: string;
  readonly Database: string;
  readonly ViewName: string;
  readonly Sql: string;
}

export interface DdlEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: ViewProperties & { readonly ServiceToken?: string };
  readonly PhysicalResourceId?: string;
  readonly Data?: { readonly QueryExecutionId?: string };
}

export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly Data: { readonly QueryExecutionId?: string };
}

export class AthenaDdlError extends Error {
  override readonly name = 'AthenaDdlError';
}

const VIEW_NAME = /^[a-z_][a-z0-9_]*$/;

/** `"db"."view"`: both names checked, so nothing but an identifier reaches the DROP. */
export function qualifiedViewName(database: string, view: string): string {
  for (const [what, name] of [
    ['database', database],
    ['view', view],
  ] as const) {
    if (!VIEW_NAME.test(name)) throw new AthenaDdlError(`invalid ${what} name "${name}"`);
  }
  return `"${database}"."${view}"`;
}

export async function onEvent(event: DdlEvent, athena: AthenaSender): Promise<OnEventResult> {
  const p = event.ResourceProperties;
  const physicalId = `${p.Database}.${p.ViewName}`;
  if (event.RequestType === 'Delete') {
    const [database, view] = (event.PhysicalResourceId ?? '').split('.');
    if (!database || !view || !VIEW_NAME.test(database) || !VIEW_NAME.test(view)) {
      return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId, Data: {} };
    }
    const sql = `DROP VIEW IF EXISTS ${qualifiedViewName(database, view)}`;
    const id = await start(athena, sql, database, p.WorkGroup);
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId, Data: { QueryExecutionId: id } };
  }
  qualifiedViewName(p.Database, p.ViewName);
  const id = await start(athena, p.Sql, p.Database, p.WorkGroup);
  return { PhysicalResourceId: physicalId, Data: { QueryExecutionId: id } };
}

export async function isComplete(event: DdlEvent, athena: AthenaSender): Promise<{ IsComplete: boolean }> {
  const id = event.Data?.QueryExecutionId;
  if (!id) return { IsComplete: true };
  const out = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
  const state = out.QueryExecution?.Status?.State ?? 'UNKNOWN';
  if (state === 'SUCCEEDED') return { IsComplete: true };
  if (state === 'QUEUED' || state === 'RUNNING') return { IsComplete: false };
  const reason = out.QueryExecution?.Status?.StateChangeReason ?? 'no reason given';
  if (event.RequestType === 'Delete') {
    console.log(JSON.stringify({ msg: 'drop view failed; resource deleted anyway', state, reason, id }));
    return { IsComplete: true };
  }
  throw new AthenaDdlError(
    `Athena ${state} for view ${event.ResourceProperties.ViewName} (query ${id}): ${reason}`,
  );
}

async function start(
  athena: AthenaSender,
  sql: string,
  database: string,
  workGroup: string,
): Promise<string> {
  const out = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: database },
      WorkGroup: workGroup,
    }),
  );
  if (!out.QueryExecutionId) throw new AthenaDdlError('Athena returned no query execution id');
  return out.QueryExecutionId;
}
