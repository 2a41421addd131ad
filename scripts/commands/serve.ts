import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type LocalDashboard, openLocalDashboard } from '../../functions/dashboard/local-dashboard.ts';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  type IngestServer,
  startIngestServer,
} from '../../functions/ingest/server.ts';
import { advertisedUrl, OPT_OUT_TEXT, settingsBlock } from '../../functions/ingest/settings-block.ts';
import { startAutoCompaction } from '../../functions/lake/auto-compact.ts';
import type { FlushResult } from '../../functions/lake/flush-segment.ts';
import { LakeLockedError } from '../../functions/lake/lake-lock.ts';
import { EmailPolicyError, emailPolicyFrom } from '../../functions/schema/email.ts';
import { CliError, type Command, type CommandIO, parseFlags, UsageError } from '../cli-kit.ts';

const OPTIONS = {
  lake: { type: 'string', default: './lake' },
  host: { type: 'string', default: DEFAULT_HOST },
  port: { type: 'string', default: String(DEFAULT_PORT) },
  token: { type: 'string' },
  'email-mode': { type: 'string' },
  'flush-seconds': { type: 'string', default: '60' },
  'flush-mb': { type: 'string', default: '8' },
  'max-body-mb': { type: 'string', default: '8' },
  'compact-minutes': { type: 'string', default: '60' },
  'alerts-minutes': { type: 'string', default: '60' },
  'debug-keep-rejected': { type: 'boolean', default: false },
} as const;

const TOKEN = /^[A-Za-z0-9._~-]{8,}$/;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** Parses the flags and starts the endpoint; the caller closes it. Null when `--help` was asked. */
export async function startServe(args: readonly string[], io: CommandIO): Promise<IngestServer | null> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.out(serveCommand.usage);
    return null;
  }
  const port = positive(values.port, '--port', true);
  if (port > 65_535) throw new UsageError(`--port must be from 0 to 65535; got "${values.port}"`);
  const token = values.token ?? (io.env.CLAUDE_OTEL_LAKE_TOKEN || undefined);
  if (token !== undefined && !TOKEN.test(token)) {
    throw new UsageError('the token must be at least 8 characters of A-Z a-z 0-9 . _ ~ -');
  }
  if (!LOOPBACK.test(values.host) && token === undefined) {
    throw new UsageError(
      `--host ${values.host} is reachable from other machines: give --token (or CLAUDE_OTEL_LAKE_TOKEN)`,
    );
  }
  let email: ReturnType<typeof emailPolicyFrom>;
  try {
    email = emailPolicyFrom(values['email-mode'] ?? (io.env.EMAIL_MODE || undefined), io.env.EMAIL_HMAC_KEY);
  } catch (error) {
    if (error instanceof EmailPolicyError) throw new UsageError(error.message);
    throw error;
  }
  const lake = resolve(io.cwd, values.lake);
  const existing = await stat(lake).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new CliError(`--lake ${lake} is a file, not a directory`);
  const log = (line: string) => io.err(`[serve] ${line}`);
  const flushIntervalMs = positive(values['flush-seconds'], '--flush-seconds') * 1000;
  const compactMinutes = positive(values['compact-minutes'], '--compact-minutes', true);
  const dashboard: LocalDashboard = await openLocalDashboard({
    lake,
    host: values.host,
    token,
    timeZone: io.env.TEAM_TIME_ZONE || 'UTC',
    flushIntervalMs,
    log,
  });
  let server: IngestServer;
  try {
    server = await startIngestServer({
      lake,
      host: values.host,
      port,
      token,
      email,
      flushIntervalMs,
      flushBytes: positive(values['flush-mb'], '--flush-mb') * 1024 * 1024,
      maxBodyBytes: positive(values['max-body-mb'], '--max-body-mb') * 1024 * 1024,
      keepRejectedBodies: values['debug-keep-rejected'],
      log,
      fallback: dashboard.handler,
      onFlush: (r: FlushResult) => {
        if (r.rows > 0) {
          log(`flushed ${r.rows} rows to ${r.files.length} Parquet file(s)`);
          dashboard.invalidate();
        }
      },
    });
  } catch (error) {
    await dashboard.close();
    if (error instanceof LakeLockedError) {
      throw new CliError(
        `another serve (pid ${error.holder.pid}) is writing ${lake}; stop it or use another --lake`,
      );
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`port ${port} on ${values.host} is in use; pick another with --port`);
    }
    throw error;
  }
  const recovered = server.writer.recovered.reduce((n, r) => n + r.rows, 0);
  if (recovered > 0) log(`recovered ${recovered} spooled rows from a previous run into the lake`);
  if (values['debug-keep-rejected'])
    log('keeping rejected request bodies under errors/bodies/: they may hold secrets');
  const compaction =
    compactMinutes > 0
      ? startAutoCompaction({ lake, intervalMs: compactMinutes * 60_000, firstDelayMs: 60_000, log })
      : null;
  let alerts: { stop(): Promise<void> } | null;
  try {
    alerts = await startServeAlerts(
      lake,
      positive(values['alerts-minutes'], '--alerts-minutes', true),
      io,
      log,
    );
  } catch (error) {
    await compaction?.stop();
    await server.close().finally(() => dashboard.close());
    throw error;
  }
  const closeServer = server.close;
  server = {
    ...server,
    close: async () => {
      await alerts?.stop();
      await compaction?.stop();
      await closeServer().finally(() => dashboard.close());
    },
  };
  // Bound to every interface: print the name teammates reach this machine by, not 0.0.0.0.
  const publicUrl = advertisedUrl(server.url);
  const publicLogsUrl = advertisedUrl(server.logsUrl);
  io.out(`claude-otel-lake is receiving Claude Code events at ${publicLogsUrl}
Team dashboard: ${publicUrl}/${token === undefined ? '' : '?token=<your token>'}
Lake: ${lake}   (Parquet under events/dt=YYYY-MM-DD/, rejected-record counts under errors/)

Add this to ~/.claude/settings.json (merge "env" if you already have one), then restart Claude Code:
${settingsBlock(publicLogsUrl, token)}

${OPT_OUT_TEXT}

Press Ctrl-C to stop; spooled rows are flushed to Parquet before exit.`);
  return server;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the local OTLP endpoint that writes Claude Code events into the Parquet lake',
  usage: `Usage: claude-otel-lake serve [--lake DIR] [--host HOST] [--port PORT] [--token TOKEN]
                             [--email-mode keep|local-part|hmac] [--flush-seconds N] [--flush-mb N]
                             [--max-body-mb N] [--compact-minutes N] [--alerts-minutes N]
                             [--debug-keep-rejected]

Receives OTLP/HTTP logs (protobuf or JSON, gzip or not) at http://HOST:PORT/v1/logs, keeps only
the allowlisted attributes, and writes them to DIR/events/dt=YYYY-MM-DD/*.parquet.

  --lake DIR            lake directory (default ./lake)
  --host HOST           interface to listen on (default 127.0.0.1; others need a token)
  --port PORT           port (default 4318, 0 picks a free one)
  --token TOKEN         require "Authorization: Bearer TOKEN" (or set CLAUDE_OTEL_LAKE_TOKEN)
  --email-mode MODE     keep | local-part | hmac (or EMAIL_MODE; hmac needs EMAIL_HMAC_KEY)
  --flush-seconds N     move spooled rows to Parquet at least every N seconds (default 60)
  --flush-mb N          ... or once N MiB are spooled (default 8)
  --max-body-mb N       largest request body, before and after gunzip (default 8; larger: 413)
  --compact-minutes N   merge each past day's files into one every N minutes (default 60; 0: off)
  --alerts-minutes N    check the budget and cost spikes every N minutes (default 60; 0: off);
                        on when ALERTS_CHANNEL and SLACK_BOT_TOKEN are set (README "Budget and
                        spike alerts"; \`claude-otel-lake alerts --dry-run\` shows what is due)
  --debug-keep-rejected keep bodies of rejected requests under DIR/errors/bodies/ (may hold secrets)

A request is answered 200 only once its rows are fsync'd to DIR/spool/; after a crash the next
start moves every acknowledged row into the lake exactly once. SIGINT/SIGTERM flush before exit;
SIGUSR2 flushes now.`,
  async run(args, io) {
    // Signal handlers go in first: a SIGTERM that arrives while the lake is being opened must
    // still end in a clean flush, not in the default kill.
    let server: IngestServer | null = null;
    let stopping: string | null = null;
    let stopped: () => void = () => undefined;
    const finished = new Promise<void>((done) => {
      stopped = done;
    });
    const stop = (signal: string) => {
      if (stopping) {
        // A second Ctrl-C: leave now. Nothing is lost, the spool is recovered on the next start.
        io.err(`[serve] ${signal} again: exiting; unflushed rows stay in the spool until the next start`);
        process.exit(130);
      }
      stopping = signal;
      if (server) close(server, signal);
    };
    const close = (running: IngestServer, signal: string) => {
      io.err(`[serve] ${signal}: flushing the spool to Parquet...`);
      running.close().then(stopped, (error) => {
        io.err(`[serve] close failed: ${error instanceof Error ? error.message : String(error)}`);
        stopped();
      });
    };
    const flushNow = () => {
      server
        ?.flush()
        .catch((error) =>
          io.err(`[serve] flush failed: ${error instanceof Error ? error.message : String(error)}`),
        );
    };
    const onSigint = () => stop('SIGINT');
    const onSigterm = () => stop('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    process.on('SIGUSR2', flushNow);
    try {
      server = await startServe(args, io);
      if (!server) return 0;
      if (stopping) close(server, stopping);
      await finished;
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      process.off('SIGUSR2', flushNow);
    }
    const stats = server.handler.stats;
    io.err(`[serve] stopped: ${stats.rows} rows stored, ${stats.rejectedRecords} records rejected`);
    const dropped = Object.entries(server.dropped.toJSON()).slice(0, 10);
    if (dropped.length > 0) {
      io.err(
        `[serve] attribute keys dropped by the allowlist (top ${dropped.length}): ${dropped.map(([k, n]) => `${k}=${n}`).join(', ')}`,
      );
    }
    return 0;
  },
};

/** The scheduled alert check, when configured; a bad setting fails the start with its message. */
async function startServeAlerts(
  lake: string,
  minutes: number,
  io: CommandIO,
  log: (line: string) => void,
): Promise<{ stop(): Promise<void> } | null> {
  if (minutes === 0 || !io.env.ALERTS_CHANNEL?.trim()) return null;
  const { alertsConfig, alertsChannel, alertsOn, AlertsConfigError } = await import(
    '../../functions/alerts/alerts-config.ts'
  );
  try {
    const config = alertsConfig(io.env);
    const token = io.env.SLACK_BOT_TOKEN?.trim();
    if (!alertsOn(config)) return null;
    if (!token)
      throw new UsageError('ALERTS_CHANNEL is set but SLACK_BOT_TOKEN is not: alerts need the bot token');
    const channel = alertsChannel(config, io.env.SLACK_CHANNEL);
    const { startAlertSchedule } = await import('../../functions/alerts/alert-schedule.ts');
    log(`alerts: checking the budget and cost spikes every ${minutes} min, posting to ${channel}`);
    return startAlertSchedule({
      lake,
      config,
      channel,
      token,
      slackApiUrl: io.env.SLACK_API_URL,
      intervalMs: minutes * 60_000,
      firstDelayMs: Math.min(60_000, minutes * 60_000),
      log,
    });
  } catch (error) {
    if (error instanceof AlertsConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function positive(text: string, flag: string, allowZero = false): number {
  const n = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0 || (allowZero && n === 0)))
    throw new UsageError(`${flag} must be a whole number; got "${text}"`);
  return n;
}
