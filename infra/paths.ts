import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the directory holding `package.json`). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Files and directories the stack reads at synth time. */
export interface ProjectPaths {
  readonly transformEntry: string;
  readonly digestEntry: string;
  readonly alertsEntry: string;
  readonly athenaDdlEntry: string;
  readonly queriesDir: string;
  readonly viewsDir: string;
}

export function projectPaths(root: string = PROJECT_ROOT): ProjectPaths {
  return {
    transformEntry: join(root, 'functions', 'transform', 'handler.ts'),
    digestEntry: join(root, 'functions', 'digest', 'handler.ts'),
    alertsEntry: join(root, 'functions', 'alerts', 'handler.ts'),
    athenaDdlEntry: join(root, 'functions', 'athena-ddl', 'handler.ts'),
    queriesDir: join(root, 'queries'),
    viewsDir: join(root, 'queries', 'views'),
  };
}
