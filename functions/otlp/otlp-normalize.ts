import { nanosToMillis } from '../schema/coerce.ts';
import { canonicalAnyValue, field } from './canonical-value.ts';
import type { AttributeMap, LogRecordInput } from './log-record.ts';
import { asObject, attributeMap, isObject, list } from './otlp-shape.ts';

/**
 * The one normalizer behind both OTLP decoders: an ExportLogsServiceRequest as a plain object
 * (protobuf `toObject` output or parsed OTLP/JSON, the same keys) to one LogRecordInput per record.
 *
 *   { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
 *     scopeLogs: [{ scope: { name: 'com.anthropic.claude_code.events' }, logRecords: [{
 *       timeUnixNano: '1767607200000000000', body: { stringValue: 'claude_code.api_request' },
 *       attributes: [{ key: 'input_tokens', value: { intValue: '3' } }] }] }] }] }
 *   -> records: [{ body: 'claude_code.api_request', attributes: { input_tokens: 3 },
 *        resource: { 'service.name': 'claude-code' }, scopeName: 'com.anthropic.claude_code.events',
 *        timeMs: 1767607200000 }]
 *
 * A structure that is not the OTLP shape (no object, a list that is not an array) throws
 * OtlpDecodeError (HTTP 400); a single log record that is not an object becomes `null` in
 * `records`, which the endpoint counts as rejected.
 */
export interface NormalizedLogs {
  /** One entry per LogRecord, in request order; null for a record that is not an object. */
  readonly records: readonly (LogRecordInput | null)[];
  /** Each record as decoded, aligned with `records`: only for sizing a rejected record. */
  readonly raw: readonly unknown[];
}

export function normalizeExportRequest(request: unknown): NormalizedLogs {
  const root = asObject(request, 'the request is not an object');
  const records: (LogRecordInput | null)[] = [];
  const raw: unknown[] = [];
  for (const resourceLogs of list(root, 'resourceLogs', 'resource_logs')) {
    const rl = asObject(resourceLogs, 'a resourceLogs entry is not an object');
    const resourceObject = field(rl, 'resource', 'resource');
    const resource = attributeMap(
      isObject(resourceObject) ? field(resourceObject, 'attributes', 'attributes') : undefined,
    );
    for (const scopeLogs of list(rl, 'scopeLogs', 'scope_logs')) {
      const sl = asObject(scopeLogs, 'a scopeLogs entry is not an object');
      const scope = field(sl, 'scope', 'scope');
      const name = isObject(scope) ? scope.name : undefined;
      const scopeName = typeof name === 'string' ? name : null;
      for (const logRecord of list(sl, 'logRecords', 'log_records')) {
        raw.push(logRecord);
        records.push(isObject(logRecord) ? toInput(logRecord, resource, scopeName) : null);
      }
    }
  }
  return { records, raw };
}

function toInput(
  r: Record<string, unknown>,
  resource: AttributeMap,
  scopeName: string | null,
): LogRecordInput {
  return {
    body: canonicalAnyValue(field(r, 'body', 'body')),
    attributes: attributeMap(field(r, 'attributes', 'attributes')),
    resource,
    scopeName,
    timeMs:
      nanosToMillis(field(r, 'timeUnixNano', 'time_unix_nano')) ??
      nanosToMillis(field(r, 'observedTimeUnixNano', 'observed_time_unix_nano')),
  };
}
