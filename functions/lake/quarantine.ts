import { mkdir, rename } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { ErrorsLog } from './errors-log.ts';
import { errorsDir } from './lake-layout.ts';

/**
 * Where files the lake cannot read are kept, never deleted: `<lake>/errors/quarantine/` mirrors
 * the path under the lake (`events/dt=…/x.parquet`, `spool/x.spool`), so an operator can inspect
 * or restore them. Readers never list it (it is outside `events/`). Each move is one line in
 * `errors/` naming the file and the reason.
 *
 *   <lake>/events/dt=2026-01-05/bad.parquet -> <lake>/errors/quarantine/events/dt=2026-01-05/bad.parquet
 */
export const quarantineDir = (lake: string): string => join(errorsDir(lake), 'quarantine');

export async function quarantineFile(
  lake: string,
  path: string,
  reason: string,
  errors: ErrorsLog | undefined,
  bytes = 0,
): Promise<string> {
  const target = join(quarantineDir(lake), relative(lake, path));
  await mkdir(dirname(target), { recursive: true });
  const free = `${target}.${Date.now()}`;
  await rename(path, free);
  errors?.record({ kind: 'lake', reason: `quarantined ${relative(lake, path)}: ${reason}`, count: 1, bytes });
  return free;
}
