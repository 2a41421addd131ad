import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { configFromContext } from '../../infra/config.ts';
import { projectPaths } from '../../infra/paths.ts';
import { logicalId, statementsOf } from './helpers.ts';

process.env.CDK_VALIDATION = 'false';

/**
 * The digest Lambda's Bedrock grant, synthesized with cdk-nag on. The account stays a token:
 * with a concrete account the stack's existing Glue grants trip cdk-nag (the aws-deploy branch's
 * area), so `{ Ref: AWS::AccountId }` is resolved here to the placeholder ACCOUNT.
 */
const ACCOUNT = '<account>';

type Json = string | { Ref?: string; 'Fn::Join'?: [string, Json[]] } | Json[];
const resolve = (v: Json): Json => {
  if (Array.isArray(v)) return v.map(resolve);
  if (typeof v === 'string') return v;
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v.Ref === 'AWS::AccountId') return ACCOUNT;
  if (v['Fn::Join']) return v['Fn::Join'][1].map((p) => resolve(p) as string).join(v['Fn::Join'][0]);
  return v;
};

function synth(context: Record<string, unknown>) {
  const { app, stack } = buildApp({
    paths: projectPaths(),
    outdir: mkdtempSync(join(tmpdir(), 'cdk-insights-')),
    env: { CDK_DEFAULT_REGION: 'us-east-1' },
    context: { 'aws:cdk:bundling-stacks': [], digestEnabled: true, digestChannel: 'C0123', ...context },
  });
  app.synth();
  const template = Template.fromStack(stack);
  const role = logicalId(template, 'AWS::IAM::Role', 'DigestHandlerRole');
  const bedrock = statementsOf(template, role)
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('bedrock:')))
    .map((s) => ({ ...s, Resource: resolve(s.Resource as Json) }));
  const fn = template.findResources('AWS::Lambda::Function');
  const digestFn = Object.entries(fn).find(([id]) => id.startsWith('DigestHandler'))![1];
  const env = (digestFn.Properties as { Environment: { Variables: Record<string, string> } }).Environment
    .Variables;
  return { bedrock, env };
}

describe('digest insights on Bedrock', () => {
  it('a foundation model: bedrock:InvokeModel on exactly that one model ARN', () => {
    const { bedrock, env } = synth({ digestInsightsModel: 'anthropic.claude-3-5-haiku-20241022-v1:0' });
    expect(bedrock).toEqual([
      {
        Sid: 'InvokeInsightsModel',
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
      },
    ]);
    expect(env).toMatchObject({
      DIGEST_INSIGHTS: 'auto',
      DIGEST_INSIGHTS_MODEL: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    });
  });

  it('an inference profile: the profile ARN and the foundation model in each listed destination Region', () => {
    const { bedrock } = synth({
      digestInsightsModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      digestInsightsRegions: 'us-east-1,us-east-2,us-west-2',
    });
    expect(bedrock).toHaveLength(1);
    expect(bedrock[0]!.Action).toBe('bedrock:InvokeModel');
    expect(bedrock[0]!.Resource).toEqual([
      `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0`,
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
      'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
  });

  it('no model: no Bedrock permission and no insights setting', () => {
    const { bedrock, env } = synth({});
    expect(bedrock).toEqual([]);
    expect(env.DIGEST_INSIGHTS).toBeUndefined();
  });

  it('refuses a profile without its Regions, and a malformed id', () => {
    const lookup = (ctx: Record<string, unknown>) => (k: string) => ctx[k];
    expect(() => configFromContext(lookup({ digestInsightsModel: 'eu.anthropic.claude-x-v1:0' }))).toThrow(
      /list the Regions it routes to in "digestInsightsRegions"/,
    );
    expect(() => configFromContext(lookup({ digestInsightsModel: 'anthropic claude' }))).toThrow(
      /digestInsightsModel/,
    );
    expect(() =>
      configFromContext(lookup({ digestInsightsModel: 'us.a.b-v1:0', digestInsightsRegions: 'mars-1' })),
    ).toThrow(/digestInsightsRegions/);
  });
});
