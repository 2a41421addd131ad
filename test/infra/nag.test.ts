import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { nagResource } from '../../infra/nag.ts';
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

describe('acknowledgement ids', () => {
  const tablesArn = (stack: Stack) =>
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'claude_otel/*' });

  it('hold the account number when the account is concrete, as the finding of `cdk deploy` does', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-west-2' } });
    expect(nagResource(stack, tablesArn(stack))).toBe(
      'arn:<AWS::Partition>:glue:us-west-2:123456789012:table/claude_otel/*',
    );
  });

  it('hold the pseudo parameters when account and region are tokens (offline synth)', () => {
    const stack = new Stack(new App(), 'S');
    expect(nagResource(stack, tablesArn(stack))).toBe(
      'arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/claude_otel/*',
    );
  });
});
