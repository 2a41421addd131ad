import { isLoopbackHost } from '../../functions/dashboard/auth.ts';
import { createDashboard } from '../../functions/dashboard/create-dashboard.ts';
import { DASHBOARD_DUCKDB } from '../../functions/dashboard/local-dashboard.ts';
import { type RunningServer, startHttpServer } from '../../functions/dashboard/server.ts';
import { DEFAULT_FLUSH_INTERVAL_MS } from '../../functions/lake/lake-writer.ts';
import type { SqlEngine } from '../../functions/sql/engine.ts';
import { CliError, type Command, type CommandIO, parseFlags, UsageError } from '../cli-kit.ts';
import { cliErrorOf, ENGINE_OPTIONS, openEngineFromFlags } from '../engine-options.ts';

export const DEFAULT_DASHBOARD_PORT = 4319;

const OPTIONS = {
  engine: ENGINE_OPTIONS.engine,
  lake: ENGINE_OPTIONS.lake,
  workgroup: ENGINE_OPTIONS.workgroup,
  database: ENGINE_OPTIONS.database,
  region: ENGINE_OPTIONS.region,
  tz: ENGINE_OPTIONS.tz,
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: String(DEFAULT_DASHBOARD_PORT) },
  token: { type: 'string' },
} as const;

export interface RunningDashboard {
  readonly url: string;
  readonly engine: SqlEngine;
  /** Whether the API asks for a token. */
  readonly tokenRequired: boolean;
  close(): Promise<void>;
}

/** Parses the flags, opens the engine and serves the dashboard; the caller closes it. */
export async function startDashboardCommand(
  args: readonly string[],
  io: CommandIO,
): Promise<RunningDashboard | null> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(dashboardCommand.usage);
    return null;
  }
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port <= 65_535))
    throw new UsageError(`--port must be a number from 0 to 65535; got "${values.port}"`);
  const token = values.token ?? io.env.DASHBOARD_TOKEN;
  if (token !== undefined && !/^[\x21-\x7e]{8,}$/.test(token)) {
    throw new UsageError('--token must be at least 8 printable characters without spaces');
  }
  const host = values.host;
  if (!isLoopbackHost(host.replace(/^\[|\]$/g, '')) && token === undefined) {
    throw new UsageError(
      `--host ${host} is reachable from other machines: give --token (or DASHBOARD_TOKEN) so the team's usage is not open`,
    );
  }
  const engine = await openEngineFromFlags(values, io, DASHBOARD_DUCKDB);
  let server: RunningServer;
  try {
    const { handler } = await createDashboard({
      engine,
      host,
      timeZone: values.tz ?? io.env.TEAM_TIME_ZONE ?? 'UTC',
      ...(token === undefined ? {} : { token }),
      // The lake is written by `serve`, at its default flush interval unless it was changed.
      flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS,
      log: io.err,
    });
    server = await startHttpServer([handler], { host, port, log: io.err });
  } catch (error) {
    await engine.close();
    const reason = error instanceof Error ? error.message : String(error);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`port ${port} on ${host} is in use; choose another with --port`, 1, {
        cause: error,
      });
    }
    throw error instanceof CliError
      ? error
      : new CliError(`cannot start the dashboard: ${reason}`, 1, { cause: error });
  }
  return {
    url: server.url,
    engine,
    tokenRequired: token !== undefined,
    close: async () => {
      await server.close();
      await engine.close();
    },
  };
}

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'Serve the team dashboard (a web page over the lake) on 127.0.0.1',
  usage: `Usage: claude-otel-lake dashboard [--engine local|athena] [--lake DIR] [--host 127.0.0.1]
                                  [--port ${DEFAULT_DASHBOARD_PORT}] [--token TOKEN] [--tz ZONE]

Serves the team dashboard: totals, daily cost per user, per-user activity, top skills, subagents,
MCP servers and models, week over week and cost by skill, agent and MCP server, for 7, 14, 31 days
or a custom range. Every number comes from a named query in queries/ through a JSON API at /api/.
\`npm start\` serves the same page beside the OTLP endpoint.

Options:
  --engine local|athena   where the queries run (default local, or $QUERY_ENGINE)
  --lake DIR              local lake directory (default ./lake)
  --workgroup, --database, --region   Athena settings (or $ATHENA_WORKGROUP, $ATHENA_DATABASE, $AWS_REGION)
  --tz ZONE               team time zone the page starts with (default UTC, or $TEAM_TIME_ZONE)
  --host ADDR             address to listen on (default 127.0.0.1: this machine only)
  --port N                port (default ${DEFAULT_DASHBOARD_PORT}; 0 picks a free one)
  --token TOKEN           require this token on the API (or $DASHBOARD_TOKEN); needed for a
                          non-loopback --host. Open the page once as /?token=TOKEN.`,
  async run(args, io) {
    let running: RunningDashboard | null;
    try {
      running = await startDashboardCommand(args, io);
    } catch (error) {
      throw cliErrorOf(error);
    }
    if (!running) return 0;
    io.out(`Dashboard (${running.engine.kind} engine): ${running.url}/`);
    if (running.tokenRequired) io.out('The API needs the token: open the page once as /?token=<your token>.');
    io.out('Press Ctrl+C to stop.');
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await running.close();
    return 0;
  },
};
