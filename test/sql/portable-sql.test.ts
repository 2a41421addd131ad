import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { COLUMNS, type Column } from '../../functions/schema/columns.ts';
import {
  parseQueryFile,
  QUERIES_DIR,
  renderQuery,
  renderView,
  VIEWS_DIR,
} from '../../functions/sql/query-catalog.ts';

const { Parser } = nodeSqlParser;
const parser = new Parser();

/**
 * node-sql-parser's trino grammar lacks `AT TIME ZONE` (NOTES section 5), which Trino and DuckDB
 * both have. Only that operator is removed before parsing, and only with a zone that is a string
 * literal: Trino's grammar takes nothing else there (`timeZoneSpecifier: TIME ZONE string`), so
 * `AT TIME ZONE ?` stays in and fails the parse, as it would fail on Athena.
 */
const withoutAtTimeZone = (sql: string) => sql.replace(/\s+AT\s+TIME\s+ZONE\s+'[^']*'/gi, '');

/**
 * Where each `?` of a parsed statement sits: Athena documents that execution parameters "can be
 * placed only in the WHERE clause" (`SELECT ? FROM table` is not supported), so every one must
 * be under some `where` of the AST (a CTE's or a subquery's WHERE counts).
 */
function placeholderPlaces(ast: unknown): { inWhere: number; elsewhere: number } {
  const places = { inWhere: 0, elsewhere: 0 };
  const walk = (node: unknown, inWhere: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, inWhere);
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'origin' && record.value === '?') {
        places[inWhere ? 'inWhere' : 'elsewhere']++;
        return;
      }
      for (const [key, value] of Object.entries(record)) walk(value, inWhere || key === 'where');
    }
  };
  walk(ast, false);
  return places;
}

/**
 * Integer division differs: Trino truncates `7 / 2` to 3, DuckDB gives 3.5. So the dividend of
 * every `/` must be DOUBLE on both engines: it contains a `CAST(... AS DOUBLE)`, a DOUBLE column
 * of the schema (cost_usd), or a column the statement itself defines as `CAST(... AS DOUBLE)`.
 * Returns the dividends that are none of these, as text-ish JSON.
 */
function integerDivisions(ast: unknown): string[] {
  const doubles = new Set(
    (COLUMNS as readonly Column[]).filter((c) => c.type === 'double').map((c) => c.name),
  );
  const isDoubleCast = (n: Record<string, unknown>) =>
    n.type === 'cast' &&
    Array.isArray(n.target) &&
    (n.target as { dataType?: string }[]).some((t) => t.dataType?.toUpperCase() === 'DOUBLE');
  const nodes: Record<string, unknown>[] = [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) collect(item);
    else if (node !== null && typeof node === 'object') {
      nodes.push(node as Record<string, unknown>);
      for (const value of Object.values(node)) collect(value);
    }
  };
  collect(ast);
  for (const n of nodes) {
    const expr = n.expr as Record<string, unknown> | undefined;
    if (n.type === 'expr' && typeof n.as === 'string' && expr && isDoubleCast(expr)) doubles.add(n.as);
  }
  const columnName = (n: Record<string, unknown>) =>
    ((n.column as { expr?: { value?: unknown } } | undefined)?.expr?.value as string | undefined) ??
    (typeof n.column === 'string' ? n.column : undefined);
  const isDouble = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(isDouble);
    if (node === null || typeof node !== 'object') return false;
    const n = node as Record<string, unknown>;
    if (isDoubleCast(n)) return true;
    if (n.type === 'column_ref' && doubles.has(columnName(n) ?? '')) return true;
    return Object.values(n).some(isDouble);
  };
  return nodes
    .filter((n) => n.type === 'binary_expr' && n.operator === '/' && !isDouble(n.left))
    .map((n) => JSON.stringify(n.left).slice(0, 200));
}

const functionName = (n: Record<string, unknown>): string =>
  String((n.name as { name?: { value?: unknown }[] } | undefined)?.name?.[0]?.value ?? '').toLowerCase();

/**
 * `count_if` over zero rows is 0 in Trino and NULL in DuckDB, so in a SELECT without GROUP BY
 * (one row even when the window is empty) every `count_if` must sit inside a `coalesce`.
 * Returns how many do not.
 */
function bareCountIfs(ast: unknown): number {
  let bare = 0;
  const inColumns = (node: unknown, coalesced: boolean): void => {
    if (Array.isArray(node)) for (const item of node) inColumns(item, coalesced);
    else if (node !== null && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'select') return; // a subquery: checked on its own
      const name = n.type === 'function' || n.type === 'aggr_func' ? functionName(n) : '';
      if (name === 'count_if' && !coalesced) bare++;
      for (const value of Object.values(n)) inColumns(value, coalesced || name === 'coalesce');
    }
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node !== null && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'select' && !n.groupby) inColumns(n.columns, false);
      for (const value of Object.values(n)) visit(value);
    }
  };
  visit(ast);
  return bare;
}

const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.sql'));

describe('every .sql file parses as Trino (what Athena runs)', () => {
  for (const file of files(QUERIES_DIR)) {
    it(file, () => {
      const text = readFileSync(join(QUERIES_DIR, file), 'utf8');
      const query = parseQueryFile(file.replace(/\.sql$/, ''), text);
      const sql = withoutAtTimeZone(renderQuery(query, 'Europe/Berlin'));
      const ast = parser.astify(sql, { database: 'trino' });
      expect(placeholderPlaces(ast)).toEqual({ inWhere: query.params.length, elsewhere: 0 });
      expect(integerDivisions(ast), 'a / whose dividend is not DOUBLE').toEqual([]);
      expect(bareCountIfs(ast), 'count_if without GROUP BY and without coalesce').toBe(0);
    });
  }
  for (const file of files(VIEWS_DIR)) {
    it(`views/${file}`, () => {
      const text = readFileSync(join(VIEWS_DIR, file), 'utf8');
      const ddl = renderView(text, 'Europe/Berlin');
      if (text.includes("'{{time_zone}}'")) expect(ddl).toContain("'Europe/Berlin'");
      expect(ddl).not.toContain('{{');
      expect(() => parser.astify(withoutAtTimeZone(ddl), { database: 'trino' })).not.toThrow();
    });
  }

  it('catches a `?` outside WHERE and a parameter as the zone of AT TIME ZONE', () => {
    const inSelect = parser.astify(
      'SELECT CASE WHEN t >= CAST(? AS TIMESTAMP) THEN 1 END FROM e WHERE dt = ?',
      {
        database: 'trino',
      },
    );
    expect(placeholderPlaces(inSelect)).toEqual({ inWhere: 1, elsewhere: 1 });
    const zone = 'SELECT CAST(CAST(t AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE ? AS DATE) FROM e';
    expect(() => parser.astify(withoutAtTimeZone(zone), { database: 'trino' })).toThrow();
  });

  it('catches a division of integers (Trino truncates it, DuckDB does not)', () => {
    const ast = (sql: string) => parser.astify(sql, { database: 'trino' });
    expect(integerDivisions(ast('SELECT count_if(ok) / count(*) AS r FROM e'))).toHaveLength(1);
    expect(integerDivisions(ast('SELECT 100 * sum(a) / nullif(sum(b), 0) AS r FROM e'))).toHaveLength(1);
    expect(integerDivisions(ast('SELECT CAST(count_if(ok) AS DOUBLE) / count(*) AS r FROM e'))).toEqual([]);
    expect(integerDivisions(ast('SELECT x.cost_usd / nullif(x.n, 0) AS r FROM e x'))).toEqual([]);
  });

  it('catches count_if over a possibly empty window without coalesce (0 in Trino, NULL in DuckDB)', () => {
    const ast = (sql: string) => parser.astify(sql, { database: 'trino' });
    expect(bareCountIfs(ast('SELECT count_if(a = 1) AS n FROM e'))).toBe(1);
    expect(bareCountIfs(ast('SELECT coalesce(count_if(a = 1), 0) AS n FROM e'))).toBe(0);
    expect(bareCountIfs(ast('SELECT k, count_if(a = 1) AS n FROM e GROUP BY k'))).toBe(0);
    expect(bareCountIfs(ast('WITH w AS (SELECT count_if(a) AS n FROM e) SELECT n FROM w'))).toBe(1);
  });

  it('catches DuckDB-only syntax the queries must not use', () => {
    const duckOnly = [
      'SELECT * EXCLUDE (dt) FROM events',
      'SELECT x FROM events GROUP BY ALL',
      'FROM events SELECT x',
      'SELECT x FROM events QUALIFY row_number() OVER () = 1',
      'SELECT [1, 2] AS l FROM events',
    ];
    for (const sql of duckOnly) {
      expect(() => parser.astify(sql, { database: 'trino' }), sql).toThrow();
    }
  });

  // The parser accepts these although Trino does not (or means something else): checked by text.
  it('uses none of the functions NOTES lists as different between the engines, nor `::` casts', () => {
    const different =
      /\b(date_add|date_format|approx_percentile|approx_quantile|json_extract_scalar|regexp_extract|from_unixtime|format|strftime|epoch_ms)\s*\(/i;
    for (const dir of [QUERIES_DIR, VIEWS_DIR]) {
      for (const file of files(dir)) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect(text, file).not.toMatch(different);
        expect(text, file).not.toContain('::');
      }
    }
  });
});
