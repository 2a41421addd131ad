import { localPart } from '../schema/email.ts';
import { figure } from './format.ts';
import type {
  Digest,
  DigestPeriod,
  DigestTotals,
  HeavyUser,
  ModelRow,
  PairRow,
  UsageRow,
  UserCount,
} from './types.ts';

/**
 * Builds the digest model from figures the named queries returned (see from-queries.ts). Pure:
 * the same inputs give the same digest, whatever engine ran the SQL.
 *
 * People are shown by the local part of their e-mail (a pseudonym stays as it is) and only when
 * they did something: rankings run from the top, and nobody with zero activity is listed.
 */
export interface TotalsInput {
  readonly activeUsers: number;
  readonly sessions: number;
  readonly messages: number;
  readonly skills: number;
  readonly subagents: number;
  readonly mcpCalls: number;
  readonly costUsd: number;
  /** What Claude Code produced (team_totals' metrics line); absent when the query has no such columns. */
  readonly output?: OutputInput;
}

export interface OutputInput {
  readonly linesAdded: number;
  readonly commits: number;
  readonly pullRequests: number;
}

/** One `name x user` count, e.g. `{ name: 'create-pr', user: 'kasama@example.com', count: 12 }`. */
export interface PairInput {
  readonly name: string;
  readonly user: string | null;
  readonly count: number;
}

export interface UserActivityInput {
  readonly user: string | null;
  readonly sessions: number;
  readonly messages: number;
}

export interface ModelInput {
  readonly model: string;
  readonly requests: number;
  readonly costUsd: number;
}

export interface DigestInputs {
  readonly totals: TotalsInput;
  readonly previousTotals: TotalsInput;
  /** Whether the lake holds data from the start of the window before; else there is nothing to compare. */
  readonly previousCovered?: boolean;
  readonly skillUsers: readonly PairInput[];
  readonly subagentUsers: readonly PairInput[];
  readonly mcpUsers: readonly PairInput[];
  readonly userActivity: readonly UserActivityInput[];
  readonly models: readonly ModelInput[];
  /** Team cache hit rate 0..1, `null` without API requests. */
  readonly cacheHitRate: number | null;
}

export interface DigestContext {
  readonly period: DigestPeriod;
  readonly generatedAt: Date;
  readonly dashboardUrl?: string | null;
  readonly insights?: string | null;
}

/** How a person appears: `kasama@example.com` -> `kasama`; `u_3f9a...` stays. */
export const displayName = (user: string): string => localPart(user.trim());

const byCountThenName =
  <T extends { count: number }>(key: (t: T) => string) =>
  (a: T, b: T) =>
    b.count - a.count || key(a).localeCompare(key(b));

/** Groups `name x user` pairs into ranked rows, each with its users ranked. */
export function usageRows(pairs: readonly PairInput[]): UsageRow[] {
  const byName = new Map<string, Map<string, number>>();
  for (const pair of pairs) {
    if (!(pair.count > 0) || !pair.name) continue;
    const users = byName.get(pair.name) ?? new Map<string, number>();
    byName.set(pair.name, users);
    const who = pair.user ? displayName(pair.user) : '';
    users.set(who, (users.get(who) ?? 0) + pair.count);
  }
  const rows = [...byName].map(([name, users]): UsageRow => {
    const ranked: UserCount[] = [...users]
      .filter(([user]) => user !== '')
      .map(([user, count]) => ({ user, count }))
      .sort(byCountThenName((u) => u.user));
    const count = [...users.values()].reduce((sum, n) => sum + n, 0);
    return { name, count, people: ranked.length, users: ranked };
  });
  return rows.sort(byCountThenName((r) => r.name));
}

/**
 * `name x user` pairs as table rows: people by display name, pairs without a person or a use
 * left out, and pairs that come to the same shown name (`bo@a.com` and `bo@b.com` are both `bo`)
 * merged. Ranked by count; the sort is stable, so equal counts keep the order the query gave
 * them (`top_skills` and `top_mcp_servers` order ties by name, then person).
 */
export function pairRows(pairs: readonly PairInput[]): PairRow[] {
  const merged = new Map<string, PairRow>();
  for (const pair of pairs) {
    if (!(pair.count > 0) || !pair.name || !pair.user) continue;
    const user = displayName(pair.user);
    if (!user) continue;
    const key = JSON.stringify([pair.name, user]);
    merged.set(key, { name: pair.name, user, count: (merged.get(key)?.count ?? 0) + pair.count });
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

/** The top three people by sessions, each with the skill they used most. */
export function heavyUsers(activity: readonly UserActivityInput[], skills: readonly UsageRow[]): HeavyUser[] {
  const merged = new Map<string, { sessions: number; messages: number }>();
  for (const a of activity) {
    if (!a.user || !(a.sessions > 0)) continue;
    const name = displayName(a.user);
    const m = merged.get(name) ?? { sessions: 0, messages: 0 };
    merged.set(name, { sessions: m.sessions + a.sessions, messages: m.messages + a.messages });
  }
  return [...merged]
    .sort(([an, a], [bn, b]) => b.sessions - a.sessions || b.messages - a.messages || an.localeCompare(bn))
    .slice(0, 3)
    .map(([user, a]) => ({ user, ...a, topSkill: topSkillOf(user, skills) }));
}

function topSkillOf(user: string, skills: readonly UsageRow[]): string | null {
  let best: { name: string; count: number } | null = null;
  for (const row of skills) {
    const mine = row.users.find((u) => u.user === user);
    if (mine && (!best || mine.count > best.count)) best = { name: row.name, count: mine.count };
  }
  return best?.name ?? null;
}

function modelRows(models: readonly ModelInput[]): ModelRow[] {
  const total = models.reduce((sum, m) => sum + m.requests, 0);
  return models
    .filter((m) => m.requests > 0)
    .map((m) => ({ model: m.model, requests: m.requests, costUsd: m.costUsd, share: m.requests / total }))
    .sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
}

function totals(current: TotalsInput, previous: TotalsInput, covered: boolean): DigestTotals {
  const f = (key: Exclude<keyof TotalsInput, 'output'>) => figure(current[key], previous[key], covered);
  return {
    activeUsers: f('activeUsers'),
    sessions: f('sessions'),
    messages: f('messages'),
    skills: f('skills'),
    subagents: f('subagents'),
    mcpCalls: f('mcpCalls'),
    costUsd: f('costUsd'),
    // Shown only when there is something to celebrate: no metrics, no line.
    ...(current.output && current.output.linesAdded + current.output.commits + current.output.pullRequests > 0
      ? { output: current.output }
      : {}),
  };
}

export function buildDigest(inputs: DigestInputs, ctx: DigestContext): Digest {
  const t = inputs.totals;
  const skills = usageRows(inputs.skillUsers);
  return {
    period: ctx.period,
    empty: t.activeUsers === 0 && t.sessions === 0 && t.messages === 0 && t.costUsd === 0,
    totals: totals(t, inputs.previousTotals, inputs.previousCovered ?? true),
    skills,
    skillUsers: pairRows(inputs.skillUsers),
    subagents: usageRows(inputs.subagentUsers),
    mcpServers: usageRows(inputs.mcpUsers),
    mcpUsers: pairRows(inputs.mcpUsers),
    heavyUsers: heavyUsers(inputs.userActivity, skills),
    models: modelRows(inputs.models),
    cacheHitRate: inputs.cacheHitRate,
    dashboardUrl: ctx.dashboardUrl ?? null,
    insights: ctx.insights?.trim() ? ctx.insights.trim() : null,
    generatedAt: ctx.generatedAt.toISOString(),
  };
}
