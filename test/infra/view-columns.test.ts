import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { COLUMNS, PARTITION_KEY } from '../../functions/schema/columns.ts';
import { readViews } from '../../infra/constructs/sql-files.ts';
import { projectPaths } from '../../infra/paths.ts';
import { QUICKSIGHT_VIEW, VIEW_COLUMNS } from '../../infra/view-columns.ts';

const DUCK_TYPE: Record<string, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

// QuickSight needs each view's columns and types before the view exists; infra/view-columns.ts
// lists them. Here DuckDB creates the views over an empty `events` table, in file-name order (a
// view may read the ones before it, as on Athena), and says what the listed ones are.
describe('view columns for QuickSight', () => {
  const views = readViews(projectPaths().viewsDir, 'UTC');

  it('has a column list for the QuickSight view, which queries/views/ holds', () => {
    expect(views.map((v) => v.name)).toContain(QUICKSIGHT_VIEW);
    expect(VIEW_COLUMNS[QUICKSIGHT_VIEW]).toBeDefined();
  });

  it.each(views.filter((v) => VIEW_COLUMNS[v.name]).map((v) => [v.name, v] as const))(
    'lists the columns and types of view %s',
    async (_, view) => {
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      try {
        const columns = [...COLUMNS.map((c) => `${c.name} ${DUCK_TYPE[c.type]}`), `${PARTITION_KEY} VARCHAR`];
        await conn.run(`CREATE TABLE events (${columns.join(', ')})`);
        for (const v of views.slice(0, views.indexOf(view) + 1)) await conn.run(v.sql);
        const described = (await conn.runAndReadAll(`DESCRIBE ${view.name}`)).getRowObjects();
        expect(
          described.map((r) => ({ name: String(r.column_name), type: String(r.column_type).toLowerCase() })),
        ).toEqual(VIEW_COLUMNS[view.name]);
      } finally {
        conn.closeSync();
      }
    },
  );
});
