import type { Command } from '../cli-kit.ts';
import { queryCommand } from './query.ts';
import { schemaCommand } from './schema.ts';

/** Every command of `claude-otel-lake`, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [schemaCommand, queryCommand];
