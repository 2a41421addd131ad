import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/paths.ts';
import {
  controlMessage,
  encodeData,
  eventOf,
  firehoseRecord,
  logEvent,
  outputRows,
  outputText,
} from '../helpers/cloudwatch.ts';
import { ALL_ON, synthApp } from './helpers.ts';

// The real thing `npm run synth` does: esbuild bundles every function (no Docker), cdk-nag runs.
describe('the app with bundling', () => {
  it('bundles the transform, the view DDL handlers and the digest as ESM and passes cdk-nag', () => {
    const { app, template } = synthApp(ALL_ON, { bundle: true });
    const outdir = app.outdir;
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) =>
      String(f.Properties.Handler).startsWith('index.'),
    );
    // The transform, and the view DDL handlers when queries/views/ holds a view.
    expect(functions.length).toBeGreaterThanOrEqual(1);
    for (const fn of functions) {
      const key = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
      const dir = join(outdir, `asset.${key}`);
      expect(existsSync(dir)).toBe(true);
      const [entry] = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
      expect(entry).toBe('index.mjs');
      const code = readFileSync(join(dir, entry!), 'utf8');
      expect(code).toContain('createRequire');
    }
    // The digest reads queries/*.sql at run time: the bundle carries them.
    const digest = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('DigestHandlerFunction'),
    )?.[1];
    const digestDir = join(outdir, `asset.${String(digest?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
    const bundled = readdirSync(join(digestDir, 'queries')).sort();
    expect(bundled).toEqual(
      readdirSync(join(PROJECT_ROOT, 'queries'))
        .filter((f) => f.endsWith('.sql'))
        .sort(),
    );
  });
});

describe('the bundled transform', () => {
  it('loads as the Lambda runtime would and answers a Firehose batch', async () => {
    const { app, template } = synthApp({}, { bundle: true });
    const [fn] = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => id.startsWith('DeliveryTransformFunction'))
      .map(([, f]) => f);
    const asset = join(app.outdir, `asset.${String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
    // The runtime provides @aws-sdk/* (external to the bundle); here the project's copies stand in.
    const dir = mkdtempSync(join(tmpdir(), 'transform-bundle-'));
    for (const file of ['index.mjs', 'index.mjs.map']) copyFileSync(join(asset, file), join(dir, file));
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const bundle = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as {
      handler: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;
    };

    const data = eventOf([
      logEvent({ body: 'claude_code.user_prompt', attributes: { prompt_length: '12', prompt: 'secret' } }),
    ]);
    const control = firehoseRecord(encodeData(controlMessage()));
    const bad = firehoseRecord(encodeData('not json'));
    const event = { ...data, records: [...data.records, control, bad] };
    const write = process.stdout.write;
    process.stdout.write = () => true;
    let response: FirehoseTransformationResult;
    try {
      response = await bundle.handler(event);
    } finally {
      process.stdout.write = write;
    }
    expect(response.records.map((r) => [r.recordId, r.result])).toEqual([
      [event.records[0]!.recordId, 'Ok'],
      [control.recordId, 'Dropped'],
      [bad.recordId, 'ProcessingFailed'],
    ]);
    expect(outputRows(response.records[0]!)).toEqual([
      expect.objectContaining({ event_name: 'user_prompt', prompt_length: 12 }),
    ]);
    expect(outputText(response.records)).not.toContain('secret');
  });
});
