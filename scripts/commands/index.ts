import type { Command } from '../cli-kit.ts';

/**
 * One command of `claude-otel-lake`, known by name and summary without loading it: `load` imports
 * the command's module only when it runs, so `--help` or `schema` never load DuckDB, the AWS SDK,
 * Slack or protobufjs. `summary` must equal the loaded command's own (a test checks).
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

const entry = (name: string, summary: string, load: () => Promise<Command>): CommandEntry => ({
  name,
  summary,
  load,
});

/** Every command, in the order `--help` lists them. Adding one is one entry. */
export const COMMANDS: readonly CommandEntry[] = [
  entry('serve', 'Run the local OTLP endpoint that writes Claude Code events into the Parquet lake', () =>
    import('./serve.ts').then((m) => m.serveCommand),
  ),
  entry(
    'demo',
    "Fill the lake with a seeded week of a team's Claude Code activity and print the totals",
    () => import('./demo.ts').then((m) => m.demoCommand),
  ),
  entry('compact', "Merge a day's small Parquet files into one (safe while serve runs)", () =>
    import('./compact.ts').then((m) => m.compactCommand),
  ),
  entry('schema', 'Print the lake schema (the column reference), as Markdown or JSON', () =>
    import('./schema.ts').then((m) => m.schemaCommand),
  ),
  entry('query', 'Run a named query (or read-only SQL) on the local lake or Athena', () =>
    import('./query.ts').then((m) => m.queryCommand),
  ),
  entry('digest', 'Build the weekly usage digest; print it, or post it to Slack with --post', () =>
    import('./digest.ts').then((m) => m.digestCommand),
  ),
  entry('dashboard', 'Serve the team dashboard (a web page over the lake) on 127.0.0.1', () =>
    import('./dashboard.ts').then((m) => m.dashboardCommand),
  ),
  entry('doctor', 'Prove the deployed AWS pipeline end to end, hop by hop', () =>
    import('./doctor.ts').then((m) => m.doctorCommand),
  ),
  entry('alerts', 'Check the monthly budget and cost spikes; post due alerts to the admin channel', () =>
    import('./alerts.ts').then((m) => m.alertsCommand),
  ),
];
