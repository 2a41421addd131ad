import { DigestConfigError } from './errors.ts';

/**
 * Settings shared by the command and the Lambda, each validated with a message that names the
 * setting and the value it got.
 */
export const DEFAULT_DAYS = 7;

/** `--days` / DIGEST_DAYS: a whole number of days, 1..366. */
export function parseDays(text: string | undefined, name = '--days'): number {
  if (text === undefined || text === '') return DEFAULT_DAYS;
  const days = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(days) || days < 1 || days > 366) {
    throw new DigestConfigError(`${name} must be a whole number of days from 1 to 366; got "${text}"`);
  }
  return days;
}

/** `--dashboard-url` / DIGEST_DASHBOARD_URL: an http(s) URL Slack can link (no `|`, `<`, `>`). */
export function parseDashboardUrl(text: string | undefined, name = '--dashboard-url'): string | null {
  if (text === undefined || text.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new DigestConfigError(`${name} must be an http(s) URL; got "${text}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || /[|<>]/.test(url.href)) {
    throw new DigestConfigError(`${name} must be an http(s) URL; got "${text}"`);
  }
  return url.href;
}
