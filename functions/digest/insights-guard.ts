import { clip } from './slack-limits.ts';
import type { Digest } from './types.ts';

/**
 * Guards on insights a model wrote, in code rather than only in the prompt: whatever the model
 * answers, the digest posts no ping, no link to a host we did not name, no person the digest does
 * not already show, one Insights heading (compose.ts draws it) and a bounded length.
 *
 *   cleanInsights('Hi <!channel>, see <https://evil.example|this> and @ghost', digest)
 *   -> 'Hi @channel, see this and a teammate'
 */

/** Hosts the insights may link to: the Claude Code docs and changelog, plus the team dashboard. */
export const INSIGHT_LINK_HOSTS: readonly string[] = [
  'code.claude.com',
  'docs.claude.com',
  'docs.anthropic.com',
  'support.claude.com',
  'www.anthropic.com',
  'github.com',
  'raw.githubusercontent.com',
];

/** Longest automatic insights, in characters: about one screen in Slack. */
export const MAX_AUTO_INSIGHTS_CHARS = 3_000;

const STANDIN = 'a teammate';

/** Every person the digest names (display names as drawn), lower-cased. */
export function peopleShown(digest: Digest): Set<string> {
  const names = [
    ...digest.heavyUsers.map((u) => u.user),
    ...digest.skillUsers.map((p) => p.user),
    ...digest.mcpUsers.map((p) => p.user),
    ...[...digest.skills, ...digest.subagents, ...digest.mcpServers].flatMap((r) =>
      r.users.map((u) => u.user),
    ),
  ];
  return new Set(names.map((n) => n.toLowerCase()));
}

function allowedHosts(digest: Digest): Set<string> {
  const hosts = new Set(INSIGHT_LINK_HOSTS);
  if (digest.dashboardUrl) hosts.add(new URL(digest.dashboardUrl).host);
  return hosts;
}

function hostAllowed(url: string, hosts: ReadonlySet<string>): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && hosts.has(u.host) && !/[|<>]/.test(u.href);
  } catch {
    return false;
  }
}

/** Slack's special mentions and user/channel/group references, drawn as plain text. */
export function neutralizeSlackMentions(text: string): string {
  return text
    .replace(/<!(channel|here|everyone)(\|[^>]*)?>/gi, '$1')
    .replace(/<!subteam\^[^>|]*(\|([^>]*))?>/gi, (_m, _l, label: string | undefined) => label ?? 'a group')
    .replace(/<!date\^[^>|]*(\|([^>]*))?>/gi, (_m, _l, label: string | undefined) => label ?? '')
    .replace(/<![^>]*>/g, '')
    .replace(/<@[UW][A-Z0-9]*(\|[^>]*)?>/gi, STANDIN)
    .replace(/<#C[A-Z0-9]*(\|([^>]*))?>/gi, (_m, _l, label: string | undefined) =>
      label ? `#${label}` : 'a channel',
    )
    .replace(/(^|[^\w`])@(channel|here|everyone)\b/gi, '$1$2');
}

/** Slack links `<url|label>`, Markdown links `[label](url)` and bare URLs: kept only for known hosts. */
export function neutralizeLinks(text: string, hosts: ReadonlySet<string>): string {
  return text
    .replace(/\[([^\]\n]{1,200})\]\((\S+?)\)/g, (_m, label: string, url: string) =>
      hostAllowed(url, hosts) ? `<${url}|${label}>` : label,
    )
    .replace(
      /<([a-z][a-z0-9+.-]*:[^>|\s]*)(\|([^>]*))?>/gi,
      (m, url: string, _l, label: string | undefined) => (hostAllowed(url, hosts) ? m : (label ?? 'a link')),
    )
    .replace(/(^|[\s(])((?:https?|ftp):\/\/[^\s<>|)]+)/gi, (m, lead: string, url: string) =>
      hostAllowed(url, hosts) ? m : `${lead}a link`,
    );
}

/**
 * People: the model is asked to write each one as `@name`; a handle, an e-mail address or a
 * pseudonym (`anon_…`, `u_…`) the digest does not show becomes "a teammate".
 */
export function removeUnknownPeople(text: string, shown: ReadonlySet<string>): string {
  return text
    .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, (email) => {
      const local = email.split('@')[0]!.toLowerCase();
      return shown.has(local) ? `@${local}` : STANDIN;
    })
    .replace(/(^|[^\w`</])@([\w.-]*\w)/g, (m, lead: string, name: string) =>
      shown.has(name.toLowerCase()) ? m : `${lead}${STANDIN}`,
    )
    .replace(/\b(anon_[0-9a-f]{6,}|u_[0-9a-f]{6,})\b/gi, (id) =>
      shown.has(id.toLowerCase()) ? id : STANDIN,
    );
}

/** Headings the model wrote: an "Insights" title is dropped (compose.ts draws one), others bold. */
export function singleHeading(text: string): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const heading = /^\s*(#{1,6}\s+|\*{1,2}\s*)?(:[a-z_]+:\s*)?(ai\s+)?insights?\s*:?\s*\**\s*$/i.test(
        line,
      );
      if (heading) return [];
      const md = /^\s*#{1,6}\s+(.*)$/.exec(line);
      return [md ? `*${md[1]!.replace(/\*/g, '')}*` : line];
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts at the last paragraph or line break before the cap. */
export function capLength(text: string, max = MAX_AUTO_INSIGHTS_CHARS): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const cut = Math.max(head.lastIndexOf('\n\n'), head.lastIndexOf('\n'));
  return cut > max / 2 ? head.slice(0, cut).trim() : clip(text, max);
}

export function cleanInsights(text: string, digest: Digest): string {
  const steps = [
    neutralizeSlackMentions,
    (t: string) => neutralizeLinks(t, allowedHosts(digest)),
    (t: string) => removeUnknownPeople(t, peopleShown(digest)),
    singleHeading,
    capLength,
  ];
  return steps.reduce((t, step) => step(t), text.replace(/\r\n?/g, '\n')).trim();
}
