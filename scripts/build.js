#!/usr/bin/env node
// `npm run build` (also run by `npm install` / `npm ci` through `prepare`): compiles the CLI's
// TypeScript into dist/ once, so `claude-otel-lake` starts without compiling anything.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
/** Written last: the list of source files the build read, with their mtimes (see claude-otel-lake.js). */
export const MANIFEST = 'build-inputs.json';

/** Entry points: the CLI, and worker threads that code starts by URL (they must be compiled too). */
const ENTRIES = { cli: 'scripts/cli.ts', 'flush-worker': 'functions/lake/flush-worker.ts' };

/**
 * Every output file lands directly in dist/, so `import.meta.url` in a source file is replaced by
 * that source file's own URL, computed relative to the chunk at run time: code that finds its
 * assets next to itself (queries/*.sql, the protos, the dashboard's public/ files, the worker
 * entries) keeps finding them in the source tree, wherever the checkout lives.
 */
const ENTRY_BY_SOURCE = new Map(Object.entries(ENTRIES).map(([name, path]) => [join(ROOT, path), name]));
const WORKER_URL = /new URL\((['"])(\.{1,2}\/[^'"]+\.ts)\1, import\.meta\.url\)/g;

/** Stands for the chunk's own import.meta.url while the source's are replaced. */
const CHUNK_URL = '__claude_otel_lake_chunk_url__';

const sourceUrlPlugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      // A worker started by URL (`new URL('./flush-worker.ts', import.meta.url)`) is an entry:
      // point it at its compiled file in dist/ instead of the source.
      text = text.replace(WORKER_URL, (match, quote, path) => {
        const name = ENTRY_BY_SOURCE.get(join(dirname(args.path), path));
        return name ? `new URL(${quote}./${name}.js${quote}, ${CHUNK_URL})` : match;
      });
      const fromDist = relative(DIST, args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`;
      const contents = text.replaceAll('import.meta.url', url).replaceAll(CHUNK_URL, 'import.meta.url');
      return { contents, loader: 'ts' };
    });
  },
};

/** Builds into a fresh directory and swaps it in, so a running CLI never sees half a build. */
export async function buildCli({ quiet = false } = {}) {
  const started = Date.now();
  let build;
  try {
    ({ build } = await import('esbuild'));
  } catch {
    // An install without devDependencies: the bin then runs the sources through tsx.
    console.error(
      'claude-otel-lake: esbuild is not installed; not building dist/ (the CLI will run via tsx)',
    );
    return;
  }
  const staging = `${DIST}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // node_modules stay where they are: DuckDB's native module, the AWS SDK, aws-cdk-lib...
    packages: 'external',
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrlPlugin],
  });
  const inputs = {};
  for (const path of Object.keys(result.metafile.inputs)) {
    inputs[path] = (await stat(join(ROOT, path))).mtimeMs;
  }
  await writeFile(join(staging, MANIFEST), `${JSON.stringify({ builtAt: Date.now(), inputs })}\n`);
  // rename() cannot replace a non-empty directory: move the old one aside first.
  const old = `${DIST}.old-${process.pid}`;
  await mkdir(dirname(DIST), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    await rename(DIST, old).catch(() => {});
    try {
      await rename(staging, DIST);
      break;
    } catch (error) {
      // Another build swapped its dist/ in between: move that one aside too and retry.
      if (attempt >= 3) throw error;
      await rm(old, { recursive: true, force: true });
    }
  }
  await rm(old, { recursive: true, force: true });
  if (!quiet) {
    const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).length;
    console.error(`claude-otel-lake: built dist/ (${files} files) in ${Date.now() - started} ms`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCli();
