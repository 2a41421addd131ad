import type { QueryResult } from '../sql/engine.ts';
import { publicMessage } from '../sql/errors.ts';
import { csvFileName, resultCsv } from './csv.ts';
import { badRequest, DashboardRequestError, notFound } from './errors.ts';
import {
  assertKnownParams,
  type FilterName,
  filtersKey,
  parseFilters,
  type QueryFilters,
  splitFilters,
} from './filters.ts';
import { dataLatency, type NamedQueries } from './named-queries.ts';
import { ResultCache } from './result-cache.ts';
import { type ParsedWindow, parseWindowParams, type WindowDefaults } from './window-params.ts';

/**
 * The dashboard's JSON API. Routes (GET only):
 *
 *   /api/meta                    engine, data latency, team time zone, query names
 *   /api/queries                 { queries: ['team_totals', ...] }
 *   /api/queries/<name>?days=7   { query, window, columns, rows, cached, bytesScanned? }
 *   /api/queries/<name>?from=2026-01-05&to=2026-01-12&tz=Europe/Berlin
 *   /api/queries/<name>?days=7&person=alice&model=claude-sonnet-4-5   (filters, see filters.ts)
 *   /api/queries/<name>.csv?days=7   the same rows as a CSV download (formula-safe)
 *   /api/batch?queries=team_totals,top_skills&days=7   several queries for one page load
 *
 * Runs only the named queries of the SQL layer; parameters are validated (400 with a message,
 * once for a whole batch), unknown names get 404. Results are cached per (query, window, filters).
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
  /** JSON body (ignored when `text` is set). */
  readonly body: unknown;
  /** A non-JSON body (CSV), sent as is with the headers' content type. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One query's answer, alone or in a batch. */
export type QueryAnswer =
  | {
      readonly query: string;
      readonly columns: QueryResult['columns'];
      readonly rows: QueryResult['rows'];
      readonly cached: boolean;
      /** Filters this query applied; `unfiltered` names those it could not. */
      readonly filters: QueryFilters;
      readonly unfiltered: readonly FilterName[];
      /** The window has not ended: its last day is so far, not whole. */
      readonly partial: boolean;
      readonly bytesScanned?: number;
    }
  | { readonly query: string; readonly error: string };

const QUERY_PATH = /^\/api\/queries\/([^/]*?)(\.csv)?$/;
const QUERY_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** Most queries one batch may name (the page needs about 20). */
const MAX_BATCH = 40;

export class DashboardApi {
  readonly cache: ResultCache;
  private readonly queries: NamedQueries;
  private readonly defaults: WindowDefaults;
  private readonly log: (line: string) => void;
  private readonly latency: string;
  private settings: string | undefined;

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

  /**
   * The settings block teammates paste to send events here (serve knows it once it listens),
   * shown on an empty lake. It must not hold the token: the page prints it.
   */
  setSettingsBlock(text: string): void {
    this.settings = text;
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

  private meta(): ApiResponse {
    const names = this.queries.names;
    return {
      status: 200,
      body: {
        engine: this.queries.engine,
        dataLatency: this.latency,
        timeZone: this.defaults.timeZone,
        defaultDays: this.defaults.days,
        maxDays: this.defaults.maxDays,
        queries: names,
        filters: Object.fromEntries(names.map((n) => [n, this.queries.filtersOf(n)])),
        ...(this.settings === undefined ? {} : { settingsBlock: this.settings }),
      },
    };
  }

  private knownName(raw: string): string {
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      throw badRequest('the query name is not valid percent-encoding');
    }
    if (!QUERY_NAME.test(name) || !this.queries.names.includes(name)) {
      throw notFound(`unknown query "${name}"; known: ${this.queries.names.join(', ')}`);
    }
    return name;
  }

  private parse(params: URLSearchParams, extra: readonly string[] = []) {
    assertKnownParams(params, extra);
    const { filters, windowParams } = parseFilters(params);
    for (const key of extra) windowParams.delete(key);
    return { filters, parsed: parseWindowParams(windowParams, this.defaults) };
  }

  private async route(pathname: string, params: URLSearchParams): Promise<ApiResponse> {
    if (pathname === '/api/meta') return this.meta();
    if (pathname === '/api/queries') return { status: 200, body: { queries: this.queries.names } };
    if (pathname === '/api/batch') return this.batch(params);
    const m = QUERY_PATH.exec(pathname);
    if (!m) throw notFound(`no API route ${pathname}; see /api/meta`);
    const name = this.knownName(m[1]!);
    const { filters, parsed } = this.parse(params);
    const answer = await this.answer(name, parsed, filters);
    if ('error' in answer) return { status: 500, body: { error: answer.error } };
    const headers = { 'x-cache': answer.cached ? 'hit' : 'miss' };
    if (m[2]) {
      return {
        status: 200,
        body: null,
        text: resultCsv(answer),
        headers: {
          ...headers,
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${csvFileName(name, parsed, filters)}"`,
        },
      };
    }
    return { status: 200, headers, body: { ...answer, window: windowBody(parsed) } };
  }

  /** `/api/batch?queries=a,b`: one window, one validation, every answer (a failed query has `error`). */
  private async batch(params: URLSearchParams): Promise<ApiResponse> {
    const list = params.getAll('queries');
    if (list.length !== 1) throw badRequest('give "queries" once: names separated by commas');
    const names = [...new Set(list[0]!.split(',').filter(Boolean))];
    if (names.length === 0 || names.length > MAX_BATCH) {
      throw badRequest(`"queries" must name 1 to ${MAX_BATCH} queries`);
    }
    const known = names.map((n) => this.knownName(n));
    const { filters, parsed } = this.parse(params, ['queries']);
    const answers = await Promise.all(known.map((n) => this.answer(n, parsed, filters)));
    return {
      status: 200,
      body: {
        window: windowBody(parsed),
        filters,
        results: Object.fromEntries(answers.map((a) => [a.query, a])),
      },
    };
  }

  private async answer(name: string, parsed: ParsedWindow, filters: QueryFilters): Promise<QueryAnswer> {
    const { applied, unfiltered } = splitFilters(filters, this.queries.filtersOf(name));
    const key = filtersKey(applied);
    try {
      // A window reaching past now (today so far) is compared with an equally complete one before.
      const now = this.defaults.now();
      const window = parsed.window.to > now ? { ...parsed.window, asOf: now } : parsed.window;
      const { result, hit } = await this.cache.get(key ? `${name}?${key}` : name, parsed.window, () =>
        this.queries.run(name, window, applied),
      );
      return {
        query: name,
        columns: result.columns,
        rows: result.rows,
        cached: hit,
        filters: applied,
        unfiltered,
        partial: parsed.window.to > this.defaults.now(),
        ...(result.bytesScanned === undefined ? {} : { bytesScanned: result.bytesScanned }),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log(`dashboard: query ${name} failed: ${reason}`);
      // The log keeps the whole reason; the answer, which leaves the machine, names no paths.
      return { query: name, error: `query "${name}" failed: ${publicMessage(error)}` };
    }
  }
}

function windowBody(parsed: ParsedWindow) {
  const { window } = parsed;
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    timeZone: window.timeZone,
    fromDate: parsed.fromDate,
    toDate: parsed.toDate,
    ...(parsed.days === undefined ? {} : { days: parsed.days }),
    partial: parsed.partial,
    label: parsed.label,
  };
}
