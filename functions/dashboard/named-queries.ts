import type { EngineKind, QueryResult, QueryWindow } from '../sql/engine.ts';

/**
 * What the dashboard needs from the SQL layer: the names of the queries in `queries/` and a way
 * to run one of them over a window. Only these names can ever run; no SQL comes from a request.
 */
export interface NamedQueries {
  readonly engine: EngineKind;
  readonly names: readonly string[];
  run(name: string, window: QueryWindow): Promise<QueryResult>;
}

/** How long after Claude Code sends an event it shows here, per engine, in words for the page. */
export function dataLatency(engine: EngineKind): string {
  return engine === 'local'
    ? 'Local lake: events appear a few seconds after the local endpoint flushes its spool to Parquet ' +
        '(on its size or time threshold), plus Claude Code’s own 5-second export batching.'
    : 'AWS lake (Athena): Firehose buffers events for up to 15 minutes before it writes Parquet to S3, ' +
        'so the most recent quarter of an hour may be missing.';
}
