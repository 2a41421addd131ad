// Minimal typings for the parts of parquetjs-lite this project uses.
declare module 'parquetjs-lite' {
  import type { Writable } from 'node:stream';

  export interface ParquetFieldDefinition {
    type: string;
    optional?: boolean;
    compression?: 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP';
    encoding?: string;
  }

  export class ParquetSchema {
    constructor(fields: Record<string, ParquetFieldDefinition>);
  }

  export interface ParquetWriterOptions {
    useDataPageV2?: boolean;
    rowGroupSize?: number;
    pageSize?: number;
  }

  export class ParquetWriter {
    static openStream(
      schema: ParquetSchema,
      stream: Writable,
      opts?: ParquetWriterOptions,
    ): Promise<ParquetWriter>;
    appendRow(row: Record<string, unknown>): Promise<void>;
    close(): Promise<void>;
    setRowGroupSize(count: number): void;
  }

  const parquet: { ParquetSchema: typeof ParquetSchema; ParquetWriter: typeof ParquetWriter };
  export default parquet;
}

// The library's own value conversion (used by functions/lake/parquet-columns.ts).
declare module 'parquetjs-lite/lib/types.js' {
  const types: { toPrimitive(type: string, value: unknown): unknown };
  export default types;
}
