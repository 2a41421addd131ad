import { hostname } from 'node:os';

/**
 * What a developer pastes into `~/.claude/settings.json` to point Claude Code at the endpoint:
 *
 *   { "env": { "CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_LOGS_EXPORTER": "otlp",
 *     "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
 *     "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://127.0.0.1:4318/v1/logs", "OTEL_LOG_TOOL_DETAILS": "1",
 *     "OTEL_METRICS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://127.0.0.1:4318/v1/metrics",
 *     "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "delta" } }
 *
 * Metrics (lines of code, commits, PRs, active time) go to the same endpoint's /v1/metrics;
 * delta temporality is asked for (cumulative works too, see functions/metrics/increments.ts).
 *
 * With a token, `OTEL_EXPORTER_OTLP_HEADERS` carries `Authorization=Bearer <token>`: this block is
 * the one place the token is printed, because Claude Code needs it there.
 */
export function claudeCodeEnv(logsUrl: string, token?: string): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: logsUrl,
    ...(token !== undefined ? { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer ${token}` } : {}),
    OTEL_LOG_TOOL_DETAILS: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: logsUrl.replace(/\/v1\/logs$/, '/v1/metrics'),
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
  };
}

/**
 * The URL other machines use to reach a server bound to `boundUrl`. A wildcard bind
 * (`0.0.0.0`, `::`) is no address to send to: it becomes this machine's name.
 *
 *   advertisedUrl('http://0.0.0.0:4318', 'build-box')  -> 'http://build-box:4318'
 *   advertisedUrl('http://127.0.0.1:4318')             -> 'http://127.0.0.1:4318'
 */
export function advertisedUrl(boundUrl: string, machineName: string = hostname()): string {
  const url = new URL(boundUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = machineName;
  return `${url.origin}${url.pathname === '/' ? '' : url.pathname}`;
}

/** The settings JSON, pretty-printed, exactly as it goes into the file. */
export function settingsBlock(logsUrl: string, token?: string): string {
  return JSON.stringify({ env: claudeCodeEnv(logsUrl, token) }, null, 2);
}

export const OPT_OUT_TEXT = `To opt one repository out, commit .claude/settings.json in it (or, for yourself only,
.claude/settings.local.json) with:
${JSON.stringify({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '0' } }, null, 2)}
Project settings override ~/.claude/settings.json, so Claude Code sends nothing from that repository.`;
