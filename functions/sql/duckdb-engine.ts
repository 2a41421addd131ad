import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { listDataFiles } from '../lake/data-files.ts';
import { METRICS_TABLE } from '../lake/lake-table.ts';
import { COLUMNS, type Column, type ColumnType, PARTITION_KEY } from '../schema/columns.ts';
import { keepBaseViewAsTable, refreshBaseViewTable } from './base-view-table.ts';
import { ConnectionPool } from './connection-pool.ts';
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
  /** One line per data file left out because it cannot be read. @default stderr */
  readonly warn?: (line: string) => void;
  /**
   * Keep the base view `usage_events` as a table, recomputed when the lake's files change
   * (base-view-table.ts): for readers that run many queries (the dashboard). Same rows; costs
   * the lake's rows in memory. @default false
   */
  readonly baseViewAsTable?: boolean;
  /** Connections queries run on, at once (the first also defines the views). @default 1 */
  readonly connections?: number;
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
export function eventsSelectSql(
  source: string | null,
  present: ReadonlyMap<string, string>,
  columns: readonly Column[] = COLUMNS,
): string {
  const list = columns.map((c) => {
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

/**
 * `read_parquet(...)` over the given data files (the lake layer's vetted, journal-aware list:
 * lake/data-files.ts), with `dt` a string as in the Glue table.
 */
export function readParquetSql(files: readonly string[]): string {
  return `read_parquet([${files.map(quoteString).join(', ')}], hive_partitioning = true, hive_types = {'${PARTITION_KEY}': VARCHAR}, union_by_name = true)`;
}

/** A query that failed on one data file is run again without it, at most this many times. */
const MAX_FILE_RETRIES = 3;

export class DuckDbEngine implements SqlEngine {
  readonly kind = 'local' as const;
  /** The file list the `events` view reads now (null: not defined yet). */
  private eventsFiles: string | null = null;
  /** The same for the `metrics` view. */
  private metricsFiles: string | null = null;
  /** Files left out after DuckDB failed on them, and files already reported. */
  private readonly unreadable = new Set<string>();
  private readonly reported = new Set<string>();
  private listed: readonly string[] = [];
  /** The base view's table: not kept, out of date with `events`, or current. */
  private baseTable: 'none' | 'stale' | 'current' = 'none';
  /** The last `prepare()` pass (settled or not), and the one waiting to start, if any. */
  private preparing: Promise<unknown> = Promise.resolve();
  private queued: Promise<void> | null = null;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly pool: ConnectionPool<DuckDBConnection>,
    private readonly lake: string,
    private readonly warn: (line: string) => void,
  ) {}

  /** The connection that defines `events`, the views and the base view's table. */
  private get connection(): DuckDBConnection {
    return this.pool.all[0]!;
  }

  static async open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 2) });
    const connections = await Promise.all(
      Array.from({ length: Math.max(1, options.connections ?? 1) }, () => instance.connect()),
    );
    const connection = connections[0]!;
    const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
    const engine = new DuckDbEngine(instance, new ConnectionPool(connections), options.lake, warn);
    try {
      // A session setting: each connection's own.
      for (const c of connections) await c.run(`SET TimeZone = 'UTC'`);
      await engine.skippingBadFiles(() => engine.defineEvents());
      for (const ddl of await loadViews(options.timeZone ?? 'UTC', options.viewsDir))
        await connection.run(ddl);
      if (options.baseViewAsTable && (await keepBaseViewAsTable(connection))) engine.baseTable = 'stale';
      await confineToLake(connection, options.lake);
      // Compute the table now, while the page's files load; a failure resurfaces at the first query.
      if (engine.baseTable === 'stale') engine.prepare().catch(() => {});
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

  /** (Re)defines the `events` view over the lake's current readable files, when they changed. */
  private async defineEvents(): Promise<readonly string[]> {
    const metricsFiles = await this.defineMetrics();
    const listing = await listDataFiles(this.lake);
    for (const { path, reason } of listing.bad) this.report(path, reason);
    const files = listing.files.filter((f) => !this.unreadable.has(f));
    this.listed = [...files, ...metricsFiles];
    const signature = files.join('\n');
    if (signature === this.eventsFiles) return this.listed;
    if (files.length === 0) {
      await this.connection.run(`CREATE OR REPLACE VIEW events AS ${eventsSelectSql(null, new Map())}`);
    } else {
      const source = readParquetSql(files);
      const described = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      const present = new Map<string, string>();
      for (const row of described.getRowObjectsJS())
        present.set(String(row.column_name), String(row.column_type));
      await this.connection.run(`CREATE OR REPLACE VIEW events AS ${eventsSelectSql(source, present)}`);
    }
    this.eventsFiles = signature;
    if (this.baseTable !== 'none') this.baseTable = 'stale';
    return this.listed;
  }

  /** `metrics`: the metrics table (metric-columns.ts) over `<lake>/metrics/dt=.../*.parquet`, like `events`. */
  private async defineMetrics(): Promise<readonly string[]> {
    const listing = await listDataFiles(this.lake, METRICS_TABLE.prefix);
    for (const { path, reason } of listing.bad) this.report(path, reason);
    const files = listing.files.filter((f) => !this.unreadable.has(f));
    const signature = files.join('\n');
    if (signature === this.metricsFiles) return files;
    const columns = METRICS_TABLE.columns;
    if (files.length === 0) {
      await this.connection.run(
        `CREATE OR REPLACE VIEW metrics AS ${eventsSelectSql(null, new Map(), columns)}`,
      );
    } else {
      const source = readParquetSql(files);
      const described = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      const present = new Map<string, string>();
      for (const row of described.getRowObjectsJS())
        present.set(String(row.column_name), String(row.column_type));
      await this.connection.run(
        `CREATE OR REPLACE VIEW metrics AS ${eventsSelectSql(source, present, columns)}`,
      );
    }
    this.metricsFiles = signature;
    return files;
  }

  private report(path: string, reason: string): void {
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.warn(`skipping unreadable data file ${path}: ${reason}`);
  }

  /**
   * Runs `sql`; when DuckDB fails on one data file (corrupt inside, or removed by a compaction
   * after the listing), the file is left out if it still exists and the query runs again.
   */
  async run(sql: string, params: readonly SqlValue[] = []): Promise<QueryResult> {
    try {
      return await this.skippingBadFiles(async () => {
        await this.prepare();
        return this.runOnce(sql, params);
      });
    } catch (error) {
      throw new SqlEngineError(`DuckDB: ${messageOf(error)}`, 'failed', { cause: error });
    }
  }

  /**
   * Brings `events` (and the base view's table) up to the lake's files as they are now. Passes
   * run one after another, each listing the files when it starts, so none misses a flush that
   * finished before its caller asked; callers arriving while a pass waits to start share it. The
   * table is recomputed only when the files changed.
   */
  private prepare(): Promise<void> {
    if (this.queued) return this.queued;
    const pass = this.preparing.then(async () => {
      this.queued = null;
      await this.defineEvents();
      if (this.baseTable === 'stale') {
        await refreshBaseViewTable(this.connection);
        this.baseTable = 'current';
      }
    });
    this.queued = pass;
    this.preparing = pass.catch(() => {});
    return pass;
  }

  private async skippingBadFiles<T>(task: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await task();
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        const culprit = this.listed.find((f) => text.includes(f));
        if (culprit === undefined || attempt >= MAX_FILE_RETRIES) throw error;
        if (existsSync(culprit)) {
          this.unreadable.add(culprit);
          this.report(culprit, messageOf(error));
        }
        this.eventsFiles = null;
        this.metricsFiles = null;
      }
    }
  }

  private async runOnce(sql: string, params: readonly SqlValue[]): Promise<QueryResult> {
    const reader = await this.pool.use((connection) =>
      connection.runAndReadAll(sql, params.length ? (params as DuckDBValue[]) : undefined),
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
  }

  async close(): Promise<void> {
    await this.preparing;
    for (const connection of this.pool.all) connection.closeSync();
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
