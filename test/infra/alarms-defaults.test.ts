import { describe, expect, it } from 'vitest';
import { DroppedKeyCounter } from '../../functions/schema/dropped-keys.ts';
import { invocationLog, type LoggedRecord } from '../../functions/transform/invocation-log.ts';
import { FAILED_RECORDS_PATTERN, FAILED_RECORDS_VALUE } from '../../infra/constructs/alarms-defaults.ts';

/** Resolves `$.a.b` in a parsed log line. */
const at = (line: unknown, path: string): unknown =>
  path
    .replace(/^\$\./, '')
    .split('.')
    .reduce<unknown>(
      (v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      line,
    );

/**
 * Evaluates the `{ $.x = "s" && $.y > n }` subset of the CloudWatch Logs JSON filter syntax the
 * pattern uses; throws on anything else, so a pattern this cannot read fails the test.
 */
function matches(pattern: string, line: unknown): boolean {
  const body = /^\{ (.+) \}$/.exec(pattern)?.[1];
  if (!body) throw new Error(`not a JSON filter pattern: ${pattern}`);
  return body.split(' && ').every((term) => {
    const m = /^(\$\.[\w.]+) (=|>) ("[^"]*"|\d+)$/.exec(term);
    if (!m) throw new Error(`unsupported term: ${term}`);
    const value = at(line, m[1]!);
    return m[2] === '=' ? value === JSON.parse(m[3]!) : typeof value === 'number' && value > Number(m[3]);
  });
}

const record = (recordId: string, failed: boolean): LoggedRecord => ({
  recordId,
  inputChars: 8,
  result: {
    outcome: failed ? { kind: 'failed', reason: 'bad-gzip' } : { kind: 'dropped', reason: 'control-message' },
    events: 0,
    rows: 0,
    skipped: [],
    rejected: [],
    messageChars: 0,
  },
  final: failed ? { kind: 'failed', reason: 'bad-gzip' } : { kind: 'dropped', reason: 'control-message' },
  deferred: null,
});

const logLine = (records: LoggedRecord[]) =>
  JSON.parse(
    JSON.stringify(
      invocationLog('inv-1', records, {
        responseBytes: 0,
        reingestedBytes: 0,
        reingestCalls: 0,
        dropped: new DroppedKeyCounter(),
      }),
    ),
  );

describe('failed-records metric filter', () => {
  it("matches the transform's own log line when it failed records, and counts them exactly", () => {
    const line = logLine([record('a', true), record('b', false), record('c', true)]);
    expect(matches(FAILED_RECORDS_PATTERN, line)).toBe(true);
    expect(at(line, FAILED_RECORDS_VALUE)).toBe(2);
  });

  it('does not match an invocation without failed records, nor the failure line of the handler', () => {
    expect(matches(FAILED_RECORDS_PATTERN, logLine([record('a', false)]))).toBe(false);
    const handlerFailure = { message: 'claude-otel-lake transform failed', records: 3, error: {} };
    expect(matches(FAILED_RECORDS_PATTERN, handlerFailure)).toBe(false);
  });
});
