import type { DemoEvent } from '../../functions/demo/team-activity.ts';

/**
 * The digest's figures computed straight from the generated events, in TypeScript, without the
 * SQL: what a person counting the demo team's week by hand would find. It leans on how the
 * generator works rather than on the queries' logic: every skill invocation sends one
 * `api_request` attributed to the skill (`skill.name`), however it was triggered, so skill uses
 * are counted from those, not from `skill_activated` and Skill tool calls.
 */
export interface Figures {
  readonly activeUsers: number;
  readonly sessions: number;
  readonly messages: number;
  readonly skills: number;
  readonly subagents: number;
  readonly mcpCalls: number;
  readonly costUsd: number;
  /** `skill -> user -> uses`. */
  readonly skillUsers: Map<string, Map<string, number>>;
  readonly subagentUsers: Map<string, Map<string, number>>;
  readonly mcpUsers: Map<string, Map<string, number>>;
  readonly perUser: Map<string, { sessions: Set<string>; messages: number }>;
  readonly models: Map<string, { requests: number; costUsd: number }>;
  readonly cacheHitRate: number | null;
}

const user = (e: DemoEvent) => String(e.attributes['user.email']).split('@')[0]!;
const num = (v: unknown) => Number(v ?? 0);
const params = (e: DemoEvent): Record<string, string> =>
  typeof e.attributes.tool_parameters === 'string' ? JSON.parse(e.attributes.tool_parameters) : {};

function bump(map: Map<string, Map<string, number>>, key: string, who: string): void {
  const inner = map.get(key) ?? new Map<string, number>();
  map.set(key, inner);
  inner.set(who, (inner.get(who) ?? 0) + 1);
}

export function figuresOf(events: readonly DemoEvent[], from: Date, to: Date): Figures {
  const inWindow = events.filter((e) => e.timeMs >= from.getTime() && e.timeMs < to.getTime());
  const users = new Set<string>();
  const sessions = new Set<string>();
  const f = {
    messages: 0,
    skills: 0,
    subagents: 0,
    mcpCalls: 0,
    costUsd: 0,
    skillUsers: new Map<string, Map<string, number>>(),
    subagentUsers: new Map<string, Map<string, number>>(),
    mcpUsers: new Map<string, Map<string, number>>(),
    perUser: new Map<string, { sessions: Set<string>; messages: number }>(),
    models: new Map<string, { requests: number; costUsd: number }>(),
  };
  let cacheRead = 0;
  let input = 0;
  for (const e of inWindow) {
    const who = user(e);
    users.add(who);
    sessions.add(String(e.attributes['session.id']));
    const mine = f.perUser.get(who) ?? { sessions: new Set<string>(), messages: 0 };
    f.perUser.set(who, mine);
    mine.sessions.add(String(e.attributes['session.id']));
    const name = e.attributes['event.name'];
    if (name === 'user_prompt') {
      f.messages += 1;
      mine.messages += 1;
    }
    if (name === 'api_request') {
      const cost = num(e.attributes.cost_usd);
      f.costUsd += cost;
      cacheRead += num(e.attributes.cache_read_tokens);
      input += num(e.attributes.input_tokens);
      const model = String(e.attributes.model);
      const m = f.models.get(model) ?? { requests: 0, costUsd: 0 };
      f.models.set(model, { requests: m.requests + 1, costUsd: m.costUsd + cost });
      const skill = e.attributes['skill.name'];
      if (typeof skill === 'string') {
        f.skills += 1;
        bump(f.skillUsers, skill, who);
      }
    }
    if (name === 'tool_result' && (e.attributes.tool_name === 'Agent' || e.attributes.tool_name === 'Task')) {
      f.subagents += 1;
      bump(f.subagentUsers, params(e).subagent_type ?? 'general-purpose', who);
    }
    if (name === 'tool_result' && e.attributes.tool_name === 'mcp_tool') {
      f.mcpCalls += 1;
      bump(f.mcpUsers, params(e).mcp_server_name ?? 'unknown', who);
    }
  }
  return {
    ...f,
    activeUsers: users.size,
    sessions: sessions.size,
    cacheHitRate: cacheRead + input > 0 ? cacheRead / (cacheRead + input) : null,
  };
}

/** `{ name, count, people, users }` rows ranked as the digest ranks them (count, then name). */
export function ranked(map: Map<string, Map<string, number>>) {
  return [...map]
    .map(([name, users]) => ({
      name,
      count: [...users.values()].reduce((a, b) => a + b, 0),
      people: users.size,
      users: [...users]
        .map(([u, count]) => ({ user: u, count }))
        .sort((a, b) => b.count - a.count || a.user.localeCompare(b.user)),
    }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Code-point order, as SQL's ORDER BY sorts plain text (not the locale's order). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every `{ name, user, count }` pair, most first, ties by name and then user: the rows of the
 * digest's "who used which" tables, before they are cut.
 */
export function pairs(map: Map<string, Map<string, number>>) {
  return [...map]
    .flatMap(([name, users]) => [...users].map(([u, count]) => ({ name, user: u, count })))
    .sort((a, b) => b.count - a.count || byCodePoint(a.name, b.name) || byCodePoint(a.user, b.user));
}

/** The three people with the most sessions (then messages, then name). */
export function topBySessions(figures: Figures) {
  return [...figures.perUser]
    .map(([u, a]) => ({ user: u, sessions: a.sessions.size, messages: a.messages }))
    .sort((a, b) => b.sessions - a.sessions || b.messages - a.messages || a.user.localeCompare(b.user))
    .slice(0, 3);
}
