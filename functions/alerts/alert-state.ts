import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Which alerts were sent, so each goes out at most once per threshold, person and period, also
 * across restarts: a JSON document `{ "sent": { "<key>": "<ISO time>" } }`, in the local lake
 * (`<lake>/alerts/sent.json`) or in the lake bucket on AWS (s3-state.ts). Keys look like
 * `budget:2026-12:90` and `spike:2026-12-01:kasama`. Entries older than a year are dropped.
 */
export interface AlertStateStore {
  load(): Promise<SentAlerts>;
  save(sent: SentAlerts): Promise<void>;
}

export type SentAlerts = Map<string, string>;

const KEEP_MS = 400 * 86_400_000;

export function parseSentAlerts(text: string | null, now: Date): SentAlerts {
  if (text === null || text.trim() === '') return new Map();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('the alert state is not JSON; move it aside to start over');
  }
  const sent = (doc as { sent?: unknown })?.sent;
  if (typeof sent !== 'object' || sent === null) throw new Error('the alert state has no "sent" object');
  const out: SentAlerts = new Map();
  for (const [key, at] of Object.entries(sent)) {
    if (typeof at === 'string' && now.getTime() - Date.parse(at) < KEEP_MS) out.set(key, at);
  }
  return out;
}

export const serializeSentAlerts = (sent: SentAlerts): string =>
  `${JSON.stringify({ version: 1, sent: Object.fromEntries([...sent].sort()) }, null, 2)}\n`;

/** The local lake's store; written to a temporary file and renamed, so a crash leaves the old one. */
export function localAlertState(lake: string, now: () => Date = () => new Date()): AlertStateStore {
  const path = join(lake, 'alerts', 'sent.json');
  return {
    async load() {
      const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      return parseSentAlerts(text, now());
    },
    async save(sent) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, serializeSentAlerts(sent));
      await rename(tmp, path);
    },
  };
}
