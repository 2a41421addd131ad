import {
  AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { fromAthenaText } from './athena-values.ts';
import type { QueryColumn, QueryResult, SqlEngine, SqlRow, SqlValue } from './engine.ts';
import { SqlEngineError } from './errors.ts';
import { sqlLiteral } from './sql.ts';

/**
 * The AWS engine: Athena (engine v3) over the Glue table `events`, behind `SqlEngine`.
 *
 * - Parameters go in as `ExecutionParameters`, which Athena pastes into the statement as SQL
 *   literals: strings are sent quoted (`'2026-01-05'`), see sql.ts `sqlLiteral`.
 * - Polls `GetQueryExecution` with exponential backoff (250 ms, x1.5, at most 5 s) until the
 *   query ends or the timeout passes; on timeout it stops the query and throws `timeout`.
 * - Pages `GetQueryResults` (1000 rows a page); the first row of a SELECT's first page is the
 *   header and is dropped. Values are converted by the column metadata types (athena-values.ts).
 * - FAILED and CANCELLED surface Athena's own reason; `bytesScanned` is `DataScannedInBytes`.
 */
export interface AthenaEngineOptions {
  readonly workgroup: string;
  readonly database: string;
  /** @default 'AwsDataCatalog' */
  readonly catalog?: string;
  /** Results location, when the workgroup does not enforce one. */
  readonly outputLocation?: string;
  readonly region?: string;
  /** A client to use instead of a new one (tests, custom credentials). */
  readonly client?: AthenaClient;
  /** Longest wait for one query, ms. @default 300_000 */
  readonly timeoutMs?: number;
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  /** Injectable clock and sleep (tests). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

type QueryState = NonNullable<
  NonNullable<GetQueryExecutionCommandOutput['QueryExecution']>['Status']
>['State'];

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnauthorizedOperation',
]);

/** An SDK error as one clear line and a code the CLI can act on. */
export function athenaErrorOf(error: unknown): SqlEngineError {
  if (error instanceof SqlEngineError) return error;
  const e = error as { name?: string; message?: string; code?: string };
  const name = e?.name ?? '';
  const message = (e?.message ?? String(error)).split('\n')[0]!;
  if (CREDENTIAL_ERRORS.has(name) || /credential/i.test(message)) {
    return new SqlEngineError(`Athena: no usable AWS credentials (${message})`, 'credentials', {
      cause: error,
    });
  }
  if (/region is missing/i.test(message)) {
    return new SqlEngineError('Athena: no AWS region; set AWS_REGION', 'unreachable', { cause: error });
  }
  if (
    ['TimeoutError', 'NetworkingError'].includes(name) ||
    /ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|getaddrinfo/.test(`${e?.code ?? ''} ${message}`)
  ) {
    return new SqlEngineError(`Athena: cannot reach the service (${message})`, 'unreachable', {
      cause: error,
    });
  }
  return new SqlEngineError(`Athena: ${name ? `${name}: ` : ''}${message}`, 'failed', { cause: error });
}

export class AthenaEngine implements SqlEngine {
  readonly kind = 'athena' as const;
  private readonly client: AthenaClient;
  private readonly ownsClient: boolean;

  constructor(private readonly options: AthenaEngineOptions) {
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new AthenaClient(options.region ? { region: options.region } : {});
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<QueryResult> {
    try {
      const id = await this.start(sql, params);
      const execution = await this.wait(id);
      const statementType = execution.QueryExecution?.StatementType;
      const bytesScanned = execution.QueryExecution?.Statistics?.DataScannedInBytes;
      const { columns, rows } = await this.results(id, statementType === 'DML');
      return bytesScanned === undefined ? { columns, rows } : { columns, rows, bytesScanned };
    } catch (error) {
      throw athenaErrorOf(error);
    }
  }

  private async start(sql: string, params: readonly SqlValue[]): Promise<string> {
    const o = this.options;
    const out = await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: o.workgroup,
        QueryExecutionContext: { Database: o.database, Catalog: o.catalog ?? 'AwsDataCatalog' },
        ...(params.length ? { ExecutionParameters: params.map(sqlLiteral) } : {}),
        ...(o.outputLocation ? { ResultConfiguration: { OutputLocation: o.outputLocation } } : {}),
      }),
    );
    if (!out.QueryExecutionId) throw new SqlEngineError('Athena: StartQueryExecution gave no id', 'failed');
    return out.QueryExecutionId;
  }

  private async wait(id: string): Promise<GetQueryExecutionCommandOutput> {
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const timeoutMs = this.options.timeoutMs ?? 300_000;
    const maxDelay = this.options.pollMaxMs ?? 5_000;
    let delay = this.options.pollInitialMs ?? 250;
    const started = now();
    for (;;) {
      const out = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const status = out.QueryExecution?.Status;
      const state: QueryState = status?.State;
      if (state === 'SUCCEEDED') return out;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = status?.AthenaError?.ErrorMessage ?? status?.StateChangeReason ?? 'no reason given';
        throw new SqlEngineError(
          `Athena query ${id} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${reason}`,
          state === 'FAILED' ? 'failed' : 'cancelled',
        );
      }
      if (now() - started + delay > timeoutMs) {
        await this.client
          .send(new StopQueryExecutionCommand({ QueryExecutionId: id }))
          .catch(() => undefined);
        throw new SqlEngineError(
          `Athena query ${id} did not finish within ${Math.round(timeoutMs / 1000)} s (stopped)`,
          'timeout',
        );
      }
      await sleep(delay);
      delay = Math.min(maxDelay, Math.round(delay * 1.5));
    }
  }

  private async results(id: string, hasHeader: boolean): Promise<Pick<QueryResult, 'columns' | 'rows'>> {
    let columns: QueryColumn[] = [];
    const rows: SqlRow[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await this.client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, NextToken: token }),
      );
      if (first) {
        columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
          name: c.Name ?? c.Label ?? '',
          type: (c.Type ?? 'varchar').toLowerCase(),
        }));
      }
      const data = page.ResultSet?.Rows ?? [];
      for (let i = first && hasHeader ? 1 : 0; i < data.length; i++) {
        const cells = data[i]?.Data ?? [];
        const row: Record<string, SqlValue> = {};
        columns.forEach((c, j) => {
          row[c.name] = fromAthenaText(c.type, cells[j]?.VarCharValue);
        });
        rows.push(row);
      }
      first = false;
      token = page.NextToken;
    } while (token);
    return { columns, rows };
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}

export const openAthenaEngine = (options: AthenaEngineOptions): AthenaEngine => new AthenaEngine(options);
