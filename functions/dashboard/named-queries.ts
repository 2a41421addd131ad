import type { EngineKind, QueryResult, QueryWindow, SqlEngine } from '../sql/engine.ts';
import { loadQueryCatalog, type NamedQuery, runNamedQuery } from '../sql/query-catalog.ts';
import type { FilterName, QueryFilters } from './filters.ts';
import { FILTER_NAMES } from './filters.ts';
import { limiter } from './limit.ts';

/**
 * What the dashboard needs from the SQL layer: the names of the queries in `queries/` and a way
 * to run one of them over a window. Only these names can ever run; no SQL comes from a request.
 */
export interface NamedQueries {
  readonly engine: EngineKind;
  readonly names: readonly string[];
  /** The filters `name` applies (its header's `-- filters:` line); none for an unknown name. */
  filtersOf(name: string): readonly FilterName[];
  /** Runs `name` over `window`, narrowed by the filters it applies (the caller passes only those). */
  run(name: string, window: QueryWindow, filters?: QueryFilters): Promise<QueryResult>;
}

/** The filters a query applies: those its header's `-- params:` binds (person, model, skill). */
function declaredFilters(query: NamedQuery): FilterName[] {
  return FILTER_NAMES.filter((f) => (query.params as readonly string[]).includes(f));
}

export interface CatalogQueriesOptions {
  /** Directory of the `.sql` files. @default the repository's `queries/` */
  readonly dir?: string;
  /** Queries asked at once. @default 8 on DuckDB (the engine runs them on its connections), 4 on Athena */
  readonly concurrency?: number;
}

/** The SQL layer's catalog (`queries/*.sql`) on an engine, as the dashboard's `NamedQueries`. */
export async function catalogQueries(
  engine: SqlEngine,
  options: CatalogQueriesOptions = {},
): Promise<NamedQueries> {
  const catalog = await loadQueryCatalog(options.dir);
  const limit = limiter(options.concurrency ?? (engine.kind === 'local' ? 8 : 4));
  const dir = options.dir === undefined ? {} : { dir: options.dir };
  const filters = new Map([...catalog].map(([name, query]) => [name, declaredFilters(query)]));
  return {
    engine: engine.kind,
    names: [...catalog.keys()],
    filtersOf: (name) => filters.get(name) ?? [],
    run: (name, window, applied = {}) => {
      const filtered: QueryWindow =
        Object.keys(applied).length === 0 ? window : { ...window, filters: applied };
      return limit(() => runNamedQuery(engine, name, filtered, dir));
    },
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
