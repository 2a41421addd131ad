import type { ParquetWriter } from 'parquetjs-lite';
import parquetTypes from 'parquetjs-lite/lib/types.js';
import type { Column } from '../schema/columns.ts';
import type { Row } from '../schema/row.ts';

/**
 * Appends rows to a parquetjs-lite writer column by column, producing the same bytes as one
 * `appendRow` per row (test/lake/parquet-columns.test.ts compares the files byte for byte).
 *
 * Why: `appendRow` shreds each row on its own, allocating three arrays, a Set and an object for
 * every one of the ~70 columns of every row, then merging them into the writer's buffer; that
 * was ~200 µs of CPU per row, most of a spool flush, and it competed with the endpoint for the
 * machine's cores. Here each row's values go straight into the writer's column buffers, exactly
 * as `shredRecord` leaves them for a flat schema of optional columns (parquetjs-lite 0.8.7,
 * pinned). The last row before each page or row-group boundary still goes through `appendRow`,
 * so the library itself decides when to encode a page or write a row group.
 */
interface ColumnBuffer {
  dlevels: number[];
  rlevels: number[];
  values: unknown[];
  distinct_values: Set<unknown>;
  count: number;
}

interface RowBuffer {
  rowCount: number;
  pageRowCount: number;
  columnData: Record<string, ColumnBuffer>;
  pages: Record<string, unknown[]>;
}

interface SchemaField {
  readonly name: string;
  readonly path: readonly string[];
  readonly primitiveType: string;
  readonly originalType?: string;
  readonly dLevelMax: number;
  readonly rLevelMax: number;
  readonly repetitionType: string;
  readonly isNested?: boolean;
}

/** The writer's internals this file relies on (parquetjs-lite 0.8.7). */
interface WriterInternals {
  rowBuffer: Partial<RowBuffer>;
  rowGroupSize: number;
  readonly schema: { readonly fieldList: readonly SchemaField[] };
  readonly envelopeWriter: { readonly pageSize: number };
}

/** A column of the lake's schema as the writer fills it. */
interface Plan {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly timestamp: boolean;
  readonly present: number;
}

function planOf(fields: readonly SchemaField[], columns: readonly Column[]): Plan[] {
  const types = new Map(columns.map((c) => [c.name, c.type]));
  return fields.map((field) => {
    if (field.isNested || field.repetitionType !== 'OPTIONAL' || field.rLevelMax !== 0)
      throw new Error(`parquet-columns: ${field.name} is not a flat optional column`);
    return {
      key: String(field.path),
      name: field.name,
      type: field.originalType ?? field.primitiveType,
      // toParquetRow's rule: a timestamp is handed to parquetjs-lite as a Date.
      timestamp: types.get(field.name) === 'timestamp',
      present: field.dLevelMax,
    };
  });
}

function emptyBuffer(plan: readonly Plan[]): RowBuffer {
  const buffer: RowBuffer = { rowCount: 0, pageRowCount: 0, columnData: {}, pages: {} };
  for (const column of plan) {
    buffer.columnData[column.key] = {
      dlevels: [],
      rlevels: [],
      values: [],
      distinct_values: new Set(),
      count: 0,
    };
    buffer.pages[column.key] = [];
  }
  return buffer;
}

/** What `shredRecord` adds for one row, written into the buffer directly. */
function fill(buffer: RowBuffer, plan: readonly Plan[], row: Row): void {
  const record = row as Record<string, unknown>;
  for (const column of plan) {
    const data = buffer.columnData[column.key]!;
    const raw = record[column.name];
    data.rlevels.push(0);
    data.count += 1;
    if (raw === undefined || raw === null) {
      data.dlevels.push(0);
      continue;
    }
    const value = column.timestamp ? new Date(raw as number) : raw;
    data.values.push(parquetTypes.toPrimitive(column.type, value));
    data.dlevels.push(column.present);
    data.distinct_values.add(value);
  }
  buffer.rowCount += 1;
  buffer.pageRowCount += 1;
}

/** The row as `appendRow` takes it: timestamps as Dates (a string would silently become 1970). */
export function toParquetRow(row: Row, columns: readonly Column[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const value = (row as Record<string, unknown>)[column.name];
    if (value === undefined || value === null) continue;
    out[column.name] = column.type === 'timestamp' ? new Date(value as number) : value;
  }
  return out;
}

export async function appendRows(
  writer: ParquetWriter,
  rows: readonly Row[],
  columns: readonly Column[],
): Promise<void> {
  const internals = writer as unknown as WriterInternals;
  const plan = planOf(internals.schema.fieldList, columns);
  const pageSize = internals.envelopeWriter.pageSize;
  let index = 0;
  while (index < rows.length) {
    if (internals.rowBuffer.rowCount === undefined) internals.rowBuffer = emptyBuffer(plan);
    const buffer = internals.rowBuffer as RowBuffer;
    // Rows that cross no boundary are filled in; the one that reaches a boundary is appended.
    const room = Math.min(pageSize - buffer.pageRowCount, internals.rowGroupSize - buffer.rowCount) - 1;
    const end = Math.min(rows.length, index + Math.max(0, room));
    for (; index < end; index++) fill(buffer, plan, rows[index]!);
    if (index < rows.length) await writer.appendRow(toParquetRow(rows[index++]!, columns));
  }
}
