import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationValidatePlugin, type PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { BEARER_TOKEN_REGIONS, ConfigError, QUICKSIGHT_REGIONS } from '../../infra/config.ts';
import { ALL_ON } from './options.ts';

// Every synthesis `cdk deploy` can run for a team: a concrete account x the four bearer-token
// regions x {the defaults of cdk.json, every option on}. The CloudFormation validation bundled
// with aws-cdk-lib runs in each (this file does not import ./helpers.ts, which turns it off), its
// errors fail the synthesis (FIXED_CONTEXT in infra/build-app.ts) and here its warnings too
// (strict mode); cdk-nag runs in the same synthesis. Bundling is skipped: it does not change
// the template.
const saved = process.env.CDK_VALIDATION;
delete process.env.CDK_VALIDATION;
// Watches the bundled validator (the real one runs): proof it ran on each cell, and its findings.
const validate = vi.spyOn(CloudFormationValidatePlugin.prototype, 'validate');
afterAll(() => {
  validate.mockRestore();
  if (saved !== undefined) process.env.CDK_VALIDATION = saved;
});

const ACCOUNT = '123456789012';
const STRICT = { '@aws-cdk/core:strictCfnValidateErrors': true } as const;
const OPTION_SETS = { defaults: {}, 'every option on': ALL_ON } as const;

function build(region: string, context: Record<string, unknown>) {
  return buildApp({
    outdir: mkdtempSync(join(tmpdir(), 'cdk-matrix-')),
    env: { CDK_DEFAULT_ACCOUNT: ACCOUNT, CDK_DEFAULT_REGION: region },
    context: { 'aws:cdk:bundling-stacks': [], ...STRICT, ...context },
  });
}

/**
 * Synthesizes one cell (it throws on any finding of either plugin); returns what the validator
 * reported and the report file of every plugin (empty when nothing was found).
 */
function synthCell(region: string, context: Record<string, unknown>) {
  const { app, stack } = build(region, context);
  expect(stack.account).toBe(ACCOUNT);
  expect(stack.region).toBe(region);
  validate.mockClear();
  const assembly = app.synth();
  expect(validate).toHaveBeenCalledTimes(1);
  expect(validate.mock.calls[0]![0]).toMatchObject({ accountId: ACCOUNT, region });
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
  return {
    validator: validate.mock.results[0]!.value as PolicyValidationPluginReport,
    pluginReports: report.pluginReports as unknown[],
  };
}

describe.each(BEARER_TOKEN_REGIONS)('cdk synth in %s with account 123456789012', (region) => {
  describe.each(Object.entries(OPTION_SETS))('%s', (_name, options) => {
    const quicksightMissing = 'quicksightEnabled' in options && !QUICKSIGHT_REGIONS.includes(region);

    if (!quicksightMissing) {
      it('synthesizes: CloudFormation validation and cdk-nag find nothing', () => {
        const { validator, pluginReports } = synthCell(region, options);
        expect(validator.violations).toEqual([]);
        expect(validator.success).toBe(true);
        // Neither the validator nor cdk-nag reported anything, not even a warning.
        expect(pluginReports).toEqual([]);
      });
    } else {
      it('stops with the ConfigError naming quicksightEnabled and the region', () => {
        expect(() => build(region, options)).toThrow(ConfigError);
        expect(() => build(region, options)).toThrow(
          new RegExp(`"quicksightEnabled" is true but QuickSight does not exist in ${region}`),
        );
      });
    }
  });
});

describe('the validation is really on', () => {
  it('fails the synthesis on a resource type the region lacks, which CDK alone only warns about', () => {
    // The template the ConfigError prevents, built by hand.
    const { app, stack } = build('us-west-1', {});
    new quicksight.CfnDataSource(stack, 'Forced', {
      awsAccountId: Stack.of(stack).account,
      dataSourceId: 'forced',
      name: 'forced',
      type: 'ATHENA',
      dataSourceParameters: { athenaParameters: { workGroup: 'primary' } },
    });
    expect(() => app.synth()).toThrow(
      /AWS::QuickSight::DataSource' does not exist in 'us-west-1'[\s\S]*F3006/,
    );
  });
});
