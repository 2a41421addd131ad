import { expect } from 'vitest';
import { localPart } from '../../functions/schema/email.ts';
import type { Row } from '../../functions/schema/row.ts';
import type { QueryWindow, SqlRow, SqlValue } from '../../functions/sql/engine.ts';
import { zonedDate } from '../../functions/sql/zoned-time.ts';

/**
 * The answers to the named queries computed in plain TypeScript from the sanitized rows: an
 * independent statement of what each query means, to hold the SQL to. The definitions, in words:
 *
 * - each event once: copies with the same event_id in the same day partition are one event;
 * - a person is the local part of the e-mail, else the pseudonym; nobody is left out;
 * - a session counts in a window when it has a prompt or an API request there;
 * - a message is a prompt that is not a background task's report;
 * - a skill activation counts once, where it is announced (skill_activated), or at its Skill tool
 *   call when nothing announced it (see skillActivationEvents);
 * - the filters (person, model id or family, skill) keep only the events that match.
 */
type R = Row;

const dayOf = (r: R) => new Date(r.event_time ?? 0).toISOString().slice(0, 10);

/** The rows without their copies: the first of each (day, event_id). */
export function distinctEvents(all: readonly R[]): R[] {
  const seen = new Set<string>();
  const out: R[] = [];
  for (const r of [...all].sort((a, b) => (a.event_time ?? 0) - (b.event_time ?? 0))) {
    if (r.event_id !== undefined) {
      const key = `${dayOf(r)}|${r.event_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(r);
  }
  return out;
}

export const userOf = (r: R): string | undefined => {
  const who = r.user_email ?? r.user_pseudonym;
  return who === undefined ? undefined : localPart(who);
};

const familyOf = (model: string | undefined): string | undefined => {
  if (model === undefined) return undefined;
  const m = model.toLowerCase();
  return ['opus', 'sonnet', 'haiku'].find((f) => m.includes(f)) ?? 'other';
};
const isSkillEvent = (r: R) =>
  r.event_name === 'skill_activated' || (r.event_name === 'tool_result' && r.tool_name === 'Skill');
const skillOf = (r: R): string | undefined =>
  isSkillEvent(r) ? (r.skill_name ?? 'custom_skill') : r.skill_name;

const isSubagent = (r: R) =>
  r.event_name === 'tool_result' && (r.tool_name === 'Agent' || r.tool_name === 'Task');
const isMcp = (r: R) => r.event_name === 'tool_result' && r.tool_name === 'mcp_tool';
const isMessage = (r: R) => r.event_name === 'user_prompt' && r.prompt_kind !== 'task_notification';
const activeSession = (r: R) =>
  r.event_name === 'user_prompt' || r.event_name === 'api_request' ? r.session_id : undefined;
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
 * The events at which skill activations count. Per (day, session, prompt, skill): every
 * skill_activated is an activation; a user-slash one has no tool call, any other one is followed
 * (or preceded) by its Skill tool call. So the earliest calls, as many as there are non-slash
 * announcements, belong to announced activations; each further call is an activation of its own
 * (a skill that announced nothing, as older Claude Code versions did for project-local skills).
 */
export function skillActivationEvents(all: readonly R[]): Set<R> {
  const counted = new Set<R>();
  const groups = groupBy(distinctEvents(all).filter(isSkillEvent), (r) =>
    [dayOf(r), r.session_id, r.prompt_id, skillOf(r)].join('|'),
  );
  for (const events of groups.values()) {
    const announced = events.filter((r) => r.event_name === 'skill_activated');
    for (const r of announced) counted.add(r);
    const nonSlash = announced.filter((r) => r.invocation_trigger !== 'user-slash').length;
    const calls = events
      .filter((r) => r.event_name === 'tool_result')
      .sort((a, b) => (a.event_time ?? 0) - (b.event_time ?? 0));
    for (const call of calls.slice(nonSlash)) counted.add(call);
  }
  return counted;
}

/** The rows a query sees: each event once, inside the window, matching the window's filters. */
export function windowRows(all: readonly R[], w: QueryWindow): R[] {
  const f = w.filters ?? {};
  return distinctEvents(all).filter(
    (r) =>
      r.event_time !== undefined &&
      r.event_time >= w.from.getTime() &&
      r.event_time < w.to.getTime() &&
      (!f.person || userOf(r) === f.person) &&
      (!f.model || r.model === f.model || familyOf(r.model) === f.model) &&
      (!f.skill || skillOf(r) === f.skill),
  );
}

export function teamTotals(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w);
  const skills = skillActivationEvents(all);
  return [
    {
      cost_usd: sum(rows, (r) => r.cost_usd),
      messages: count(rows, isMessage),
      skills: count(rows, (r) => skills.has(r)),
      subagents: count(rows, isSubagent),
      mcp_calls: count(rows, isMcp),
      active_users: distinct(rows, userOf),
      sessions: distinct(rows, activeSession),
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

const family = (r: R, f: string) => r.event_name === 'api_request' && familyOf(r.model) === f;

export function perUserActivity(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w).filter((r) => userOf(r) !== undefined);
  const skills = skillActivationEvents(all);
  return [...groupBy(rows, (r) => userOf(r)!)]
    .map(([user, rs]) => {
      const cost = sum(rs, (r) => r.cost_usd);
      const messages = count(rs, isMessage);
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
        sessions: distinct(rs, activeSession),
        messages,
        skills: count(rs, (r) => skills.has(r)),
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
  const rows = windowRows(all, w).filter(
    (r) => r.event_name === 'api_request' && r.cost_usd !== undefined && userOf(r) !== undefined,
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

/** Like dailyCostPerUser, for everyone (no top 10): the spike alerts' input. */
export function dailyCostPerPerson(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w).filter(
    (r) => r.event_name === 'api_request' && r.cost_usd !== undefined && userOf(r) !== undefined,
  );
  return [...groupBy(rows, (r) => `${zonedDate(r.event_time!, w.timeZone)}|${userOf(r)}`)]
    .map(([key, rs]) => {
      const [day, user] = key.split('|') as [string, string];
      return { day, user_name: user, cost_usd: sum(rs, (r) => r.cost_usd) };
    })
    .sort((a, b) => cmp(a.day, b.day) || cmp(a.user_name, b.user_name));
}

export function dailyActivity(all: readonly R[], w: QueryWindow): SqlRow[] {
  return [...groupBy(windowRows(all, w), (r) => zonedDate(r.event_time!, w.timeZone))]
    .map(([day, rs]) => ({
      day,
      active_people: distinct(rs, userOf),
      sessions: distinct(rs, activeSession),
      messages: count(rs, isMessage),
    }))
    .sort((a, b) => cmp(a.day, b.day));
}

export function topSkills(all: readonly R[], w: QueryWindow): SqlRow[] {
  const skills = skillActivationEvents(all);
  const rows = windowRows(all, w).filter((r) => skills.has(r) && userOf(r) !== undefined);
  return [...groupBy(rows, (r) => `${skillOf(r)}|${userOf(r)}`)]
    .map(([key, rs]) => {
      const [skill_name, user_name] = key.split('|') as [string, string];
      return { skill_name, user_name, activations: rs.length };
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
  const rows = windowRows(all, w).filter((r) => pick(r) && userOf(r) !== undefined);
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
  const rows = windowRows(all, w).filter((r) => r.event_name === 'api_request' && r.model !== undefined);
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
  const rows = windowRows(all, w).filter((r) => r.event_name === 'api_request' && r[column] !== undefined);
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
  const rows = windowRows(all, w).filter((r) => r.event_name === 'tool_result' && r.tool_name !== undefined);
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

export function toolAcceptanceRate(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w).filter(
    (r) => r.event_name === 'tool_decision' && r.tool_name !== undefined,
  );
  return [...groupBy(rows, (r) => r.tool_name!)]
    .map(([tool_name, rs]) => {
      const accepted = count(rs, (r) => r.tool_decision === 'accept');
      return {
        tool_name,
        decisions: rs.length,
        accepted,
        rejected: count(rs, (r) => r.tool_decision === 'reject'),
        acceptance_rate: accepted / rs.length,
      };
    })
    .sort((a, b) => b.decisions - a.decisions || cmp(a.tool_name, b.tool_name));
}

export function subagentRuns(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w).filter((r) => r.event_name === 'subagent_completed');
  return [...groupBy(rows, (r) => r.agent_type ?? 'unknown')]
    .map(([agent_type, rs]) => {
      const tokens = sum(rs, (r) => r.total_tokens);
      const tools = sum(rs, (r) => r.total_tool_uses);
      return {
        agent_type,
        runs: rs.length,
        users: distinct(rs, userOf),
        async_runs: count(rs, (r) => r.is_async === true),
        total_tokens: tokens,
        total_tool_uses: tools,
        tokens_per_run: tokens / rs.length,
        tool_uses_per_run: tools / rs.length,
      };
    })
    .sort((a, b) => b.total_tokens - a.total_tokens || cmp(a.agent_type, b.agent_type));
}

export function mcpConnectionFailures(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w).filter((r) => r.event_name === 'mcp_server_connection');
  const failed = (r: R) => !['connected', 'disconnected'].includes(r.mcp_connection_status ?? '');
  return [...groupBy(rows, (r) => `${r.mcp_connection_server ?? 'unknown'}|${r.mcp_transport ?? 'unknown'}`)]
    .map(([key, rs]) => {
      const [mcp_server_name, transport] = key.split('|') as [string, string];
      const failures = rs.filter(failed);
      return {
        mcp_server_name,
        transport,
        connections: rs.length,
        failures: failures.length,
        users: distinct(failures, userOf),
        last_failure: failures.length
          ? new Date(Math.max(...failures.map((r) => r.event_time!))).toISOString()
          : null,
      };
    })
    .filter((r) => r.failures > 0)
    .sort(
      (a, b) =>
        b.failures - a.failures || cmp(a.mcp_server_name, b.mcp_server_name) || cmp(a.transport, b.transport),
    );
}

export function timeToFirstToken(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w).filter(
    (r) => r.event_name === 'api_request' && r.ttft_ms !== undefined && r.model !== undefined,
  );
  return [...groupBy(rows, (r) => r.model!)]
    .map(([model, rs]) => {
      const ttft = rs.map((r) => r.ttft_ms!);
      return {
        model,
        requests: rs.length,
        avg_ttft_ms: ttft.reduce((a, b) => a + b, 0) / ttft.length,
        min_ttft_ms: Math.min(...ttft),
        max_ttft_ms: Math.max(...ttft),
      };
    })
    .sort((a, b) => b.avg_ttft_ms - a.avg_ttft_ms || cmp(a.model, b.model));
}

export function apiErrors(all: readonly R[], w: QueryWindow): SqlRow[] {
  const rows = windowRows(all, w).filter((r) => r.event_name === 'api_error');
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
  const rows = windowRows(all, w).filter((r) => userOf(r) !== undefined && r.app_version !== undefined);
  return [...groupBy(rows, (r) => `${userOf(r)}|${r.app_version}`)]
    .map(([key, rs]) => {
      const [user_name, app_version] = key.split('|') as [string, string];
      return {
        user_name,
        app_version,
        sessions: distinct(rs, activeSession),
        events: rs.length,
        last_seen: new Date(Math.max(...rs.map((r) => r.event_time!))).toISOString(),
      };
    })
    .sort((a, b) => cmp(a.user_name, b.user_name) || cmp(a.app_version, b.app_version));
}

/**
 * This window against the one before, of the same length; when the window reaches past `asOf`,
 * the one before stops at the same distance from its start. Covered when the lake holds a row of
 * the UTC day of that window's first noon or earlier (it reaches back to within half a day).
 */
export function weekOverWeek(all: readonly R[], w: QueryWindow): SqlRow[] {
  const span = w.to.getTime() - w.from.getTime();
  const dataEnd = Math.min(w.to.getTime(), w.asOf?.getTime() ?? Number.POSITIVE_INFINITY);
  const prevFrom = w.from.getTime() - span;
  const prev: QueryWindow = {
    ...w,
    from: new Date(prevFrom),
    to: new Date(Math.max(prevFrom + 1, dataEnd - span)),
  };
  const firstDay = new Date(prevFrom + 43_200_000).toISOString().slice(0, 10);
  const covered = all.some((r) => dayOf(r) <= firstDay);
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
    change_pct: covered && old[metric] ? (100 * (cur[metric]! - old[metric]!)) / old[metric]! : null,
    previous_covered: covered,
  }));
}

/** Every named query and its TypeScript reference. */
export const REFERENCES: Readonly<Record<string, (rows: readonly R[], w: QueryWindow) => SqlRow[]>> = {
  team_totals: teamTotals,
  per_user_activity: perUserActivity,
  daily_cost_per_user: dailyCostPerUser,
  daily_cost_per_person: dailyCostPerPerson,
  daily_activity: dailyActivity,
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
  tool_acceptance_rate: toolAcceptanceRate,
  subagent_runs: subagentRuns,
  mcp_connection_failures: mcpConnectionFailures,
  time_to_first_token: timeToFirstToken,
  // The metrics queries over an events-only lake; with metrics: test/metrics/productivity.test.ts.
  productivity: () => [],
  code_edit_acceptance: () => [],
  cost_per_output: (all, w) => [
    {
      cost_usd: sum(windowRows(all, w), (r) => r.cost_usd),
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
