import { publicMessage } from '../sql/errors.ts';
import { badRequest, DashboardRequestError, notFound } from './errors.ts';
import { dataLatency, type NamedQueries } from './named-queries.ts';
import { ResultCache } from './result-cache.ts';
import { parseWindowParams, type WindowDefaults } from './window-params.ts';

/**
 * The dashboard's JSON API. Routes (GET only):
 *
 *   /api/meta                    engine, data latency, team time zone, query names
 *   /api/queries                 { queries: ['team_totals', ...] }
 *   /api/queries/<name>?days=7   { query, window, columns, rows, cached, bytesScanned? }
 *   /api/queries/<name>?from=2026-01-05&to=2026-01-12&tz=Europe/Berlin
 *
 * Runs only the named queries of the SQL layer; parameters are validated (400 with a message),
 * unknown names get 404. Results are cached per (query, window).
 */
export interface DashboardApiOptions {
  readonly queries: NamedQueries;
  readonly cache?: ResultCache;
  /** Team time zone (default `UTC`). */
  readonly timeZone?: string;
  /** Range when a request names none (default 7 days). */
  readonly defaultDays?: number;
  /** Longest range one request may ask for (default 366 days). */
  readonly maxDays?: number;
  readonly now?: () => Date;
  /** The data latency sentence for the page (default: `dataLatency(engine)`). */
  readonly dataLatency?: string;
  /** Where query failures are reported (default: nowhere). */
  readonly log?: (line: string) => void;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const QUERY_PATH = /^\/api\/queries\/([^/]*)$/;
const QUERY_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export class DashboardApi {
  readonly cache: ResultCache;
  private readonly queries: NamedQueries;
  private readonly defaults: WindowDefaults;
  private readonly log: (line: string) => void;
  private readonly latency: string;

  constructor(options: DashboardApiOptions) {
    this.queries = options.queries;
    this.cache = options.cache ?? new ResultCache();
    this.defaults = {
      timeZone: options.timeZone ?? 'UTC',
      days: options.defaultDays ?? 7,
      maxDays: options.maxDays ?? 366,
      now: options.now ?? (() => new Date()),
    };
    this.log = options.log ?? (() => {});
    this.latency = options.dataLatency ?? dataLatency(options.queries.engine);
  }

  /** Answers one API request; `pathname` starts with `/api/`. */
  async handle(pathname: string, params: URLSearchParams): Promise<ApiResponse> {
    try {
      return await this.route(pathname, params);
    } catch (error) {
      if (error instanceof DashboardRequestError)
        return { status: error.status, body: { error: error.message } };
      throw error;
    }
  }

  private async route(pathname: string, params: URLSearchParams): Promise<ApiResponse> {
    if (pathname === '/api/meta') {
      return {
        status: 200,
        body: {
          engine: this.queries.engine,
          dataLatency: this.latency,
          timeZone: this.defaults.timeZone,
          defaultDays: this.defaults.days,
          maxDays: this.defaults.maxDays,
          queries: this.queries.names,
        },
      };
    }
    if (pathname === '/api/queries') return { status: 200, body: { queries: this.queries.names } };
    const m = QUERY_PATH.exec(pathname);
    if (!m) throw notFound(`no API route ${pathname}; see /api/meta`);
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      throw badRequest('the query name is not valid percent-encoding');
    }
    if (!QUERY_NAME.test(name) || !this.queries.names.includes(name)) {
      throw notFound(`unknown query "${name}"; known: ${this.queries.names.join(', ')}`);
    }
    const parsed = parseWindowParams(params, this.defaults);
    const { window } = parsed;
    let outcome: Awaited<ReturnType<ResultCache['get']>>;
    try {
      outcome = await this.cache.get(name, window, () => this.queries.run(name, window));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log(`dashboard: query ${name} failed: ${reason}`);
      // The log keeps the whole reason; the answer, which leaves the machine, names no paths.
      return { status: 500, body: { error: `query "${name}" failed: ${publicMessage(error)}` } };
    }
    const { result, hit } = outcome;
    return {
      status: 200,
      headers: { 'x-cache': hit ? 'hit' : 'miss' },
      body: {
        query: name,
        window: {
          from: window.from.toISOString(),
          to: window.to.toISOString(),
          timeZone: window.timeZone,
          fromDate: parsed.fromDate,
          toDate: parsed.toDate,
          ...(parsed.days === undefined ? {} : { days: parsed.days }),
          partial: parsed.partial,
          label: parsed.label,
          filters: parsed.filters,
        },
        columns: result.columns,
        rows: result.rows,
        cached: hit,
        ...(result.bytesScanned === undefined ? {} : { bytesScanned: result.bytesScanned }),
      },
    };
  }
}
