import type { Command } from '../cli-kit.ts';
import { compactCommand } from './compact.ts';
import { dashboardCommand } from './dashboard.ts';
import { demoCommand } from './demo.ts';
import { digestCommand } from './digest.ts';
import { doctorCommand } from './doctor.ts';
import { queryCommand } from './query.ts';
import { schemaCommand } from './schema.ts';
import { serveCommand } from './serve.ts';

/** Every command of `claude-otel-lake`, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  demoCommand,
  compactCommand,
  schemaCommand,
  queryCommand,
  digestCommand,
  dashboardCommand,
  doctorCommand,
];
