import { expect } from 'vitest';
import { localPart } from '../../functions/schema/email.ts';
import type { Row } from '../../functions/schema/row.ts';
import type { QueryWindow, SqlRow, SqlValue } from '../../functions/sql/engine.ts';
import { zonedDate } from '../../functions/sql/zoned-time.ts';

/**
 * The answers to the named queries computed in plain TypeScript from the sanitized rows: an
 * independent statement of what each query means, to hold the SQL to.
 */
type R = Row;

export const inWindow = (w: QueryWindow) => (r: R) =>
  r.event_time !== undefined && r.event_time >= w.from.getTime() && r.event_time < w.to.getTime();

export const userOf = (r: R): string | undefined =>
  r.user_email === undefined ? undefined : localPart(r.user_email);

const isSubagent = (r: R) =>
  r.event_name === 'tool_result' && (r.tool_name === 'Agent' || r.tool_name === 'Task');
const isMcp = (r: R) => r.event_name === 'tool_result' && r.tool_name === 'mcp_tool';
const isSkillCall = (r: R) => r.event_name === 'tool_result' && r.tool_name === 'Skill';
const sum = (rows: readonly R[], f: (r: R) => number | undefined) =>
  rows.reduce((a, r) => a + (f(r) ?? 0), 0);
const count = (rows: readonly R[], f: (r: R) => boolean) => rows.filter(f).length;
const distinct = (rows: readonly R[], f: (r: R) => string | undefined) =>
  new Set(rows.map(f).filter((v) => v !== undefined)).size;

function groupBy<K>(rows: readonly R[], key: (r: R) => K): Map<K, R[]> {
  const m = new Map<K, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/**
 * Skill activations as the generator makes them: a user-slash one is a lone skill_activated, a
 * project-local one a lone Skill tool call, a proactive one a skill_activated followed by its Skill
 * tool call in the same prompt. Each activation lists its events; it counts in a window when any
 * of its events is in it.
 */
export function skillActivations(all: readonly R[]): R[][] {
  const sorted = [...all].sort((a, b) => (a.event_time ?? 0) - (b.event_time ?? 0));
  const activations: R[][] = [];
  const pending = new Map<string, R[][]>();
  const keyOf = (r: R) => `${r.session_id}|${r.prompt_id}|${r.skill_name ?? 'custom_skill'}`;
  for (const r of sorted) {
    if (r.event_name === 'skill_activated') {
      const activation = [r];
      activations.push(activation);
      if (r.invocation_trigger !== 'user-slash') {
        const list = pending.get(keyOf(r)) ?? [];
        list.push(activation);
        pending.set(keyOf(r), list);
      }
    } else if (isSkillCall(r)) {
      const announced = pending.get(keyOf(r))?.shift();
      if (announced) announced.push(r);
      else activations.push([r]);
    }
  }
  return activations;
}

function activationsIn(all: readonly R[], w: QueryWindow): { user: string | undefined; skill: string }[] {
  const within = inWindow(w);
  return skillActivations(all)
    .filter((events) => events.some(within))
    .map((events) => ({ user: userOf(events[0]!), skill: events[0]!.skill_name ?? 'custom_skill' }));
}

export function teamTotals(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = all.filter(inWindow(w));
  return [
    {
      cost_usd: sum(rows, (r) => r.cost_usd),
      messages: count(rows, (r) => r.event_name === 'user_prompt'),
      skills: activationsIn(all, w).length,
      subagents: count(rows, isSubagent),
      mcp_calls: count(rows, isMcp),
      active_users: distinct(rows, userOf),
      sessions: distinct(rows, (r) => r.session_id),
      api_requests: count(rows, (r) => r.event_name === 'api_request'),
      input_tokens: sum(rows, (r) => r.input_tokens),
      output_tokens: sum(rows, (r) => r.output_tokens),
      cache_read_tokens: sum(rows, (r) => r.cache_read_tokens),
      cache_creation_tokens: sum(rows, (r) => r.cache_creation_tokens),
      // This lake holds events only: the metrics line is zero here; test/metrics checks it with metrics.
      lines_added: 0,
      lines_removed: 0,
      commits: 0,
      pull_requests: 0,
      active_hours: 0,
    },
  ];
}

const family = (r: R, f: string) =>
  r.event_name === 'api_request' && (r.model ?? '').toLowerCase().includes(f);

export function perUserActivity(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = all.filter((r) => inWindow(w)(r) && r.user_email !== undefined);
  const skills = new Map<string, number>();
  for (const a of activationsIn(all, w)) if (a.user) skills.set(a.user, (skills.get(a.user) ?? 0) + 1);
  return [...groupBy(rows, (r) => userOf(r)!)]
    .map(([user, rs]) => {
      const cost = sum(rs, (r) => r.cost_usd);
      const messages = count(rs, (r) => r.event_name === 'user_prompt');
      const input = sum(rs, (r) => r.input_tokens);
      const cacheRead = sum(rs, (r) => r.cache_read_tokens);
      const plans = rs
        .map((r) => r.user_plan)
        .filter((p) => p !== undefined)
        .sort();
      return {
        user_name: user,
        plan: plans.at(-1) ?? null,
        cost_usd: cost,
        sessions: distinct(rs, (r) => r.session_id),
        messages,
        skills: skills.get(user) ?? 0,
        subagents: count(rs, isSubagent),
        mcp_calls: count(rs, isMcp),
        opus_calls: count(rs, (r) => family(r, 'opus')),
        sonnet_calls: count(rs, (r) => family(r, 'sonnet')),
        haiku_calls: count(rs, (r) => family(r, 'haiku')),
        cost_per_message: messages ? cost / messages : null,
        cache_hit_pct: input + cacheRead ? (100 * cacheRead) / (input + cacheRead) : null,
      };
    })
    .sort((a, b) => b.cost_usd - a.cost_usd || cmp(a.user_name, b.user_name));
}

export function dailyCostPerUser(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = all.filter(
    (r) =>
      inWindow(w)(r) &&
      r.event_name === 'api_request' &&
      r.cost_usd !== undefined &&
      r.user_email !== undefined,
  );
  const top = [...groupBy(rows, (r) => userOf(r)!)]
    .map(([user, rs]) => ({ user, cost: sum(rs, (r) => r.cost_usd) }))
    .sort((a, b) => b.cost - a.cost || cmp(a.user, b.user))
    .slice(0, 10)
    .map((u) => u.user);
  return [...groupBy(rows, (r) => `${zonedDate(r.event_time!, w.timeZone)}|${userOf(r)}`)]
    .map(([key, rs]) => {
      const [day, user] = key.split('|') as [string, string];
      return { day, user_name: user, cost_usd: sum(rs, (r) => r.cost_usd) };
    })
    .filter((r) => top.includes(r.user_name))
    .sort((a, b) => cmp(a.day, b.day) || cmp(a.user_name, b.user_name));
}

export function topSkills(all: readonly R[], w: QueryWindow): SqlRow[] {
  const counts = new Map<string, number>();
  for (const a of activationsIn(all, w)) {
    if (a.user === undefined) continue;
    const key = `${a.skill}|${a.user}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, n]) => {
      const [skill_name, user_name] = key.split('|') as [string, string];
      return { skill_name, user_name, activations: n };
    })
    .sort(
      (a, b) =>
        b.activations - a.activations || cmp(a.skill_name, b.skill_name) || cmp(a.user_name, b.user_name),
    );
}

function callsBy(
  all: readonly R[],
  w: QueryWindow,
  pick: (r: R) => boolean,
  name: (r: R) => string,
  column: string,
) {
  const rows = all.filter((r) => inWindow(w)(r) && pick(r) && r.user_email !== undefined);
  return [...groupBy(rows, (r) => `${name(r)}|${userOf(r)}`)]
    .map(([key, rs]) => {
      const [n, user_name] = key.split('|') as [string, string];
      return { [column]: n, user_name, calls: rs.length } as Record<string, SqlValue> & { calls: number };
    })
    .sort(
      (a, b) =>
        b.calls - a.calls ||
        cmp(String(a[column]), String(b[column])) ||
        cmp(String(a.user_name), String(b.user_name)),
    );
}

export const topSubagents = (all: readonly R[], w: QueryWindow): SqlRow[] =>
  callsBy(all, w, isSubagent, (r) => r.subagent_type ?? 'general-purpose', 'subagent_type');

export const topMcpServers = (all: readonly R[], w: QueryWindow): SqlRow[] =>
  callsBy(all, w, isMcp, (r) => r.mcp_server_name ?? 'unknown', 'mcp_server_name');

export function topModels(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = all.filter((r) => inWindow(w)(r) && r.event_name === 'api_request' && r.model !== undefined);
  return [...groupBy(rows, (r) => r.model!)]
    .map(([model, rs]) => ({
      model,
      requests: rs.length,
      users: distinct(rs, userOf),
      cost_usd: sum(rs, (r) => r.cost_usd),
      input_tokens: sum(rs, (r) => r.input_tokens),
      output_tokens: sum(rs, (r) => r.output_tokens),
      cache_read_tokens: sum(rs, (r) => r.cache_read_tokens),
      cache_creation_tokens: sum(rs, (r) => r.cache_creation_tokens),
    }))
    .sort((a, b) => b.requests - a.requests || cmp(a.model, b.model));
}

function costBy(all: readonly R[], w: QueryWindow, column: 'skill_name' | 'agent_name' | 'mcp_server_name') {
  const rows = all.filter((r) => inWindow(w)(r) && r.event_name === 'api_request' && r[column] !== undefined);
  return [...groupBy(rows, (r) => r[column]!)]
    .map(([name, rs]) => ({
      [column]: name,
      requests: rs.length,
      users: distinct(rs, userOf),
      cost_usd: sum(rs, (r) => r.cost_usd),
    }))
    .sort((a, b) => b.cost_usd - a.cost_usd || cmp(String(a[column]), String(b[column])));
}

export const costBySkill = (all: readonly R[], w: QueryWindow) => costBy(all, w, 'skill_name');
export const costByAgent = (all: readonly R[], w: QueryWindow) => costBy(all, w, 'agent_name');
export const costByMcpServer = (all: readonly R[], w: QueryWindow) => costBy(all, w, 'mcp_server_name');

export function toolSuccessRate(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = all.filter(
    (r) => inWindow(w)(r) && r.event_name === 'tool_result' && r.tool_name !== undefined,
  );
  return [...groupBy(rows, (r) => r.tool_name!)]
    .map(([tool_name, rs]) => {
      const successes = count(rs, (r) => r.tool_success === true);
      return {
        tool_name,
        calls: rs.length,
        successes,
        failures: count(rs, (r) => r.tool_success === false),
        success_rate: successes / rs.length,
      };
    })
    .sort((a, b) => b.calls - a.calls || cmp(a.tool_name, b.tool_name));
}

export function apiErrors(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = all.filter((r) => inWindow(w)(r) && r.event_name === 'api_error');
  return [...groupBy(rows, (r) => `${r.status_code ?? ''}|${r.model ?? ''}`)]
    .map(([, rs]) => ({
      status_code: rs[0]!.status_code ?? null,
      model: rs[0]!.model ?? null,
      errors: rs.length,
      users: distinct(rs, userOf),
    }))
    .sort(
      (a, b) =>
        b.errors - a.errors ||
        (a.status_code ?? 0) - (b.status_code ?? 0) ||
        cmp(a.model ?? '', b.model ?? ''),
    );
}

export function claudeCodeVersions(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = all.filter((r) => inWindow(w)(r) && r.user_email !== undefined && r.app_version !== undefined);
  return [...groupBy(rows, (r) => `${userOf(r)}|${r.app_version}`)]
    .map(([key, rs]) => {
      const [user_name, app_version] = key.split('|') as [string, string];
      return {
        user_name,
        app_version,
        sessions: distinct(rs, (r) => r.session_id),
        events: rs.length,
        last_seen: new Date(Math.max(...rs.map((r) => r.event_time!))).toISOString(),
      };
    })
    .sort((a, b) => cmp(a.user_name, b.user_name) || cmp(a.app_version, b.app_version));
}

export function weekOverWeek(all: readonly R[], w: QueryWindow): SqlRow[] {
  const span = w.to.getTime() - w.from.getTime();
  const prev: QueryWindow = { ...w, from: new Date(w.from.getTime() - span), to: w.from };
  const [cur] = teamTotals(all, w) as [Record<string, number>];
  const [old] = teamTotals(all, prev) as [Record<string, number>];
  return [
    'cost_usd',
    'messages',
    'sessions',
    'active_users',
    'api_requests',
    'skills',
    'subagents',
    'mcp_calls',
  ].map((metric) => ({
    metric,
    current_value: cur[metric]!,
    previous_value: old[metric]!,
    change_pct: old[metric] ? (100 * (cur[metric]! - old[metric]!)) / old[metric]! : null,
  }));
}

/** Every named query and its TypeScript reference. */
export const REFERENCES: Readonly<Record<string, (rows: readonly R[], w: QueryWindow) => SqlRow[]>> = {
  team_totals: teamTotals,
  per_user_activity: perUserActivity,
  daily_cost_per_user: dailyCostPerUser,
  top_skills: topSkills,
  top_subagents: topSubagents,
  top_mcp_servers: topMcpServers,
  top_models: topModels,
  cost_by_skill: costBySkill,
  cost_by_agent: costByAgent,
  cost_by_mcp_server: costByMcpServer,
  tool_success_rate: toolSuccessRate,
  api_errors: apiErrors,
  claude_code_versions: claudeCodeVersions,
  week_over_week: weekOverWeek,
  // The metrics queries over an events-only lake; with metrics: test/metrics/productivity.test.ts.
  productivity: () => [],
  code_edit_acceptance: () => [],
  cost_per_output: (all, w) => [
    {
      cost_usd: sum(all.filter(inWindow(w)), (r) => r.cost_usd),
      lines_added: 0,
      pull_requests: 0,
      cost_per_line_added: null,
      cost_per_pull_request: null,
    },
  ],
};

/** Code-point order, as DuckDB and Trino sort VARCHAR. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Same rows in the same order; numbers equal to 1e-9 relative (sums of doubles differ in order). */
export function expectRowsClose(actual: readonly SqlRow[], expected: readonly SqlRow[], label: string): void {
  expect(actual.length, `${label}: row count`).toBe(expected.length);
  actual.forEach((row, i) => {
    const want = expected[i]!;
    expect(Object.keys(row), `${label}: columns`).toEqual(Object.keys(want));
    for (const [key, value] of Object.entries(want)) {
      const got = row[key];
      if (typeof value === 'number' && typeof got === 'number') {
        expect(Math.abs(got - value), `${label} row ${i} ${key}: ${got} vs ${value}`).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(value)),
        );
      } else {
        expect(got, `${label} row ${i} ${key}`).toEqual(value);
      }
    }
  });
}
