import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app.ts';
import { projectPaths } from '../../infra/paths.ts';

// The slow built-in CloudFormation validation is off in tests (NOTES §6); cdk-nag still runs.
process.env.CDK_VALIDATION = 'false';

export { ALL_ON } from './options.ts';

/** The account and region `cdk synth` / `cdk deploy` resolve from real credentials. */
export const REAL_ACCOUNT_ENV = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'us-east-1' };

/**
 * Synthesizes the whole app (with cdk-nag) once, without bundling, into a temporary directory.
 * Throws when cdk-nag reports an unacknowledged finding.
 */
export function synthApp(
  context: Record<string, unknown> = {},
  options: { bundle?: boolean; env?: Record<string, string> } = {},
) {
  const { app, stack } = buildApp({
    paths: projectPaths(),
    outdir: mkdtempSync(join(tmpdir(), 'cdk-test-')),
    env: options.env ?? {},
    context: { ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  app.synth();
  return { app, stack, template: Template.fromStack(stack) };
}

type Json = Record<string, unknown>;

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
}

/** Logical id of the single resource of `type` whose logical id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} starting with ${prefix}; found ${ids.join(', ')}`);
  return ids[0]!;
}

const refs = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((r) => ((r as Json).Ref as string | undefined) ?? JSON.stringify(r)) : [];

/** Every statement that applies to a role or user: inline, attached policies and managed policies. */
export function statementsOf(
  template: Template,
  principalId: string,
  kind: 'Roles' | 'Users' = 'Roles',
): Statement[] {
  const out: Statement[] = [];
  for (const p of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const props = p.Properties as Json;
    if (refs(props[kind]).includes(principalId))
      out.push(...((props.PolicyDocument as Json).Statement as Statement[]));
  }
  const principal = template.toJSON().Resources[principalId] as Json;
  const managed = refs((principal.Properties as Json).ManagedPolicyArns ?? []);
  for (const [id, mp] of Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))) {
    const props = mp.Properties as Json;
    if (managed.includes(id) || refs(props[kind]).includes(principalId)) {
      out.push(...((props.PolicyDocument as Json).Statement as Statement[]));
    }
  }
  for (const inline of ((principal.Properties as Json).Policies as Json[] | undefined) ?? []) {
    out.push(...((inline.PolicyDocument as Json).Statement as Statement[]));
  }
  return out;
}

/** The sorted set of actions granted to a principal. */
export function actionsOf(statements: readonly Statement[]): string[] {
  return [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();
}
