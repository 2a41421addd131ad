#!/usr/bin/env node
// Entry of the `claude-otel-lake` command. Runs the CLI compiled into dist/ by `npm run build`
// (which `npm install` runs through `prepare`), so nothing is compiled at start-up. When dist/ is
// missing or older than a source it was built from (a dev checkout after an edit), it says so on
// stderr and runs the TypeScript sources through tsx instead: slower, never stale.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** Why dist/ cannot be used, or null when every source it was built from is unchanged. */
function staleReason() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('dist/build-inputs.json', root), 'utf8'));
  } catch {
    return 'dist/ is missing';
  }
  for (const [path, mtimeMs] of Object.entries(manifest.inputs)) {
    let now;
    try {
      now = statSync(new URL(path, root)).mtimeMs;
    } catch {
      return `${path} is gone since the build`;
    }
    if (now !== mtimeMs) return `${path} changed since the build`;
  }
  return null;
}

const reason = process.env.CLAUDE_OTEL_LAKE_FROM_SOURCE
  ? 'CLAUDE_OTEL_LAKE_FROM_SOURCE is set'
  : staleReason();
let cli;
if (reason === null) {
  cli = await import('../dist/cli.js');
} else {
  if (!process.env.CLAUDE_OTEL_LAKE_FROM_SOURCE) {
    process.stderr.write(
      `claude-otel-lake: ${reason}; running the sources through tsx (run \`npm run build\`)\n`,
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./cli.ts');
}
await cli.main();
