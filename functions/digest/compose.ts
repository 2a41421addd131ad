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
  if (digest.insights) {
    parts.push(divider(), section('*:sparkles: Insights*'));
    for (const piece of splitIntoSections(neutralizeMentions(digest.insights))) parts.push(section(piece));
  }
  parts.push(divider(), footer(digest));
  return parts;
}

function totalsSection(digest: Digest): MessagePart {
  const t = digest.totals;
  const week = digest.period.days === 7;
  const row = (label: string, f: Figure, fmt: (n: number) => string) => [
    label,
    fmt(f.value),
    fmt(f.previous),
    formatChange(f),
  ];
  const intro =
    `*${formatCount(t.activeUsers.value)} ${t.activeUsers.value === 1 ? 'person' : 'people'}* used Claude Code ` +
    `in *${formatCount(t.sessions.value)} sessions* and *${formatCount(t.messages.value)} messages*, ` +
    `with ${formatCount(t.skills.value)} skill uses, ${formatCount(t.subagents.value)} subagent runs ` +
    `and ${formatCount(t.mcpCalls.value)} MCP calls.` +
    (t.output ? ` ${outputLine(t.output)}` : '');
  return tableSection({
    title: `*:busts_in_silhouette: Team totals*\n${intro}`,
    columns: [
      { header: '' },
      { header: week ? 'this week' : 'this period', align: 'right' },
      { header: week ? 'last week' : 'before', align: 'right' },
      { header: 'change', align: 'right' },
    ],
    rows: [
      row('Active people', t.activeUsers, formatCount),
      row('Sessions', t.sessions, formatCount),
      row('Messages', t.messages, formatCount),
      row('Skill uses', t.skills, formatCount),
      row('Subagent runs', t.subagents, formatCount),
      row('MCP calls', t.mcpCalls, formatCount),
      row('Cost (API-equiv.)', t.costUsd, formatUsd),
    ],
    maxRows: 7,
    noun: 'figures',
    note: '_Cost is API-equivalent USD: what the tokens would cost at API prices. Subscription plans are not billed per token._',
  });
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
    rows: rows.map((r) => [name(r.name), name(r.user), formatCount(r.count)]),
    maxRows: table.top,
    noun: table.noun,
  });
}

/** `name  uses  people  most by` with the leading user and their count. */
function usageSection(rows: readonly UsageRow[], table: UsageTable): MessagePart {
  return tableSection({
    title: table.title,
    columns: [
      { header: table.first },
      { header: table.count, align: 'right' },
      { header: 'people', align: 'right' },
      { header: 'most by' },
    ],
    rows: rows.map((r) => {
      const lead = r.users[0];
      return [
        name(r.name),
        formatCount(r.count),
        formatCount(r.people),
        lead ? `${name(lead.user)} (${formatCount(lead.count)})` : '',
      ];
    }),
    maxRows: table.top,
    noun: table.noun,
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
      { header: 'requests', align: 'right' },
      { header: 'share', align: 'right' },
      { header: 'cost', align: 'right' },
    ],
    rows: digest.models.map((m) => [
      name(m.model),
      formatCount(m.requests),
      formatShare(m.share),
      formatUsd(m.costUsd),
    ]),
    maxRows: TOP.models,
    noun: 'models',
    ...(cache ? { note: cache } : {}),
  });
}

function footer(digest: Digest): MessagePart {
  const where = digest.dashboardUrl
    ? `<${digest.dashboardUrl}|the team dashboard>`
    : 'the team dashboard (`npx claude-otel-lake dashboard`)';
  return context(
    `:mag: Your own numbers and more: ${where}, the \`claude_code_usage\` view in your BI tool, ` +
      'or `npx claude-otel-lake query --list`. Want your work counted too? Turn on Claude Code telemetry as the README shows.',
  );
}
