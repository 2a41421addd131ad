import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import parquet from 'parquetjs-lite';
import { COLUMNS, type Column } from '../schema/columns.ts';
import type { Row } from '../schema/row.ts';
import { appendRows } from './parquet-columns.ts';
import { lakeParquetSchema } from './parquet-schema.ts';

/** Suffix of files being written; readers glob `*.parquet`, so they never see one. */
export const PARTIAL_SUFFIX = '.partial';

const ROW_GROUP_SIZE = 100_000;
const schemas = new Map<readonly Column[], ReturnType<typeof lakeParquetSchema>>();
const schemaOf = (columns: readonly Column[]) => {
  let schema = schemas.get(columns);
  if (!schema) {
    schema = lakeParquetSchema(columns);
    schemas.set(columns, schema);
  }
  return schema;
};

/**
 * Writes rows to one Parquet file atomically: a temporary name in the same directory, fsync, then
 * rename, then fsync of the directory. A crash leaves either no file or the whole file.
 * Data pages are v1 (the most widely readable: Athena, Hive, Spark, DuckDB).
 */
export async function writeParquetFile(
  path: string,
  rows: Iterable<Row>,
  columns: readonly Column[] = COLUMNS,
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${randomUUID()}${PARTIAL_SUFFIX}`);
  let handle: FileHandle | null = null;
  try {
    handle = await open(temporary, 'wx');
    const sink = new FileSink(handle);
    const writer = await parquet.ParquetWriter.openStream(schemaOf(columns), sink, { useDataPageV2: false });
    writer.setRowGroupSize(ROW_GROUP_SIZE);
    await appendRows(writer, Array.isArray(rows) ? rows : [...rows], columns);
    sink.throwIfFailed();
    await writer.close();
    sink.throwIfFailed();
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(temporary, path);
    await fsyncPath(dir);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * The stream parquetjs-lite writes to. Its writer does not await some of its writes (the header,
 * the index), so a stream error there would be an unhandled rejection that kills the process (a
 * full disk). This sink never reports an error to parquetjs: it keeps the first one, skips the
 * writes after it, and `writeParquetFile` throws it where it is awaited.
 *
 * It gathers parquetjs's many small writes (a page header, a page, a column's metadata...) into
 * writes of about `WRITE_BYTES`: each write is a job on libuv's thread pool, which the endpoint's
 * spool writes and fsyncs share, so thousands of tiny jobs per flush delayed acknowledgements.
 */
const WRITE_BYTES = 1024 * 1024;

class FileSink extends Writable {
  private failure: unknown = null;
  private position = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly handle: FileHandle) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    if (this.failure !== null) {
      done();
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < WRITE_BYTES) done();
    else void this.writePending().then(done);
  }

  override _final(done: () => void): void {
    void this.writePending().then(() => done());
  }

  /** Writes what is gathered; never rejects (a failure is kept for `throwIfFailed`). */
  private async writePending(): Promise<void> {
    const size = this.pendingBytes;
    const bytes = Buffer.concat(this.pending, size);
    this.pending = [];
    this.pendingBytes = 0;
    if (size === 0 || this.failure !== null) return;
    const at = this.position;
    this.position += size;
    try {
      const { bytesWritten } = await this.handle.write(bytes, 0, size, at);
      if (bytesWritten !== size) this.failure = new Error(`short write to a Parquet file (ENOSPC?)`);
    } catch (error) {
      this.failure = error;
    }
  }

  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
