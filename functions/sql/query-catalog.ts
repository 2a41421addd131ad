import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueryResult, QueryWindow, SqlEngine, SqlValue } from './engine.ts';
import { SqlEngineError } from './errors.ts';
import { quoteString } from './sql.ts';
import { WINDOW_PARAM_NAMES, type WindowParamName, windowParams } from './window-params.ts';
import { isTimeZone } from './zoned-time.ts';

/**
 * The named queries: one file `queries/<name>.sql` each, headed by a comment block
 *
 *   -- title: Team totals
 *   -- description: Cost, messages, skills, subagents, MCP calls, active users and sessions.
 *   --   (indented comment lines continue the previous key)
 *   -- params: dt_from, dt_to, from, to
 *
 * `params` names, in order, the window value that fills each `?` of the statement (see
 * window-params.ts); the catalog checks that the count matches. `runNamedQuery` binds them from a
 * `QueryWindow` and runs the statement on any engine.
 */
export interface NamedQuery {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly params: readonly WindowParamName[];
  readonly sql: string;
}

export type QueryCatalog = ReadonlyMap<string, NamedQuery>;

/** The repository's `queries/` directory. */
export const QUERIES_DIR = fileURLToPath(new URL('../../queries/', import.meta.url));
/** The views' directory, `queries/views/`. */
export const VIEWS_DIR = join(QUERIES_DIR, 'views');
/** The placeholder a view file uses for the team time zone (a valid string literal, so it parses). */
export const TIME_ZONE_PLACEHOLDER = "'{{time_zone}}'";

const NAME = /^[a-z][a-z0-9_]*$/;
const HEADER_LINE = /^--\s?([a-z_]+):\s*(.*)$/;

/** Parses one file's header and body; throws SqlEngineError('invalid-query') naming the file. */
export function parseQueryFile(name: string, text: string): NamedQuery {
  const fail = (why: string) => new SqlEngineError(`queries/${name}.sql: ${why}`, 'invalid-query');
  if (!NAME.test(name)) throw fail('the file name must be lower_snake_case');
  const header: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('--')) break;
    const m = HEADER_LINE.exec(trimmed);
    if (m) {
      last = m[1]!;
      header[last] = m[2]!.trim();
    } else if (last !== undefined && trimmed.replace(/^--/, '').trim()) {
      header[last] = `${header[last]} ${trimmed.replace(/^--/, '').trim()}`.trim();
    }
  }
  if (!header.title) throw fail('the header has no "-- title:" line');
  if (!header.description) throw fail('the header has no "-- description:" line');
  const params = (header.params ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of params) {
    if (!(WINDOW_PARAM_NAMES as readonly string[]).includes(p)) {
      throw fail(`unknown parameter "${p}"; known: ${WINDOW_PARAM_NAMES.join(', ')}`);
    }
  }
  const sql = text.trim().replace(/;\s*$/, '');
  const placeholders = countPlaceholders(sql);
  if (placeholders !== params.length) {
    throw fail(`the statement has ${placeholders} "?" but the header names ${params.length} params`);
  }
  return {
    name,
    title: header.title,
    description: header.description,
    params: params as WindowParamName[],
    sql,
  };
}

/** Counts `?` outside string literals, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
  let count = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      i = end === -1 ? sql.length : end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '?') {
      count++;
    }
  }
  return count;
}

const catalogs = new Map<string, Promise<QueryCatalog>>();

/** Loads every `<dir>/*.sql` (not the views); cached per directory. */
export function loadQueryCatalog(dir: string = QUERIES_DIR): Promise<QueryCatalog> {
  let catalog = catalogs.get(dir);
  if (!catalog) {
    catalog = readCatalog(dir);
    catalogs.set(dir, catalog);
    catalog.catch(() => catalogs.delete(dir));
  }
  return catalog;
}

async function readCatalog(dir: string): Promise<QueryCatalog> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const entries = await Promise.all(
    files.map(async (file) => {
      const name = basename(file, '.sql');
      return [name, parseQueryFile(name, await readFile(join(dir, file), 'utf8'))] as const;
    }),
  );
  return new Map(entries);
}

/** The positional values of a query for a window, in its header's order. */
export function bindWindow(query: NamedQuery, window: QueryWindow): SqlValue[] {
  const values = windowParams(window);
  return query.params.map((p) => values[p]);
}

/** Looks a query up by name; an unknown name lists the known ones. */
export async function namedQuery(name: string, dir?: string): Promise<NamedQuery> {
  const catalog = await loadQueryCatalog(dir);
  const query = catalog.get(name);
  if (!query) {
    throw new SqlEngineError(
      `unknown query "${name}"; known queries: ${[...catalog.keys()].join(', ')}`,
      'unknown-query',
    );
  }
  return query;
}

/**
 * Runs `queries/<name>.sql` for a window on any engine.
 *
 *   await runNamedQuery(engine, 'team_totals', { from, to, timeZone: 'UTC' })
 *   -> { columns: [{ name: 'cost_usd', type: 'double' }, ...], rows: [{ cost_usd: 12.3, messages: 40, ... }] }
 */
export async function runNamedQuery(
  engine: SqlEngine,
  name: string,
  window: QueryWindow,
  options: { readonly dir?: string } = {},
): Promise<QueryResult> {
  const query = await namedQuery(name, options.dir);
  return engine.run(renderQuery(query, window.timeZone), bindWindow(query, window));
}

/**
 * A query's statement with the team time zone filled in where it holds `'{{time_zone}}'` (as the
 * views do): the zone of `AT TIME ZONE` must be a string literal in Trino's grammar, so it cannot
 * be a `?`. A query without the placeholder comes back unchanged.
 *
 *   renderQuery({ sql: "... AT TIME ZONE '{{time_zone}}' ..." }, 'Asia/Tokyo') -> "... AT TIME ZONE 'Asia/Tokyo' ..."
 */
export function renderQuery(query: Pick<NamedQuery, 'sql'>, timeZone: string): string {
  if (!query.sql.includes(TIME_ZONE_PLACEHOLDER)) return query.sql;
  return renderView(query.sql, timeZone);
}

/** A view file with the team time zone filled in: DDL ready for DuckDB or Athena. */
export function renderView(text: string, timeZone: string): string {
  if (!isTimeZone(timeZone)) throw new SqlEngineError(`unknown time zone "${timeZone}"`, 'invalid-query');
  return text.trim().replace(/;\s*$/, '').replaceAll(TIME_ZONE_PLACEHOLDER, quoteString(timeZone));
}

/** Every view of `queries/views/` as DDL for the team time zone, in file-name order. */
export async function loadViews(timeZone: string, dir: string = VIEWS_DIR): Promise<string[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  } catch {
    return [];
  }
  return Promise.all(files.map(async (f) => renderView(await readFile(join(dir, f), 'utf8'), timeZone)));
}
