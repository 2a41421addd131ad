import { readFile } from 'node:fs/promises';
import { DigestConfigError } from './errors.ts';

/**
 * Insights are written outside the project (by the usage-digest Claude Code skill) as Slack
 * mrkdwn in a file; the digest appends them under "Insights". They are optional: without them
 * the digest is complete. Special mentions (`<!channel>`, `<!here>`) are neutralized when drawn.
 */
export const MAX_INSIGHTS_CHARS = 20_000;

export async function readInsights(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new DigestConfigError(`cannot read the insights file "${path}" (${code})`, { cause: error });
  }
  const trimmed = text.trim();
  if (trimmed === '') throw new DigestConfigError(`the insights file "${path}" is empty`);
  if (trimmed.length > MAX_INSIGHTS_CHARS) {
    throw new DigestConfigError(
      `the insights file "${path}" has ${trimmed.length} characters; keep it under ${MAX_INSIGHTS_CHARS} (Slack shows about 12,000 per message)`,
    );
  }
  return trimmed;
}
