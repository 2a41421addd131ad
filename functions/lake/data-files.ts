import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CompactJournal, JOURNAL_PREFIX } from './compact-journal.ts';
import { EVENTS_PREFIX } from './lake-layout.ts';

/**
 * The vetted list of a table's data files, what every reader reads instead of a glob:
 *
 * - journal-aware: once a compaction's merged file is published, the inputs its journal names are
 *   left out even while they still exist (a kill -9 between publish and removal does not double
 *   the day); before it is published the inputs are listed and the output is not. Decided on one
 *   directory listing, so a reader sees either every input or the output, never both.
 * - vetted: a file that cannot be a Parquet file (empty, too short, no `PAR1` magic at both ends,
 *   a footer longer than the file) is left out and reported in `bad`, so one garbage file never
 *   stops a query. The check reads 12 bytes per file, once per (path, size, mtime).
 *
 *   <lake>/events/dt=2026-01-05/a.parquet b.parquet .compact-1.json {output:c, inputs:[a,b]} c.parquet
 *   -> files: [c]     (a and b are superseded)
 */
export interface BadDataFile {
  readonly path: string;
  readonly reason: string;
}

export interface DataFileListing {
  /** Readable data files, sorted by path. */
  readonly files: readonly string[];
  readonly bad: readonly BadDataFile[];
}

const MAGIC = 'PAR1';
const MIN_PARQUET_BYTES = 12;
const vetted = new Map<string, string | null>();

/** Why `path` is not a Parquet file, or null when its framing is sound. */
export async function parquetFramingProblem(path: string): Promise<string | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return 'gone';
  }
  const cacheKey = `${path}\0${info.size}\0${info.mtimeMs}`;
  const cached = vetted.get(cacheKey);
  if (cached !== undefined) return cached;
  const problem = await readFraming(path, info.size);
  if (vetted.size > 10_000) vetted.clear();
  vetted.set(cacheKey, problem);
  return problem;
}

async function readFraming(path: string, size: number): Promise<string | null> {
  if (size < MIN_PARQUET_BYTES) return `too small to be a Parquet file (${size} bytes)`;
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    await handle.read(head, 0, 4, 0);
    await handle.read(tail, 0, 8, size - 8);
    if (head.toString('latin1') !== MAGIC || tail.toString('latin1', 4) !== MAGIC)
      return 'not a Parquet file (no PAR1 magic)';
    if (tail.readUInt32LE(0) > size - MIN_PARQUET_BYTES) return 'truncated Parquet footer';
    return null;
  } finally {
    await handle.close();
  }
}

/** Every readable data file of `table` (`events` unless another table is named). */
export async function listDataFiles(lake: string, table = EVENTS_PREFIX): Promise<DataFileListing> {
  const tableDir = join(resolve(lake), table);
  const files: string[] = [];
  const bad: BadDataFile[] = [];
  for (const day of (await namesIn(tableDir)).filter((n) => n.includes('=') && !n.startsWith('.'))) {
    const dayDir = join(tableDir, day);
    const names = await namesIn(dayDir);
    const present = new Set(names);
    const superseded = new Set<string>();
    for (const name of names) {
      if (!name.startsWith(JOURNAL_PREFIX)) continue;
      const journal = await readJournal(join(dayDir, name));
      if (journal && present.has(journal.output)) for (const input of journal.inputs) superseded.add(input);
    }
    for (const name of names) {
      if (!name.endsWith('.parquet') || name.startsWith('.') || superseded.has(name)) continue;
      const path = join(dayDir, name);
      const problem = await parquetFramingProblem(path);
      if (problem === null) files.push(path);
      else if (problem !== 'gone') bad.push({ path, reason: problem });
    }
  }
  return { files: files.sort(), bad };
}

async function readJournal(path: string): Promise<CompactJournal | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as CompactJournal;
    return typeof parsed?.output === 'string' && Array.isArray(parsed.inputs) ? parsed : null;
  } catch {
    return null;
  }
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
