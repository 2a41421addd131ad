/**
 * The digest as data: what `digest --format json` prints and what the Slack and text renderers
 * draw. Built from named query results only (build-digest.ts); holds no prompt, command, path or
 * tool input, because the lake has none and the queries select none.
 *
 * Positive framing is a property of the model, not of the renderers: it lists only the people
 * who did something (heavy users, skill and MCP users), ranked from the top, and never a "least"
 * list or anyone without activity.
 */

/** The window reported on, half-open `[from, to)`, in the team time zone. */
export interface DigestPeriod {
  /** ISO instant, inclusive. */
  readonly from: string;
  /** ISO instant, exclusive. */
  readonly to: string;
  readonly days: number;
  /** IANA zone the window's days follow, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** For people: `Mon 5 Jan – Sun 11 Jan 2026`. */
  readonly label: string;
}

/** A team total in this window and the previous one of the same length. */
export interface Figure {
  readonly value: number;
  readonly previous: number;
  /** Change in percent, `null` when the previous window had none or is not covered. */
  readonly changePct: number | null;
  /** `false` when the lake does not reach back to the start of the previous window ("no earlier data"). */
  readonly previousCovered?: false;
}

export interface DigestTotals {
  readonly activeUsers: Figure;
  readonly sessions: Figure;
  readonly messages: Figure;
  readonly skills: Figure;
  readonly subagents: Figure;
  readonly mcpCalls: Figure;
  /** API-equivalent USD: what the tokens would cost at API prices, not what a plan bills. */
  readonly costUsd: Figure;
  /** Lines added, commits and PRs Claude Code made (from its metrics), when there were any. */
  readonly output?: { readonly linesAdded: number; readonly commits: number; readonly pullRequests: number };
}

/** A person's count of one thing, e.g. `{ user: 'kasama', count: 12 }`. */
export interface UserCount {
  readonly user: string;
  readonly count: number;
}

/** A skill, subagent type or MCP server, its total and who used it most (descending). */
export interface UsageRow {
  readonly name: string;
  readonly count: number;
  /** How many different people used it. */
  readonly people: number;
  /** Its users, most uses first (ties by name). */
  readonly users: readonly UserCount[];
}

/**
 * One person's count of one skill or MCP server, e.g. `{ name: 'create-pr', user: 'kasama',
 * count: 12 }`: a row of the "who used which" tables.
 */
export interface PairRow {
  readonly name: string;
  readonly user: string;
  readonly count: number;
}

export interface HeavyUser {
  readonly user: string;
  readonly sessions: number;
  readonly messages: number;
  /** The skill this person used most, when they used any. */
  readonly topSkill: string | null;
}

export interface ModelRow {
  readonly model: string;
  readonly requests: number;
  readonly costUsd: number;
  /** Share of all API requests in the window, 0..1. */
  readonly share: number;
}

export interface Digest {
  readonly period: DigestPeriod;
  /** True when the window holds no activity at all: the renderers then say so kindly. */
  readonly empty: boolean;
  readonly totals: DigestTotals;
  /** Skills ranked by uses, with their totals (all of them; renderers cut to their limits). */
  readonly skills: readonly UsageRow[];
  /**
   * Skill x person pairs, most uses first, ties in the query's order (skill, then person): what
   * the "Who used which skills" table shows, cut to its top rows. All of them.
   */
  readonly skillUsers: readonly PairRow[];
  readonly subagents: readonly UsageRow[];
  /** MCP servers ranked by calls, with their totals. */
  readonly mcpServers: readonly UsageRow[];
  /** MCP server x person pairs, most calls first, ties in the query's order: the MCP table. */
  readonly mcpUsers: readonly PairRow[];
  /** Top people by sessions (at most three). */
  readonly heavyUsers: readonly HeavyUser[];
  readonly models: readonly ModelRow[];
  /** Cache reads over (input + cache reads), 0..1; `null` without API requests. */
  readonly cacheHitRate: number | null;
  /** Where to look further: a dashboard URL, or `null` for the built-in pointer. */
  readonly dashboardUrl: string | null;
  /** Insights written elsewhere (the usage-digest skill), as Slack mrkdwn; `null` without. */
  readonly insights: string | null;
  /** When the digest was built, ISO. */
  readonly generatedAt: string;
}
