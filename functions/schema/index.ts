export * from './allowlist.ts';
export * from './coerce.ts';
export * from './columns.ts';
export * from './dropped-keys.ts';
export * from './email.ts';
export type * from './row.ts';
export * from './tool-parameters.ts';
