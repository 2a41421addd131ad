import type { EngineKind, QueryResult, QueryWindow, SqlEngine } from '../sql/engine.ts';
import { loadQueryCatalog, runNamedQuery } from '../sql/query-catalog.ts';
import { limiter } from './limit.ts';

/**
 * What the dashboard needs from the SQL layer: the names of the queries in `queries/` and a way
 * to run one of them over a window. Only these names can ever run; no SQL comes from a request.
 */
export interface NamedQueries {
  readonly engine: EngineKind;
  readonly names: readonly string[];
  run(name: string, window: QueryWindow): Promise<QueryResult>;
}

export interface CatalogQueriesOptions {
  /** Directory of the `.sql` files. @default the repository's `queries/` */
  readonly dir?: string;
  /** Queries running at once. @default 1 on DuckDB (one connection), 4 on Athena */
  readonly concurrency?: number;
}

/** The SQL layer's catalog (`queries/*.sql`) on an engine, as the dashboard's `NamedQueries`. */
export async function catalogQueries(
  engine: SqlEngine,
  options: CatalogQueriesOptions = {},
): Promise<NamedQueries> {
  const catalog = await loadQueryCatalog(options.dir);
  const limit = limiter(options.concurrency ?? (engine.kind === 'local' ? 1 : 4));
  const runOptions = options.dir === undefined ? {} : { dir: options.dir };
  return {
    engine: engine.kind,
    names: [...catalog.keys()],
    run: (name, window) => limit(() => runNamedQuery(engine, name, window, runOptions)),
  };
}

/** How long after Claude Code sends an event it shows here, per engine, in words for the page. */
export function dataLatency(engine: EngineKind, options: { readonly flushIntervalMs?: number } = {}): string {
  if (engine === 'athena') {
    return (
      'AWS lake (Athena): Firehose buffers events for up to 15 minutes before it writes Parquet to S3, ' +
      'so the most recent quarter of an hour may be missing. Answers are cached for 5 minutes.'
    );
  }
  const flush =
    options.flushIntervalMs === undefined
      ? 'when its spool reaches its size or time threshold'
      : `at least every ${Math.round(options.flushIntervalMs / 1000)} seconds (sooner when its spool fills)`;
  return (
    `Local lake: events appear seconds after the local endpoint flushes them to Parquet, ${flush}; ` +
    'Claude Code itself sends every 5 seconds.'
  );
}
