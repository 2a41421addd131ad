import { describe, expect, it } from 'vitest';
import { emailTransformer } from '../../functions/schema/email.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import { eventOf, logEvent, outputRows } from '../helpers/cloudwatch.ts';

describe('schema drift on AWS: the invocation log line names dropped keys and unknown events', () => {
  it('counts by name, never by value; the unknown event still becomes a row', async () => {
    const at = { 'event.timestamp': '2026-01-05T10:00:00.250Z' };
    const { response, log } = await transformBatch(
      eventOf([
        logEvent({ body: 'claude_code.hook_run', attributes: { ...at, hook_secret: 'SECRET-1' } }),
        logEvent({ body: 'claude_code.hook_run', attributes: { ...at } }),
        logEvent({ body: 'claude_code.api_request', attributes: { ...at, model: 'm' } }),
      ]),
      {
        email: emailTransformer({ mode: 'keep' }),
        reingester: { put: () => Promise.reject(new Error('unused')) },
      },
    );
    expect(log.unknownEvents).toEqual({ hook_run: 2 });
    expect(log.droppedKeys).toEqual({ hook_secret: 1 });
    expect(JSON.stringify(log)).not.toContain('SECRET');
    expect(response.records.flatMap(outputRows).map((r) => r.event_name)).toEqual([
      'hook_run',
      'hook_run',
      'api_request',
    ]);
  });
});
