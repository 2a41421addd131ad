export * from './athena-engine.ts';
export * from './duckdb-engine.ts';
export type * from './engine.ts';
export * from './errors.ts';
export * from './query-catalog.ts';
export * from './sql.ts';
export * from './window-params.ts';
export * from './zoned-time.ts';
