import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { sendWithOtelSdk } from '../../functions/ingest/otel-client.ts';
import { type IngestServer, startIngestServer } from '../../functions/ingest/server.ts';
import { listSegments } from '../../functions/lake/flush-segment.ts';
import { LakeLockedError, readLock } from '../../functions/lake/lake-lock.ts';
import { lockPath } from '../../functions/lake/lake-writer.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { isTimeZone } from '../../functions/sql/zoned-time.ts';
import { CliError, type Command, type CommandIO, parseFlags, UsageError } from '../cli-kit.ts';
import { demoTotals } from '../demo-totals.ts';

const OPTIONS = {
  lake: { type: 'string', default: './lake' },
  seed: { type: 'string', default: '42' },
  team: { type: 'string', default: '15' },
  days: { type: 'string', default: '7' },
  token: { type: 'string' },
} as const;

export const demoCommand: Command = {
  name: 'demo',
  summary: "Fill the lake with a seeded week of a team's Claude Code activity and print the totals",
  usage: `Usage: claude-otel-lake demo [--lake DIR] [--seed N] [--team N] [--days N] [--token TOKEN]

Generates a realistic, seeded week of a team's Claude Code events (sessions, prompts, API
requests, tools, skills, subagents, MCP servers, some errors, private attributes included),
sends them through the local endpoint with the OpenTelemetry JS SDK exporter (the client stack
Claude Code uses), flushes, then prints the team totals queried from the lake with DuckDB for
the last --days whole days (ending at midnight in $TEAM_TIME_ZONE, default UTC): the window
\`query\`, the dashboard and the digest show by default.
If \`serve\` is already running on DIR, the events go to it (give its --token if it has one).`,
  async run(args, io) {
    const { values } = parseFlags(args, OPTIONS);
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    const seed = whole(values.seed, '--seed');
    const teamSize = whole(values.team, '--team');
    const days = whole(values.days, '--days');
    if (teamSize < 1 || teamSize > 500) throw new UsageError('--team must be from 1 to 500');
    if (days < 1 || days > 90) throw new UsageError('--days must be from 1 to 90');
    const lake = resolve(io.cwd, values.lake);
    const timeZone = io.env.TEAM_TIME_ZONE || 'UTC';
    if (!isTimeZone(timeZone))
      throw new UsageError(`TEAM_TIME_ZONE must be an IANA time zone; got "${timeZone}"`);
    const endMs = Date.now();
    const activity = generateTeamActivity({ seed, teamSize, days, endMs });
    const events = activity.events;
    io.err(`demo: ${events.length} events from ${teamSize} people over ${days} days -> ${lake}`);

    const running = await readLock(lockPath(lake));
    const token = values.token ?? (io.env.CLAUDE_OTEL_LAKE_TOKEN || undefined);
    let own: IngestServer | null = null;
    let logsUrl: string;
    if (running && typeof running.url === 'string') {
      logsUrl = `${running.url}/v1/logs`;
      io.err(`demo: sending to the running endpoint (pid ${running.pid}) at ${logsUrl}`);
    } else {
      try {
        own = await startIngestServer({ lake, port: 0, token, flushIntervalMs: 3_600_000 });
      } catch (error) {
        if (error instanceof LakeLockedError) {
          throw new CliError(
            `process ${error.holder.pid} is writing ${lake} and did not say where it listens; stop it or use another --lake`,
          );
        }
        throw error;
      }
      logsUrl = own.logsUrl;
    }
    try {
      const started = Date.now();
      const bar = progressBar(io);
      const result = await sendWithOtelSdk(events, {
        url: logsUrl,
        protocol: 'protobuf',
        gzip: true,
        token,
        onProgress: bar,
      });
      const seconds = (Date.now() - started) / 1000;
      io.err(
        `demo: ${result.exported} events acknowledged in ${seconds.toFixed(1)} s (${Math.round(result.exported / seconds)}/s)`,
      );
      if (result.failed > 0) {
        const hint = running ? ' Is --token right, and is that serve still running?' : '';
        throw new CliError(
          `${result.failed} events were not accepted by ${logsUrl} (last error: ${result.lastError ?? 'unknown'}).${hint}`,
        );
      }
      if (own) await own.flush();
      else if (running) await flushRunning(lake, running.pid, io);
    } finally {
      await own?.close();
    }
    const engine = await openDuckDbEngine({ lake, threads: 2, timeZone });
    try {
      const totals = await demoTotals(engine, new Date(endMs), days, timeZone);
      const stored = await engine.run('SELECT count(*) AS n FROM events');
      io.out(totals.text);
      io.out(`\nThe lake holds ${stored.rows[0]?.n} rows in ${lake}/events/dt=YYYY-MM-DD/*.parquet.`);
      io.out(
        `Next: \`claude-otel-lake query\` for the named queries, \`claude-otel-lake dashboard\` for charts.`,
      );
    } finally {
      await engine.close();
    }
    return 0;
  },
};

/** Asks a running `serve` to flush (SIGUSR2) and waits until its spool holds nothing (at most 30 s). */
async function flushRunning(lake: string, pid: number, io: CommandIO): Promise<void> {
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    io.err('demo: could not signal the running endpoint; rows appear after its next flush');
    return;
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const sizes = await Promise.all(
      (await listSegments(lake)).map(async (s) => (await stat(s).catch(() => null))?.size ?? 0),
    );
    if (sizes.every((size) => size === 0)) return;
  }
  io.err('demo: the running endpoint is still flushing; totals may not include every event yet');
}

function progressBar(io: CommandIO): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} events`;
    if (tty) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total) io.err(line);
  };
}

function whole(text: string, flag: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${flag} must be a whole number; got "${text}"`);
  return Number(text);
}
