import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DemoEvent, generateTeamActivity } from '../../functions/demo/team-activity.ts';
import { sendWithOtelSdk } from '../../functions/ingest/otel-client.ts';
import { startIngestServer } from '../../functions/ingest/server.ts';
import { ALLOWED_ATTRIBUTE_KEYS } from '../../functions/schema/allowlist.ts';
import { sanitizeEvents } from '../helpers/lake.ts';
import { allFiles, lakeRows } from '../helpers/lake-files.ts';
import { comparable } from '../helpers/otlp-requests.ts';

const endMs = Date.UTC(2026, 0, 8, 12);
const base = generateTeamActivity({ seed: 11, teamSize: 3, days: 2, endMs }).events;

/**
 * Every attribute the allowlist does not keep gets a planted secret, on the record and on the
 * resource; `tool_parameters` keeps its allowed keys and gains secret ones.
 */
function withSecrets(events: readonly DemoEvent[]): DemoEvent[] {
  return events.map((e, i) => {
    const attributes: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(e.attributes)) {
      attributes[key] = ALLOWED_ATTRIBUTE_KEYS.has(key) ? value : `SECRET-${key}-${i}`;
    }
    if (typeof attributes.tool_parameters === 'string') {
      const params = JSON.parse(attributes.tool_parameters) as Record<string, string>;
      for (const key of Object.keys(params)) {
        if (!['skill_name', 'subagent_type', 'mcp_server_name', 'mcp_tool_name'].includes(key))
          params[key] = `SECRET-tp-${i}`;
      }
      attributes.tool_parameters = JSON.stringify({ ...params, full_command: `SECRET-cmd-${i}` });
    }
    Object.assign(attributes, { 'secret.extra': `SECRET-extra-${i}`, prompt: `SECRET-prompt-${i}` });
    return { ...e, attributes, resource: { ...e.resource, 'host.name': `SECRET-host-${i}` } };
  });
}

const events = withSecrets(base);
const expected = comparable(sanitizeEvents(events));
const lakes: string[] = [];

afterAll(async () => {
  for (const lake of lakes) await rm(lake, { recursive: true, force: true });
});

describe.each([
  { protocol: 'protobuf', gzip: false },
  { protocol: 'protobuf', gzip: true },
  { protocol: 'json', gzip: false },
  { protocol: 'json', gzip: true },
] as const)(
  'OTel SDK exporter ($protocol, gzip $gzip) -> endpoint -> Parquet -> DuckDB',
  ({ protocol, gzip }) => {
    it('stores exactly the sanitized events, field by field, and no secret anywhere under the lake', async () => {
      const lake = await mkdtemp(join(tmpdir(), `lake-sdk-${protocol}-`));
      lakes.push(lake);
      const server = await startIngestServer({ lake, port: 0, flushIntervalMs: 3_600_000 });
      const spooledBytes: Buffer[] = [];
      try {
        const result = await sendWithOtelSdk(events, { url: server.logsUrl, protocol, gzip, chunk: 150 });
        expect(result).toEqual({ exported: events.length, failed: 0 });
        // The spool (before the flush) is part of "any byte under the lake".
        for (const file of await allFiles(lake)) spooledBytes.push(file.bytes);
      } finally {
        await server.close();
      }
      const rows = await lakeRows(lake);
      expect(rows.length).toBe(events.length);
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
      expect(comparable(rows)).toEqual(expected);

      const files = await allFiles(lake);
      for (const bytes of [...spooledBytes, ...files.map((f) => f.bytes)]) {
        expect(bytes.includes('SECRET')).toBe(false);
      }
      // Parquet pages are compressed, so also look at every value as DuckDB decodes it.
      expect(JSON.stringify(rows)).not.toContain('SECRET');
    });
  },
);
