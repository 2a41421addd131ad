/**
 * The seam between the SQL in `queries/` and where it runs. Two adapters implement it: DuckDB over
 * the local lake and Athena over S3. Callers (query command, digest, dashboard) see only this.
 */

/** A scalar as the engines hand it back, converted by column type (bigint -> number when safe). */
export type SqlValue = string | number | boolean | null;

export type SqlRow = Readonly<Record<string, SqlValue>>;

export interface QueryColumn {
  readonly name: string;
  /** Engine type name, lower-case (e.g. `varchar`, `bigint`, `double`, `timestamp`). */
  readonly type: string;
}

export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly SqlRow[];
  /** Bytes the engine scanned, when it reports them (Athena). */
  readonly bytesScanned?: number;
}

/**
 * Optional filters every named query applies to the base view's rows (queries/views/10_usage_events.sql):
 * `person` is a `user_name`, `model` a model id or family (`opus`), `skill` a skill name.
 */
export interface QueryFilters {
  readonly person?: string | undefined;
  readonly model?: string | undefined;
  readonly skill?: string | undefined;
}

/** A half-open time window `[from, to)` and the team time zone for daily buckets. */
export interface QueryWindow {
  readonly from: Date;
  readonly to: Date;
  /** IANA zone name, e.g. `Europe/Berlin`; default `UTC`. */
  readonly timeZone: string;
  /** Where the data ends when the window reaches past now (an unfinished today): the window
   * before is cut at the same offset, so both are equally complete. */
  readonly asOf?: Date | undefined;
  readonly filters?: QueryFilters | undefined;
}

export type EngineKind = 'local' | 'athena';

export interface SqlEngine {
  readonly kind: EngineKind;
  /** Runs one statement. `params` fill positional `?` placeholders, in order. */
  run(sql: string, params?: readonly SqlValue[]): Promise<QueryResult>;
  close(): Promise<void>;
}
