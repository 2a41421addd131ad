import { formatChange, formatCount, formatShare, formatUsd } from './format.ts';
import {
  context,
  divider,
  header,
  type MessagePart,
  section,
  splitIntoSections,
  tableSection,
} from './message-parts.ts';
import { codeCell, escapeMrkdwn, neutralizeMentions } from './mrkdwn.ts';
import { clip } from './slack-limits.ts';
import type { Digest, Figure, PairRow, UsageRow } from './types.ts';

/**
 * Lays a digest out as message parts, in the seed's order: header and window, team totals with
 * their change, who used which skills (skill x person), heavy users, who used which MCP servers
 * (server x person), subagents, models and cache, the insights when given, and where to look
 * further. Names only people who did something, and in the pair tables only the top pairs.
 */

/** How many rows each table shows before "+N more". */
export const TOP = { skills: 8, heavyUsers: 3, mcpServers: 5, subagents: 5, models: 5 } as const;

/** Longest name shown in a table cell; the lake allows 256. */
const MAX_NAME = 40;
const name = (text: string) => codeCell(clip(text, MAX_NAME));

export function title(digest: Digest): string {
  return digest.period.days === 7
    ? 'Claude Code weekly digest'
    : `Claude Code digest: last ${digest.period.days} days`;
}

export function composeDigest(digest: Digest): MessagePart[] {
  const { period } = digest;
  const parts: MessagePart[] = [
    header(`:bar_chart: ${title(digest)}`),
    context(
      `${period.label} · team time zone ${escapeMrkdwn(period.timeZone)} · compared with the ${period.days} days before`,
    ),
  ];
  if (digest.empty) {
    parts.push(
      section(
        ':seedling: No Claude Code activity reached the lake in this window, so there is nothing to celebrate yet. ' +
          'Once telemetry flows, the next digest will have the numbers. Have a good week!',
      ),
      footer(digest),
    );
    return parts;
  }
  parts.push(totalsSection(digest), divider());
  if (digest.skillUsers.length > 0) parts.push(pairSection(digest.skillUsers, skillsTable));
  if (digest.heavyUsers.length > 0) parts.push(heavyUsersSection(digest));
  if (digest.mcpUsers.length > 0) parts.push(pairSection(digest.mcpUsers, mcpTable));
  if (digest.subagents.length > 0) parts.push(usageSection(digest.subagents, subagentTable));
  if (digest.models.length > 0) parts.push(modelsSection(digest));
  const insights = digest.insights ? withoutOwnHeading(digest.insights) : '';
  if (insights) {
    parts.push(divider(), section('*:sparkles: Insights*'));
    for (const piece of splitIntoSections(neutralizeMentions(insights))) parts.push(section(piece));
  }
  parts.push(divider(), footer(digest));
  return parts;
}

/**
 * The totals as short lines, not a table, so they read on a phone without wrapping:
 *   Sessions *129* · +1% (128 last week)
 */
function totalsSection(digest: Digest): MessagePart {
  const t = digest.totals;
  const before = digest.period.days === 7 ? 'last week' : 'before';
  const row = (label: string, f: Figure, fmt: (n: number) => string) =>
    `${label} *${fmt(f.value)}* · ${formatChange(f)} (${fmt(f.previous)} ${before})`;
  const intro =
    `*${formatCount(t.activeUsers.value)} ${t.activeUsers.value === 1 ? 'person' : 'people'}* used Claude Code ` +
    `in *${formatCount(t.sessions.value)} sessions* and *${formatCount(t.messages.value)} messages*, ` +
    `with ${formatCount(t.skills.value)} skill uses, ${formatCount(t.subagents.value)} subagent runs ` +
    `and ${formatCount(t.mcpCalls.value)} MCP calls.` +
    (t.output ? ` ${outputLine(t.output)}` : '');
  return section(
    [
      `*:busts_in_silhouette: Team totals*\n${intro}`,
      row('Active people', t.activeUsers, formatCount),
      row('Sessions', t.sessions, formatCount),
      row('Messages', t.messages, formatCount),
      row('Skill uses', t.skills, formatCount),
      row('Subagent runs', t.subagents, formatCount),
      row('MCP calls', t.mcpCalls, formatCount),
      row('Cost', t.costUsd, formatUsd),
      '_Cost is API-equivalent USD: what the tokens would cost at API prices. Subscription plans are not billed per token._',
    ].join('\n'),
  );
}

/** The positive line from Claude Code's metrics: what it helped the team ship. */
export function outputLine(output: NonNullable<Digest['totals']['output']>): string {
  const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;
  return (
    `:rocket: Claude Code helped ship *${plural(output.linesAdded, 'line', 'lines')} of code*, ` +
    `${plural(output.commits, 'commit', 'commits')} and ${plural(output.pullRequests, 'pull request', 'pull requests')}.`
  );
}

interface UsageTable {
  readonly title: string;
  readonly first: string;
  readonly count: string;
  readonly noun: string;
  readonly top: number;
}

const skillsTable: UsageTable = {
  title: '*:hammer_and_wrench: Who used which skills*',
  first: 'skill',
  count: 'uses',
  noun: 'skill × person pairs',
  top: TOP.skills,
};
const mcpTable: UsageTable = {
  title: '*:electric_plug: Who used which MCP servers*',
  first: 'server',
  count: 'calls',
  noun: 'server × person pairs',
  top: TOP.mcpServers,
};
const subagentTable: UsageTable = {
  title: '*:robot_face: Subagents*',
  first: 'subagent',
  count: 'runs',
  noun: 'subagent types',
  top: TOP.subagents,
};

/**
 * `skill  person  uses`: one row per pair, in the digest's order (most first), cut to the top
 * rows with "+N more"; only the people in those top rows are named.
 */
function pairSection(rows: readonly PairRow[], table: UsageTable): MessagePart {
  return tableSection({
    title: table.title,
    columns: [{ header: table.first }, { header: 'person' }, { header: table.count, align: 'right' }],
    rows: rows.map((r) => [name(r.name), name(r.user), compactCount(r.count)]),
    maxRows: table.top,
    noun: table.noun,
  });
}

/** `name  runs  people`, and who used the first one most in a line under the table. */
function usageSection(rows: readonly UsageRow[], table: UsageTable): MessagePart {
  const first = rows[0];
  const lead = first?.users[0];
  return tableSection({
    title: table.title,
    columns: [
      { header: table.first },
      { header: table.count, align: 'right' },
      { header: 'people', align: 'right' },
    ],
    rows: rows.map((r) => [name(r.name), compactCount(r.count), compactCount(r.people)]),
    maxRows: table.top,
    noun: table.noun,
    ...(first && lead
      ? {
          note: `_Most ${escapeMrkdwn(clip(first.name, MAX_NAME))} ${table.count}: ${escapeMrkdwn(clip(lead.user, MAX_NAME))} (${formatCount(lead.count)})._`,
        }
      : {}),
  });
}

function heavyUsersSection(digest: Digest): MessagePart {
  const lines = digest.heavyUsers.slice(0, TOP.heavyUsers).map((u, i) => {
    const skill = u.topSkill ? ` · go-to skill \`${name(u.topSkill)}\`` : '';
    return `${i + 1}. *${escapeMrkdwn(clip(u.user, MAX_NAME))}*: ${formatCount(u.sessions)} sessions, ${formatCount(u.messages)} messages${skill}`;
  });
  return section(
    [`*:star2: Most active ${digest.period.days === 7 ? 'this week' : 'in this period'}*`, ...lines].join(
      '\n',
    ),
  );
}

function modelsSection(digest: Digest): MessagePart {
  const cache =
    digest.cacheHitRate === null
      ? undefined
      : `Prompt cache hit rate: *${formatShare(digest.cacheHitRate)}* of input tokens were read from the cache.`;
  return tableSection({
    title: '*:brain: Models*',
    columns: [
      { header: 'model' },
      { header: 'reqs', align: 'right' },
      { header: 'share', align: 'right' },
      { header: 'cost', align: 'right' },
    ],
    rows: digest.models.map((m) => [
      name(shortModel(m.model)),
      compactCount(m.requests),
      `${Math.round(m.share * 100)}%`,
      compactUsd(m.costUsd),
    ]),
    maxRows: TOP.models,
    noun: 'models',
    ...(cache ? { note: cache } : {}),
  });
}

/** A count for a narrow table: exact up to 99,999, then `123k`, `1.2M`. */
export function compactCount(n: number): string {
  return Math.abs(n) < 100_000 ? formatCount(n) : thousands(n);
}

const thousands = (n: number): string =>
  Math.abs(n) < 999_500 ? `${Math.round(n / 1000)}k` : `${(n / 1_000_000).toFixed(1)}M`;

/** Dollars for a narrow table: to the cent up to $9,999.99, then `$12k`, `$1.2M`. */
export function compactUsd(n: number): string {
  return Math.abs(n) < 10_000 ? formatUsd(n) : `$${thousands(n)}`;
}

/** `claude-opus-4-5-20251101` -> `opus-4-5`: the family and version a reader knows it by. */
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** Insights text whose first line is its own "Insights" heading: that line goes (the digest has one). */
export function withoutOwnHeading(text: string): string {
  const lines = text.trim().split('\n');
  const heading =
    /^\s*(#{1,6}\s*)?[*_~]*\s*(:[a-z0-9_+-]+:\s*)?(key\s+)?insights?\s*[*_~]*\s*:?\s*[*_~]*\s*$/i;
  return (heading.test(lines[0] ?? '') ? lines.slice(1) : lines).join('\n').trim();
}

/** Where to look further: the dashboard link when its address is known, a plain sentence otherwise. */
function footer(digest: Digest): MessagePart {
  const where = digest.dashboardUrl
    ? `Your own numbers and more are on <${digest.dashboardUrl}|the team dashboard>.`
    : 'Your own numbers and more are on the team dashboard; ask whoever runs claude-otel-lake for its address.';
  return context(
    `:mag: ${where} Not counted yet? Ask them for the Claude Code telemetry settings to paste into ~/.claude/settings.json.`,
  );
}
