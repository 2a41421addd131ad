import { Writable } from 'node:stream';
import parquet from 'parquetjs-lite';
import { describe, expect, it } from 'vitest';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { appendRows, toParquetRow } from '../../functions/lake/parquet-columns.ts';
import { lakeParquetSchema } from '../../functions/lake/parquet-schema.ts';
import { COLUMNS, type Column } from '../../functions/schema/columns.ts';
import { METRIC_COLUMNS } from '../../functions/schema/metric-columns.ts';
import type { Row } from '../../functions/schema/row.ts';
import { sanitizeEvents } from '../helpers/lake.ts';
import { edgeRows } from '../sql/edge-rows.ts';

/**
 * The column-wise filler must write exactly the file parquetjs-lite writes row by row: same
 * pages, statistics, row groups and footer, so nothing a reader sees changes.
 */
class Collect extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function fileOf(
  rows: readonly Row[],
  columns: readonly Column[],
  columnWise: boolean,
  rowGroupSize: number,
  pageSize?: number,
): Promise<Buffer> {
  const sink = new Collect();
  const writer = await parquet.ParquetWriter.openStream(lakeParquetSchema(columns), sink, {
    useDataPageV2: false,
    pageSize,
  });
  writer.setRowGroupSize(rowGroupSize);
  if (columnWise) await appendRows(writer, rows, columns);
  else for (const row of rows) await writer.appendRow(toParquetRow(row, columns));
  await writer.close();
  return sink.bytes;
}

const demoRows = sanitizeEvents(
  generateTeamActivity({ seed: 3, teamSize: 6, days: 4, endMs: Date.UTC(2026, 0, 10) }).events,
);

describe('appendRows (column-wise) against appendRow (row by row)', () => {
  it('writes the same bytes for demo rows across page and row-group boundaries', async () => {
    // Pages of 700 rows (the writer's default is 8,192) and row groups of 1,600: 3,000 rows
    // cross both kinds of boundary at different offsets, and the last group is partial.
    const rows: Row[] = [];
    while (rows.length < 3_000) rows.push(...demoRows);
    rows.length = 3_000;
    const reference = await fileOf(rows, COLUMNS, false, 1_600, 700);
    const columnWise = await fileOf(rows, COLUMNS, true, 1_600, 700);
    expect(columnWise.length).toBe(reference.length);
    expect(columnWise.equals(reference)).toBe(true);
  });

  it('writes the same bytes with the default page size (8,192 rows)', async () => {
    const rows: Row[] = [];
    while (rows.length < 8_500) rows.push(...demoRows);
    rows.length = 8_500;
    const reference = await fileOf(rows, COLUMNS, false, 100_000);
    expect((await fileOf(rows, COLUMNS, true, 100_000)).equals(reference)).toBe(true);
  });

  it('writes the same bytes for edge rows, single rows and an empty batch', async () => {
    const edge = edgeRows('2026-01-05', 3);
    for (const rows of [edge, edge.slice(0, 1), []]) {
      const reference = await fileOf(rows, COLUMNS, false, 100_000);
      expect((await fileOf(rows, COLUMNS, true, 100_000)).equals(reference)).toBe(true);
    }
  });

  it('writes the same bytes for the metrics table (other columns and types)', async () => {
    const rows: Row[] = Array.from({ length: 300 }, (_, i) => {
      const row: Record<string, unknown> = {};
      const columns: readonly Column[] = METRIC_COLUMNS;
      for (const [c, { name, type }] of columns.entries()) {
        if ((i + c) % 3 === 0) continue;
        if (type === 'timestamp') row[name] = Date.UTC(2026, 0, 5) + i * 1000;
        else if (type === 'double') row[name] = i / 7;
        else if (type === 'bigint') row[name] = i * 1_000_003;
        else if (type === 'boolean') row[name] = i % 2 === 0;
        else row[name] = `v${i % 11}-é`;
      }
      return row as Row;
    });
    const reference = await fileOf(rows, METRIC_COLUMNS, false, 128);
    expect((await fileOf(rows, METRIC_COLUMNS, true, 128)).equals(reference)).toBe(true);
  });

  it('appends to a writer that already holds rows', async () => {
    const rows = demoRows.slice(0, 500);
    const reference = await fileOf(rows, COLUMNS, false, 100_000);
    const sink = new Collect();
    const writer = await parquet.ParquetWriter.openStream(lakeParquetSchema(COLUMNS), sink, {
      useDataPageV2: false,
    });
    writer.setRowGroupSize(100_000);
    for (const row of rows.slice(0, 7)) await writer.appendRow(toParquetRow(row, COLUMNS));
    await appendRows(writer, rows.slice(7), COLUMNS);
    await writer.close();
    expect(sink.bytes.equals(reference)).toBe(true);
  });
});
