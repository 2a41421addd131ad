import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { projectPaths } from '../../infra/paths.ts';
import './helpers.ts';

/** The logical ids of the view custom resources when queries/views/ holds `files`. */
function viewLogicalIds(files: Record<string, string>): string[] {
  const viewsDir = join(mkdtempSync(join(tmpdir(), 'views-')), 'views');
  mkdirSync(viewsDir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(viewsDir, name), sql);
  const { app, stack } = buildApp({
    paths: { ...projectPaths(), viewsDir },
    outdir: mkdtempSync(join(tmpdir(), 'cdk-views-')),
    env: {},
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  app.synth();
  return Object.keys(Template.fromStack(stack).findResources('Custom::AthenaView'));
}

describe('view custom resources', () => {
  it('are keyed by the view name, so renaming its file updates the view instead of dropping it', () => {
    const sql = 'CREATE OR REPLACE VIEW claude_code_usage AS SELECT event_name FROM events';
    const before = viewLogicalIds({ 'claude_code_usage.sql': sql });
    const after = viewLogicalIds({ '10_usage.sql': sql });
    expect(before).toHaveLength(1);
    expect(after).toEqual(before);
    expect(before[0]).toMatch(/^AthenaViewClaudeCodeUsage/);
  });
});
