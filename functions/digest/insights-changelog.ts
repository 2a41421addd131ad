/**
 * The newest entries of the Claude Code changelog, fetched live for the automatic insights (the
 * newest features are the point). Short timeout; offline or any failure gives the reason instead,
 * and the insights are written without it.
 *
 *   await newestChangelog({ url, timeoutMs: 5000 })
 *   -> { ok: true, text: '## 2.1.328\n- ...\n\n## 2.1.327\n- ...' }  or  { ok: false, reason: 'timed out after 5000 ms' }
 */
export const DEFAULT_CHANGELOG_URL =
  'https://raw.githubusercontent.com/anthropics/claude-code/main/CHANGELOG.md';
export const DEFAULT_CHANGELOG_TIMEOUT_MS = 5_000;
/** How many version sections the model sees, and at most how many characters of them. */
export const CHANGELOG_ENTRIES = 5;
export const MAX_CHANGELOG_CHARS = 8_000;

export type ChangelogResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: string };

export interface ChangelogOptions {
  readonly url?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** The first `count` `## ` sections of a Markdown changelog (the newest come first). */
export function newestEntries(
  markdown: string,
  count = CHANGELOG_ENTRIES,
  maxChars = MAX_CHANGELOG_CHARS,
): string {
  const sections = markdown.split(/\n(?=##\s)/).filter((s) => /^##\s/.test(s.trimStart()));
  const picked = (sections.length > 0 ? sections.slice(0, count) : [markdown]).join('\n').trim();
  return picked.length > maxChars ? picked.slice(0, maxChars) : picked;
}

export async function newestChangelog(options: ChangelogOptions = {}): Promise<ChangelogResult> {
  const url = options.url ?? DEFAULT_CHANGELOG_URL;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHANGELOG_TIMEOUT_MS;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'text/markdown, text/plain' },
    });
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    const text = newestEntries(await response.text());
    return text ? { ok: true, text } : { ok: false, reason: 'the changelog was empty' };
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string }; message?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError')
      return { ok: false, reason: `timed out after ${timeoutMs} ms` };
    return { ok: false, reason: e.cause?.code ?? e.message ?? String(error) };
  }
}
