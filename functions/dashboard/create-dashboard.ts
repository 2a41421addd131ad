import type { SqlEngine } from '../sql/engine.ts';
import { DashboardApi } from './api.ts';
import { isLoopbackHost } from './auth.ts';
import { createDashboardHandler, type RouteHandler } from './http-handler.ts';
import { catalogQueries, dataLatency, type NamedQueries } from './named-queries.ts';
import { ResultCache } from './result-cache.ts';

/**
 * The whole dashboard for one engine, as a route handler: what the `dashboard` command serves on
 * its own port and what `serve` mounts beside the OTLP endpoint.
 *
 *   const { handler } = await createDashboard({ engine, host: '127.0.0.1', timeZone: 'Europe/Berlin' });
 *   // mount `handler` on any node:http server; it answers /, the page's files and /api/*
 */
export interface CreateDashboardOptions {
  readonly engine: SqlEngine;
  /** Address the server listens on; a loopback one turns on the Host-header guard. */
  readonly host: string;
  /** Team time zone, the page's default (default UTC). */
  readonly timeZone?: string;
  /** Bearer token the API requires; none means open. */
  readonly token?: string;
  /** Flush interval of the local writer, for the page's data latency sentence. */
  readonly flushIntervalMs?: number;
  /** The queries to serve (default: the catalog of `queries/` on `engine`). */
  readonly queries?: NamedQueries;
  /** Clock for "the last N days" (tests). */
  readonly now?: () => Date;
  readonly log?: (line: string) => void;
}

export interface Dashboard {
  readonly handler: RouteHandler;
  readonly api: DashboardApi;
}

/** Open windows are re-run after 30 s locally, 5 min on Athena (whose data lags 15 min anyway). */
const OPEN_TTL_MS = { local: 30_000, athena: 300_000 } as const;

export async function createDashboard(options: CreateDashboardOptions): Promise<Dashboard> {
  const queries = options.queries ?? (await catalogQueries(options.engine));
  const latencyOptions =
    options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs };
  const api = new DashboardApi({
    queries,
    cache: new ResultCache({ openTtlMs: OPEN_TTL_MS[queries.engine] }),
    timeZone: options.timeZone ?? 'UTC',
    dataLatency: dataLatency(queries.engine, latencyOptions),
    ...(options.log ? { log: options.log } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const handler = createDashboardHandler({
    api,
    ...(options.token === undefined ? {} : { token: options.token }),
    loopbackOnly: isLoopbackHost(options.host.replace(/^\[|\]$/g, '')),
    ...(options.log ? { log: options.log } : {}),
  });
  return { handler, api };
}
