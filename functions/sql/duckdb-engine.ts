import { readdir, realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { eventsDir, eventsGlob } from '../lake/lake-layout.ts';
import { COLUMNS, type Column, type ColumnType, PARTITION_KEY } from '../schema/columns.ts';
import { normalizeDuckDbType, toSqlValue } from './duckdb-values.ts';
import type { QueryResult, SqlEngine, SqlValue } from './engine.ts';
import { SqlEngineError } from './errors.ts';
import { loadViews } from './query-catalog.ts';
import { quoteIdent, quoteString } from './sql.ts';

/**
 * The local engine: DuckDB (in memory) over the lake's Parquet files, behind `SqlEngine`.
 *
 * It defines the relation `events` exactly as the Glue table reads on Athena: the schema's
 * columns with their types (columns.ts) plus `dt` (VARCHAR). Files missing a column (written
 * before it existed) read it as NULL; an empty lake gives the same columns and zero rows, and is
 * looked at again before each query until the first file appears. Then the views of
 * `queries/views/` are created over it, for the team time zone. DuckDB's session zone is UTC,
 * as Athena's is, so `CAST(event_time AS TIMESTAMP WITH TIME ZONE)` means the same on both.
 * Once open, the instance can read files under the lake and nowhere else
 * (`enable_external_access = false` with the lake as the one allowed directory; DuckDB refuses to
 * turn either back while it runs), so ad-hoc SQL (`query --sql`) cannot read `/etc/hostname`.
 */
export interface DuckDbEngineOptions {
  /** Lake directory (holds `events/dt=.../*.parquet`). */
  readonly lake: string;
  /** Team time zone for the views' date and hour columns. @default 'UTC' */
  readonly timeZone?: string;
  /** DuckDB worker threads (the machine is shared). @default 2 */
  readonly threads?: number;
  /** Directory of the view files. @default the repository's `queries/views` */
  readonly viewsDir?: string;
}

/** DuckDB type per schema column type: what Glue's types read as in Athena. */
export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

/** `SELECT` of the schema's columns from Parquet, each present one as is (or cast), each absent one as a typed NULL. */
export function eventsSelectSql(source: string | null, present: ReadonlyMap<string, string>): string {
  const list = (COLUMNS as readonly Column[]).map((c) => {
    const want = DUCKDB_TYPES[c.type];
    const have = present.get(c.name);
    const id = quoteIdent(c.name);
    if (have === undefined) return `CAST(NULL AS ${want}) AS ${id}`;
    return have === want ? id : `CAST(${id} AS ${want}) AS ${id}`;
  });
  const dt = quoteIdent(PARTITION_KEY);
  if (source === null) return `SELECT ${list.join(', ')}, CAST(NULL AS VARCHAR) AS ${dt} WHERE false`;
  return `SELECT ${list.join(', ')}, CAST(${dt} AS VARCHAR) AS ${dt} FROM ${source}`;
}

/** `read_parquet(...)` over every data file, with `dt` a string as in the Glue table. */
export function readParquetSql(lake: string): string {
  return `read_parquet(${quoteString(eventsGlob(lake))}, hive_partitioning = true, hive_types = {'${PARTITION_KEY}': VARCHAR}, union_by_name = true)`;
}

async function hasDataFiles(dir: string): Promise<boolean> {
  try {
    const names = await readdir(dir, { recursive: true });
    return names.some((n) => n.endsWith('.parquet'));
  } catch {
    return false;
  }
}

export class DuckDbEngine implements SqlEngine {
  readonly kind = 'local' as const;
  private eventsHasFiles = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly lake: string,
  ) {}

  static async open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 2) });
    const connection = await instance.connect();
    const engine = new DuckDbEngine(instance, connection, options.lake);
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      await engine.defineEvents();
      for (const ddl of await loadViews(options.timeZone ?? 'UTC', options.viewsDir))
        await connection.run(ddl);
      await confineToLake(connection, options.lake);
    } catch (error) {
      await engine.close();
      throw new SqlEngineError(
        `cannot open the local lake ${options.lake}: ${messageOf(error)}`,
        'unreachable',
        {
          cause: error,
        },
      );
    }
    return engine;
  }

  /** (Re)defines the `events` view; a no-op once it reads files. */
  private async defineEvents(): Promise<void> {
    if (this.eventsHasFiles) return;
    if (!(await hasDataFiles(eventsDir(this.lake)))) {
      await this.connection.run(`CREATE OR REPLACE VIEW events AS ${eventsSelectSql(null, new Map())}`);
      return;
    }
    const source = readParquetSql(this.lake);
    const described = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const present = new Map<string, string>();
    for (const row of described.getRowObjectsJS())
      present.set(String(row.column_name), String(row.column_type));
    await this.connection.run(`CREATE OR REPLACE VIEW events AS ${eventsSelectSql(source, present)}`);
    this.eventsHasFiles = true;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<QueryResult> {
    try {
      await this.defineEvents();
      const reader = await this.connection.runAndReadAll(
        sql,
        params.length ? (params as DuckDBValue[]) : undefined,
      );
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => normalizeDuckDbType(t.toString()));
      const columns = names.map((name, i) => ({ name, type: types[i]! }));
      const rows = reader.getRowsJS().map((values) => {
        const row: Record<string, SqlValue> = {};
        names.forEach((name, i) => {
          row[name] = toSqlValue(values[i], types[i]!);
        });
        return row;
      });
      return { columns, rows };
    } catch (error) {
      throw new SqlEngineError(`DuckDB: ${messageOf(error)}`, 'failed', { cause: error });
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Lets DuckDB read the lake's files only: no other path, no network, no extension downloads. */
async function confineToLake(connection: DuckDBConnection, lake: string): Promise<void> {
  const dirs = new Set([resolve(lake)]);
  const real = await realpath(lake).catch(() => undefined);
  if (real) dirs.add(real);
  const list = [...dirs].map((d) => quoteString(d.endsWith(sep) ? d : `${d}${sep}`)).join(', ');
  await connection.run(`SET allowed_directories = [${list}]`);
  await connection.run('SET enable_external_access = false');
}

/** Opens the local engine over a lake directory. */
export const openDuckDbEngine = (options: DuckDbEngineOptions): Promise<DuckDbEngine> =>
  DuckDbEngine.open(options);

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
