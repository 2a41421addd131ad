import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
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

const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.sql'));

describe('every .sql file parses as Trino (what Athena runs)', () => {
  for (const file of files(QUERIES_DIR)) {
    it(file, () => {
      const text = readFileSync(join(QUERIES_DIR, file), 'utf8');
      const query = parseQueryFile(file.replace(/\.sql$/, ''), text);
      const sql = withoutAtTimeZone(renderQuery(query, 'Europe/Berlin'));
      const ast = parser.astify(sql, { database: 'trino' });
      expect(placeholderPlaces(ast)).toEqual({ inWhere: query.params.length, elsewhere: 0 });
    });
  }
  for (const file of files(VIEWS_DIR)) {
    it(`views/${file}`, () => {
      const ddl = renderView(readFileSync(join(VIEWS_DIR, file), 'utf8'), 'Europe/Berlin');
      expect(ddl).toContain("'Europe/Berlin'");
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
