import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's files: everything in `public/` plus uPlot's distribution files from node_modules,
 * served as `/vendor/...` so the page works offline (no CDN). Paths are looked up in a table
 * built at start, never joined from the request, so nothing outside these files is reachable.
 *
 *   /                      -> public/index.html
 *   /app.js                -> public/app.js
 *   /vendor/uPlot.esm.js   -> node_modules/uplot/dist/uPlot.esm.js
 */
export interface StaticFile {
  readonly path: string;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const UPLOT_DIST = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
const VENDOR_FILES = ['uPlot.esm.js', 'uPlot.min.css'];

export function staticFileTable(publicDir = PUBLIC_DIR): ReadonlyMap<string, StaticFile> {
  const table = new Map<string, StaticFile>();
  const add = (url: string, path: string) => {
    const contentType = CONTENT_TYPES[extname(path)];
    if (contentType) table.set(url, { path, contentType });
  };
  for (const name of readdirSync(publicDir)) add(`/${name}`, join(publicDir, name));
  for (const name of VENDOR_FILES) add(`/vendor/${name}`, join(UPLOT_DIST, name));
  const index = table.get('/index.html');
  if (index) table.set('/', index);
  return table;
}

/** Finds and reads the page's files. */
export class StaticFiles {
  constructor(private readonly table = staticFileTable()) {}

  find(pathname: string): StaticFile | undefined {
    return this.table.get(pathname);
  }

  read(file: StaticFile): Promise<Buffer> {
    return readFile(file.path);
  }
}
