import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthApp } from './helpers.ts';

// The real thing `npm run synth` does: esbuild bundles every function (no Docker), cdk-nag runs.
describe('the app with bundling', () => {
  it('bundles the transform and the view DDL handlers as ESM and passes cdk-nag', () => {
    const { app, template } = synthApp({}, { bundle: true });
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
  });
});
