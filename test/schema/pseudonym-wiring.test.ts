import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startIngestServer } from '../../functions/ingest/server.ts';
import { eventOf, logEvent, outputRows } from '../helpers/cloudwatch.ts';
import { lakeRows } from '../helpers/lake-files.ts';

/**
 * The deployment's e-mail policy also decides the pseudonym of `user.id`, on both paths: under
 * `hmac` it is keyed (not reproducible without the key), locally and in the Firehose transform.
 */
const KEY = 'a-long-enough-hmac-key-1234';
const ID = '615369f7a62a6aeff9bbebcdb880e3417489903107a036e7a5946691ef20b916';
const keyed = `anon_${createHmac('sha256', KEY).update(`user.id\0${ID}`).digest('hex').slice(0, 12)}`;
const attributes = {
  'event.timestamp': '2026-01-05T10:00:00.250Z',
  'user.id': ID,
  'session.id': 's-1',
  prompt: 'SECRET',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('user.id pseudonym under the hmac policy', () => {
  it('local ingest: keyed with the deployment key, the raw id nowhere', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'pseudonym-'));
    const server = await startIngestServer({ lake, port: 0, email: { mode: 'hmac', key: KEY } });
    try {
      const body = JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [] },
            scopeLogs: [
              {
                logRecords: [
                  {
                    body: { stringValue: 'claude_code.user_prompt' },
                    attributes: Object.entries(attributes).map(([key, v]) => ({
                      key,
                      value: { stringValue: v },
                    })),
                  },
                ],
              },
            ],
          },
        ],
      });
      const res = await fetch(server.logsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(200);
      await server.flush();
      const rows = await lakeRows(lake);
      expect(rows.map((r) => r.user_pseudonym)).toEqual([keyed]);
      expect(JSON.stringify(rows)).not.toContain(ID);
    } finally {
      await server.close();
      await rm(lake, { recursive: true, force: true });
    }
  });

  it('Firehose transform: the same pseudonym from the same key', async () => {
    vi.resetModules();
    vi.stubEnv('EMAIL_MODE', 'hmac');
    vi.stubEnv('EMAIL_HMAC_KEY', KEY);
    const { handler } = await import('../../functions/transform/handler.ts');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const response = await handler(eventOf([logEvent({ body: 'claude_code.user_prompt', attributes })]));
    const rows = response.records.flatMap(outputRows);
    expect(rows.map((r) => r.user_pseudonym)).toEqual([keyed]);
    expect(JSON.stringify(rows)).not.toContain(ID);
  });
});
