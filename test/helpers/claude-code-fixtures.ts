import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unwrapAnyValue } from '../../functions/otlp/any-value.ts';
import type { LogRecordInput } from '../../functions/otlp/log-record.ts';
import { decodeLogsRequest } from '../../functions/otlp/otlp-decode.ts';

/**
 * Real payloads captured from Claude Code 2.1.328 by the real-client suite (`UPDATE_FIXTURES=1`),
 * scrubbed of machine-specific values (see test/e2e/fixtures.ts): OTLP/JSON requests and
 * protobuf requests, decoded by the project's decoder into the records the allowlist reads.
 */
export const FIXTURE_VERSION = '2.1.328';
const DIR = fileURLToPath(new URL(`../fixtures/claude-code-${FIXTURE_VERSION}/`, import.meta.url));

/** Every planted secret of the capture starts with this (see test/e2e/scenarios.ts). */
export const PLANTED_SECRET_PREFIX = 'zzsecret-';
/** The scratch directory every captured path is under (after scrubbing). */
export const FIXTURE_ROOT = '/tmp/claude-otel-lake-fixture';

export interface FixtureRecord {
  readonly encoding: 'json' | 'protobuf';
  readonly record: LogRecordInput;
}

export function fixtureRequests(): { encoding: 'json' | 'protobuf'; body: Buffer }[] {
  const json = JSON.parse(readFileSync(join(DIR, 'requests.json'), 'utf8')) as unknown[];
  const protobuf = readdirSync(DIR)
    .filter((n) => n.endsWith('.bin'))
    .sort()
    .map((n) => ({ encoding: 'protobuf' as const, body: readFileSync(join(DIR, n)) }));
  return [
    ...json.map((r) => ({ encoding: 'json' as const, body: Buffer.from(JSON.stringify(r)) })),
    ...protobuf,
  ];
}

export function fixtureRecords(): FixtureRecord[] {
  return fixtureRequests().flatMap(({ encoding, body }) =>
    decodeLogsRequest(encoding, body).records.map((record) => ({ encoding, record: record! })),
  );
}

/** A record's attribute as a plain value (OTLP AnyValue unwrapped), record first, then resource. */
export function attr(record: LogRecordInput, key: string): unknown {
  return unwrapAnyValue(record.attributes[key] ?? record.resource[key]);
}

export function eventNameOf(record: LogRecordInput): string {
  return String(unwrapAnyValue(record.body)).replace(/^claude_code\./, '');
}
