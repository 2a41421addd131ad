import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/paths.ts';
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
