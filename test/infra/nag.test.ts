import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { ALL_ON, synthApp } from './helpers.ts';

// cdk-nag AwsSolutions over the whole app: synthesis throws on any unacknowledged finding.
describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged with the defaults of cdk.json', () => {
    expect(() => synthApp()).not.toThrow();
  });

  it('finds nothing unacknowledged with every option on', () => {
    expect(() => synthApp(ALL_ON)).not.toThrow();
  });

  it('is wired in: an unlogged bucket added to the stack fails the synthesis', () => {
    const { app, stack } = buildApp({
      outdir: mkdtempSync(join(tmpdir(), 'cdk-nag-')),
      env: {},
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    new s3.Bucket(stack, 'Unlogged', { enforceSSL: true });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
