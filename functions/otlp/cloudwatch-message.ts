import { nanosToMillis } from '../schema/coerce.ts';
import { toAttributeMap, unwrapAnyValue } from './any-value.ts';
import type { LogRecordInput } from './log-record.ts';

/**
 * One CloudWatch Logs event message, as the CloudWatch OTLP endpoint stores a LogRecord:
 *
 *   {"resource":{"attributes":{"service.name":"claude-code"}},"body":"claude_code.api_request",
 *    "attributes":{"session.id":"…","cost_usd":"0.10","event.sequence":2116}}
 *
 * Parsed defensively: extra keys are ignored, `body` may be an AnyValue, attributes may be a flat
 * map or an OTLP `[{key, value}]` list, and the scope may be absent.
 * Returns null for a message that is not a JSON object (the caller counts it as rejected).
 */
export function parseCloudWatchMessage(message: string): LogRecordInput | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const m = parsed as Record<string, unknown>;
  const resource = m.resource as { attributes?: unknown } | undefined;
  const scope = (m.scope ?? m.instrumentationScope) as { name?: unknown } | undefined;
  return {
    body: m.body,
    attributes: toAttributeMap(m.attributes),
    resource: toAttributeMap(
      resource !== null && typeof resource === 'object' ? resource.attributes : undefined,
    ),
    scopeName: scopeNameOf(scope),
    timeMs: nanosToMillis(m.timeUnixNano) ?? nanosToMillis(m.observedTimeUnixNano),
  };
}

function scopeNameOf(scope: { name?: unknown } | undefined): string | null {
  if (scope === null || typeof scope !== 'object') return null;
  const name = unwrapAnyValue(scope.name);
  return typeof name === 'string' ? name : null;
}
