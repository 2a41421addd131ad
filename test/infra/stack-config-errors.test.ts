import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { ConfigError } from '../../infra/config.ts';
import { projectPaths } from '../../infra/paths.ts';
import { ALL_ON } from './helpers.ts';

const build = (paths: Partial<ReturnType<typeof projectPaths>>) => () =>
  buildApp({
    paths: { ...projectPaths(), ...paths },
    outdir: mkdtempSync(join(tmpdir(), 'cdk-config-')),
    env: {},
    context: { 'aws:cdk:bundling-stacks': [], ...ALL_ON },
  });

describe('settings the repository cannot honour fail the synthesis with a ConfigError naming them', () => {
  it('digestEnabled without a digest handler', () => {
    const digestEntry = join(tmpdir(), 'no-such-dir', 'handler.ts');
    expect(build({ digestEntry })).toThrow(ConfigError);
    expect(build({ digestEntry })).toThrow(/"digestEnabled".*no-such-dir/);
  });

  it('quicksightEnabled without a view', () => {
    const viewsDir = mkdtempSync(join(tmpdir(), 'no-views-'));
    expect(build({ viewsDir })).toThrow(ConfigError);
    expect(build({ viewsDir })).toThrow(/"quicksightEnabled".*holds no view/);
  });
});
