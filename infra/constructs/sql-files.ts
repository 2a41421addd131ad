import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type NamedQuery,
  parseQueryFile,
  renderQuery,
  renderView,
} from '../../functions/sql/query-catalog.ts';

/**
 * The SQL files the stack deploys, read at synth time with the SQL layer's own parser and view
 * renderer (functions/sql/query-catalog.ts), so Athena gets exactly what the CLI runs.
 */

/** Athena limits a named query's description to 1024 characters. */
const MAX_DESCRIPTION = 1024;

/** The `.sql` file names directly in `dir`, sorted; none when the directory does not exist. */
function sqlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => e.name)
    .sort();
}

/**
 * Every `queries/*.sql`, parsed and checked (title, description, `?` count = params), with the
 * team time zone written in where a query names it (Athena takes no parameter there).
 */
export function readNamedQueries(dir: string, timeZone: string): NamedQuery[] {
  return sqlFiles(dir).map((file) => {
    const query = parseQueryFile(basename(file, '.sql'), readFileSync(join(dir, file), 'utf8'));
    return { ...query, sql: renderQuery(query, timeZone) };
  });
}

/**
 * A named query's description: `Team totals. Team-wide totals ... Parameters: dt_from, dt_to, from, to.`
 */
export function namedQueryDescription(query: NamedQuery): string {
  const params = query.params.length > 0 ? ` Parameters, in order: ${query.params.join(', ')}.` : '';
  return `${query.title}. ${query.description}${params}`.slice(0, MAX_DESCRIPTION);
}

export interface ViewDdl {
  /** File name without `.sql`. */
  readonly file: string;
  /** The view's name, from its `CREATE OR REPLACE VIEW` statement. */
  readonly name: string;
  /** The DDL with the team time zone filled in, one statement. */
  readonly sql: string;
}

export class ViewFileError extends Error {
  override readonly name = 'ViewFileError';
}

/** Every `queries/views/*.sql` rendered for the team time zone, in file-name order. */
export function readViews(dir: string, timeZone: string): ViewDdl[] {
  return sqlFiles(dir).map((file) => {
    const sql = renderView(readFileSync(join(dir, file), 'utf8'), timeZone);
    return { file: basename(file, '.sql'), name: viewNameOf(sql, join(dir, file)), sql };
  });
}

/**
 * The view name of a `CREATE OR REPLACE VIEW` statement:
 * `-- title: …\nCREATE OR REPLACE VIEW claude_code_usage AS SELECT …` -> `claude_code_usage`.
 */
export function viewNameOf(sql: string, path = 'view'): string {
  const body = sql.replace(/--[^\n]*/g, ' ');
  const m = /create\s+or\s+replace\s+view\s+(?:"?\w+"?\s*\.\s*)*"?([A-Za-z_]\w*)"?\s+as\b/i.exec(body);
  if (!m?.[1]) throw new ViewFileError(`${path}: a view file must hold one CREATE OR REPLACE VIEW statement`);
  return m[1].toLowerCase();
}
