import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { otlpTypes } from '../../functions/otlp/otlp-proto.ts';
import { CLAUDE_CODE_VERSION } from './claude-cli.ts';
import { requestObject } from './raw-otlp.ts';
import type { CapturedRequest } from './recording-proxy.ts';

/**
 * Writes the captured requests as fixtures (`UPDATE_FIXTURES=1` on the real-client suite):
 * `test/fixtures/claude-code-<version>/requests.json` (the OTLP/JSON requests, decompressed) and
 * `protobuf-NN.bin` (the protobuf ones). Scrubbed of what is machine-specific: each install id
 * becomes a fixed fake hash, the scratch directory a fixed path, the kernel version a fixed one.
 * The planted secrets stay: the fast privacy tests check they are dropped.
 */
export const FIXTURE_DIR = fileURLToPath(
  new URL(`../fixtures/claude-code-${CLAUDE_CODE_VERSION}/`, import.meta.url),
);
export const FIXTURE_ROOT = '/tmp/claude-otel-lake-fixture';

export async function writeFixtures(
  captured: readonly CapturedRequest[],
  root: string,
  userIds: readonly string[],
): Promise<void> {
  const fakeIds = new Map(
    userIds.map((id, i) => [id, createHash('sha256').update(`fixture-user-${i}`).digest('hex')]),
  );
  const rootDashed = root.replaceAll('/', '-');
  const scrubText = (s: string) => {
    let out = s.replaceAll(root, FIXTURE_ROOT).replaceAll(rootDashed, FIXTURE_ROOT.replaceAll('/', '-'));
    for (const [id, fake] of fakeIds) out = out.replaceAll(id, fake);
    return out;
  };
  const scrub = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key === 'os.version' ? '6.0.0-fixture' : scrubText(value);
    if (Array.isArray(value)) return value.map((v) => scrub(v));
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (typeof object.key === 'string' && object.value) {
        return { ...object, value: scrubAny(object.value as Record<string, unknown>, object.key) };
      }
      return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, scrub(v)]));
    }
    return value;
  };
  const scrubAny = (any: Record<string, unknown>, key: string): unknown =>
    typeof any.stringValue === 'string' ? { ...any, stringValue: scrub(any.stringValue, key) } : scrub(any);
  await mkdir(FIXTURE_DIR, { recursive: true });
  const json = captured
    .filter((c) => c.contentType.startsWith('application/json'))
    .map((c) => scrub(requestObject(c)));
  await writeFile(join(FIXTURE_DIR, 'requests.json'), `${JSON.stringify(json, null, 1)}\n`);
  const { ExportLogsServiceRequest } = otlpTypes();
  let n = 0;
  for (const c of captured.filter((r) => r.contentType.startsWith('application/x-protobuf'))) {
    const object = scrub(requestObject(c)) as Record<string, unknown>;
    const bytes = ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(object)).finish();
    n++;
    await writeFile(join(FIXTURE_DIR, `protobuf-${String(n).padStart(2, '0')}.bin`), bytes);
  }
}
