import type { Command } from '../cli-kit.ts';
import { dashboardCommand } from './dashboard.ts';
import { digestCommand } from './digest.ts';
import { queryCommand } from './query.ts';
import { schemaCommand } from './schema.ts';

/** Every command of `claude-otel-lake`, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [schemaCommand, queryCommand, digestCommand, dashboardCommand];
