import { openDuckDbEngine } from '../sql/duckdb-engine.ts';
import type { SqlEngine } from '../sql/engine.ts';
import { createDashboard } from './create-dashboard.ts';
import type { RouteHandler } from './http-handler.ts';

/**
 * The dashboard over a local lake, for `serve` to mount beside the OTLP endpoint (through the
 * ingest server's `fallback`): one DuckDB engine over the lake, the page and the API.
 *
 *   const dashboard = await openLocalDashboard({ lake, host, token, flushIntervalMs });
 *   startIngestServer({ ..., fallback: dashboard.handler, onFlush: () => dashboard.invalidate() });
 *   // on exit, after the server closed:
 *   await dashboard.close();
 *
 * `invalidate()` after each flush drops cached answers, so the page shows new rows as soon as
 * they are in Parquet instead of after the cache's lifetime.
 */
export interface LocalDashboardOptions {
  readonly lake: string;
  /** Address the server listens on (a loopback one turns on the Host-header guard). */
  readonly host: string;
  /** Bearer token for the API; `serve` passes its own. */
  readonly token?: string;
  /** Team time zone the page starts with. @default 'UTC' */
  readonly timeZone?: string;
  /** The writer's flush interval, for the page's data latency sentence. */
  readonly flushIntervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface LocalDashboard {
  readonly handler: RouteHandler;
  /** The DuckDB engine over the lake, for other readers in the same process (the digest schedule). */
  readonly engine: SqlEngine;
  /** Forgets every cached answer (call after a flush wrote rows). */
  invalidate(): void;
  /** The settings block (without the token) the page shows on an empty lake. */
  setSettingsBlock(text: string): void;
  close(): Promise<void>;
}

/**
 * The DuckDB engine's settings for the dashboard (here and in the `dashboard` command): ~20
 * queries per page load, so the base view is computed once per change of the lake rather than in
 * each, and they run on two connections at once (the machines this runs on have 2+ cores).
 */
export const DASHBOARD_DUCKDB = { baseViewAsTable: true, connections: 2 } as const;

export async function openLocalDashboard(options: LocalDashboardOptions): Promise<LocalDashboard> {
  const timeZone = options.timeZone ?? 'UTC';
  const engine = await openDuckDbEngine({ ...DASHBOARD_DUCKDB, lake: options.lake, timeZone });
  try {
    const { handler, api } = await createDashboard({
      engine,
      host: options.host,
      timeZone,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs }),
      ...(options.log ? { log: options.log } : {}),
    });
    return {
      handler,
      engine,
      invalidate: () => api.cache.clear(),
      setSettingsBlock: (text) => api.setSettingsBlock(text),
      close: () => engine.close(),
    };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
