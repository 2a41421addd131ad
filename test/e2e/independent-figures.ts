import { createHash } from 'node:crypto';
import type { Primitive, RawRecord } from './raw-otlp.ts';

/**
 * Every named query's figures (and the view's totals) computed straight from the OTLP records
 * Claude Code sent, in TypeScript, following the team's definitions (BRIEF contract 2), not the
 * SQL: a person is the e-mail's local part, else `anon_` + 12 hex of SHA-256 of the install id
 * (README "Identity"); a session counts once it has a prompt or an API request; a message is a
 * `user_prompt` that is not a `<task-notification>`; a skill activation is one `skill_activated`
 * (2.1.328 fires it for every activation). Rows are keyed like the queries' output rows.
 */
export type Figure = string | number | boolean | null;
export type FigureRow = Record<string, Figure>;

interface Fact {
  readonly event: string;
  readonly person: string;
  readonly session: string;
  readonly timeMs: number;
  readonly a: Readonly<Record<string, Primitive>>;
}

export function personOf(r: RawRecord): string {
  const email = r.attributes['user.email'] ?? r.resource['user.email'];
  if (typeof email === 'string' && email) return email.trim().toLowerCase().split('@')[0]!;
  const id = String(r.attributes['user.id']);
  return `anon_${createHash('sha256').update(`claude-otel-lake user.id\0${id}`).digest('hex').slice(0, 12)}`;
}

const str = (v: Primitive | undefined): string | null => (typeof v === 'string' ? v : null);
const num = (v: Primitive | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const params = (f: Fact): Record<string, unknown> => {
  try {
    return JSON.parse(String(f.a.tool_parameters ?? '{}'));
  } catch {
    return {};
  }
};

/**
 * When the event happened, as the schema defines event_time (README "The schema"): Claude Code's
 * own `event.timestamp` attribute, else the record's time. The two differ by a few ms on some
 * events, so a latest-time figure taken from the record time alone disagreed now and then.
 */
function eventTimeOf(r: RawRecord): number {
  const stamp = r.attributes['event.timestamp'];
  const parsed = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : Math.floor(Number(BigInt(r.timeUnixNano) / 1_000_000n));
}

export function factsOf(records: readonly RawRecord[]): Fact[] {
  return records.map((r) => ({
    event: r.eventName,
    person: personOf(r),
    session: String(r.attributes['session.id']),
    timeMs: eventTimeOf(r),
    a: { ...r.resource, ...r.attributes },
  }));
}

const isMessage = (f: Fact) =>
  f.event === 'user_prompt' &&
  !String(f.a.prompt ?? f.a.prompt_text ?? '')
    .trimStart()
    .startsWith('<task-notification>');
const isSubagentCall = (f: Fact) =>
  f.event === 'tool_result' && (f.a.tool_name === 'Agent' || f.a.tool_name === 'Task');
const isMcpCall = (f: Fact) => f.event === 'tool_result' && f.a.tool_name === 'mcp_tool';
const isRequest = (f: Fact) => f.event === 'api_request';

/** Sessions with activity: a prompt or an API request. */
export function activeSessions(facts: readonly Fact[]): Set<string> {
  return new Set(facts.filter((f) => f.event === 'user_prompt' || isRequest(f)).map((f) => f.session));
}

function groupBy<K extends string>(facts: readonly Fact[], key: (f: Fact) => K | null): Map<K, Fact[]> {
  const out = new Map<K, Fact[]>();
  for (const f of facts) {
    const k = key(f);
    if (k === null) continue;
    out.set(k, [...(out.get(k) ?? []), f]);
  }
  return out;
}

const sum = (facts: readonly Fact[], key: string) => facts.reduce((n, f) => n + num(f.a[key]), 0);
const count = (facts: readonly Fact[], p: (f: Fact) => boolean) => facts.filter(p).length;
const people = (facts: readonly Fact[]) => new Set(facts.map((f) => f.person)).size;

function totals(facts: readonly Fact[]) {
  const active = activeSessions(facts);
  return {
    cost_usd: sum(facts.filter(isRequest), 'cost_usd'),
    messages: count(facts, isMessage),
    skills: count(facts, (f) => f.event === 'skill_activated'),
    subagents: count(facts, isSubagentCall),
    mcp_calls: count(facts, isMcpCall),
    active_users: new Set(facts.filter((f) => active.has(f.session)).map((f) => f.person)).size,
    sessions: active.size,
    api_requests: count(facts, isRequest),
  };
}

const byAttribution = (facts: readonly Fact[], attr: string, column: string): FigureRow[] =>
  [...groupBy(facts.filter(isRequest), (f) => str(f.a[attr]))].map(([k, fs]) => ({
    [column]: k,
    requests: fs.length,
    users: people(fs),
    cost_usd: sum(fs, 'cost_usd'),
  }));

/** Expected rows per named query, for a window holding every captured event (and an empty previous one). */
export function expectedQueryRows(facts: readonly Fact[]): Record<string, FigureRow[]> {
  const t = totals(facts);
  const requests = facts.filter(isRequest);
  const tokens = (fs: readonly Fact[]) => ({
    input_tokens: sum(fs, 'input_tokens'),
    output_tokens: sum(fs, 'output_tokens'),
    cache_read_tokens: sum(fs, 'cache_read_tokens'),
    cache_creation_tokens: sum(fs, 'cache_creation_tokens'),
  });
  const active = activeSessions(facts);
  const perPerson = [...groupBy(facts, (f) => f.person)].map(([person, fs]) => {
    const cost = sum(fs.filter(isRequest), 'cost_usd');
    const messages = count(fs, isMessage);
    const input = sum(fs.filter(isRequest), 'input_tokens');
    const cacheRead = sum(fs.filter(isRequest), 'cache_read_tokens');
    const family = (name: string) =>
      count(fs, (f) => isRequest(f) && String(f.a.model).toLowerCase().includes(name));
    const plans = fs.map((f) => str(f.a['user.plan'])).filter((p): p is string => p !== null);
    return {
      user_name: person,
      plan: plans.length ? plans.sort().at(-1)! : null,
      cost_usd: cost,
      sessions: new Set(fs.filter((f) => active.has(f.session)).map((f) => f.session)).size,
      messages,
      skills: count(fs, (f) => f.event === 'skill_activated'),
      subagents: count(fs, isSubagentCall),
      mcp_calls: count(fs, isMcpCall),
      opus_calls: family('opus'),
      sonnet_calls: family('sonnet'),
      haiku_calls: family('haiku'),
      cost_per_message: messages ? cost / messages : null,
      cache_hit_pct: input + cacheRead ? (100 * cacheRead) / (input + cacheRead) : null,
    };
  });
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    team_totals: [{ ...t, ...tokens(requests) }],
    per_user_activity: perPerson,
    // Everyone's days (the spike alerts' input); the top-10 cut of daily_cost_per_user does not
    // bite with three people, so both are the same rows here.
    daily_cost_per_person: [...groupBy(requests, (f) => `${day(f.timeMs)}|${f.person}`)].map(([k, fs]) => ({
      day: k.split('|')[0]!,
      user_name: k.split('|')[1]!,
      cost_usd: sum(fs, 'cost_usd'),
    })),
    // Each day's own totals (the runs take minutes, so sessions do not cross midnight here).
    daily_activity: [...groupBy(facts, (f) => day(f.timeMs))].map(([d, fs]) => {
      const dayTotals = totals(fs);
      return {
        day: d,
        active_people: dayTotals.active_users,
        sessions: dayTotals.sessions,
        messages: dayTotals.messages,
      };
    }),
    // The suite's sessions export no metrics (OTEL_METRICS_EXPORTER=none): no output rows, and the
    // cost per output has the window's cost over nothing.
    productivity: [],
    code_edit_acceptance: [],
    cost_per_output: [
      {
        cost_usd: sum(requests, 'cost_usd'),
        lines_added: 0,
        pull_requests: 0,
        cost_per_line_added: null,
        cost_per_pull_request: null,
      },
    ],
    daily_cost_per_user: [...groupBy(requests, (f) => `${day(f.timeMs)}|${f.person}`)].map(([k, fs]) => ({
      day: k.split('|')[0]!,
      user_name: k.split('|')[1]!,
      cost_usd: sum(fs, 'cost_usd'),
    })),
    top_models: [...groupBy(requests, (f) => str(f.a.model))].map(([model, fs]) => ({
      model,
      requests: fs.length,
      users: people(fs),
      cost_usd: sum(fs, 'cost_usd'),
      ...tokens(fs),
    })),
    api_errors: [
      ...groupBy(
        facts.filter((f) => f.event === 'api_error'),
        (f) => `${f.a.status_code}|${f.a.model}`,
      ),
    ].map(([k, fs]) => ({
      status_code: Number(k.split('|')[0]),
      model: k.split('|')[1]!,
      errors: fs.length,
      users: people(fs),
    })),
    claude_code_versions: [
      ...groupBy(facts, (f) => `${f.person}|${str(f.a['app.version']) ?? str(f.a['service.version'])}`),
    ].map(([k, fs]) => ({
      user_name: k.split('|')[0]!,
      app_version: k.split('|')[1]!,
      sessions: new Set(fs.filter((f) => active.has(f.session)).map((f) => f.session)).size,
      events: fs.length,
      last_seen: Math.max(...fs.map((f) => f.timeMs)),
    })),
    tool_success_rate: [
      ...groupBy(
        facts.filter((f) => f.event === 'tool_result'),
        (f) => str(f.a.tool_name),
      ),
    ].map(([tool, fs]) => {
      const ok = count(fs, (f) => f.a.success === 'true' || f.a.success === true);
      return {
        tool_name: tool,
        calls: fs.length,
        successes: ok,
        failures: fs.length - ok,
        success_rate: ok / fs.length,
      };
    }),
    top_skills: [
      ...groupBy(
        facts.filter((f) => f.event === 'skill_activated'),
        (f) => `${str(f.a['skill.name'])}|${f.person}`,
      ),
    ].map(([k, fs]) => ({
      skill_name: k.split('|')[0]!,
      user_name: k.split('|')[1]!,
      activations: fs.length,
    })),
    top_subagents: [
      ...groupBy(
        facts.filter(isSubagentCall),
        (f) => `${String(params(f).subagent_type ?? 'general-purpose')}|${f.person}`,
      ),
    ].map(([k, fs]) => ({ subagent_type: k.split('|')[0]!, user_name: k.split('|')[1]!, calls: fs.length })),
    top_mcp_servers: [
      ...groupBy(
        facts.filter(isMcpCall),
        (f) => `${String(params(f).mcp_server_name ?? 'unknown')}|${f.person}`,
      ),
    ].map(([k, fs]) => ({
      mcp_server_name: k.split('|')[0]!,
      user_name: k.split('|')[1]!,
      calls: fs.length,
    })),
    cost_by_skill: byAttribution(facts, 'skill.name', 'skill_name'),
    cost_by_agent: byAttribution(facts, 'agent.name', 'agent_name'),
    cost_by_mcp_server: byAttribution(facts, 'mcp_server.name', 'mcp_server_name'),
    week_over_week: (
      [
        ['cost_usd', t.cost_usd],
        ['messages', t.messages],
        ['sessions', t.sessions],
        ['active_users', t.active_users],
        ['api_requests', t.api_requests],
        ['skills', t.skills],
        ['subagents', t.subagents],
        ['mcp_calls', t.mcp_calls],
      ] as const
    ).map(([metric, value]) => ({
      metric,
      current_value: value,
      previous_value: 0,
      // The lake begins with this capture: nothing before it to compare with.
      change_pct: null,
      previous_covered: false,
    })),
    subagent_runs: [
      ...groupBy(
        facts.filter((f) => f.event === 'subagent_completed'),
        (f) => str(f.a.agent_type) ?? 'unknown',
      ),
    ].map(([type, fs]) => ({
      agent_type: type,
      runs: fs.length,
      users: people(fs),
      async_runs: count(fs, (f) => f.a.is_async === true),
      total_tokens: sum(fs, 'total_tokens'),
      total_tool_uses: sum(fs, 'total_tool_uses'),
      tokens_per_run: sum(fs, 'total_tokens') / fs.length,
      tool_uses_per_run: sum(fs, 'total_tool_uses') / fs.length,
    })),
    mcp_connection_failures: [
      ...groupBy(
        facts.filter((f) => f.event === 'mcp_server_connection'),
        (f) => `${str(f.a.server_name) ?? 'unknown'}|${str(f.a.transport_type) ?? 'unknown'}`,
      ),
    ]
      .map(([k, fs]) => {
        const failed = fs.filter((f) => f.a.status !== 'connected' && f.a.status !== 'disconnected');
        return {
          mcp_server_name: k.split('|')[0]!,
          transport: k.split('|')[1]!,
          connections: fs.length,
          failures: failed.length,
          users: people(failed),
          last_failure: failed.length ? Math.max(...failed.map((f) => f.timeMs)) : null,
        };
      })
      .filter((r) => r.failures > 0),
    time_to_first_token: [
      ...groupBy(
        requests.filter((f) => f.a.ttft_ms !== undefined && f.a.ttft_ms !== null),
        (f) => str(f.a.model),
      ),
    ].map(([model, fs]) => {
      const ttft = fs.map((f) => num(f.a.ttft_ms));
      return {
        model,
        requests: fs.length,
        avg_ttft_ms: ttft.reduce((a, b) => a + b, 0) / ttft.length,
        min_ttft_ms: Math.min(...ttft),
        max_ttft_ms: Math.max(...ttft),
      };
    }),
    tool_acceptance_rate: [
      ...groupBy(
        facts.filter((f) => f.event === 'tool_decision'),
        (f) => str(f.a.tool_name),
      ),
    ].map(([tool, fs]) => {
      const accepted = count(fs, (f) => f.a.decision === 'accept');
      return {
        tool_name: tool,
        decisions: fs.length,
        accepted,
        rejected: count(fs, (f) => f.a.decision === 'reject'),
        acceptance_rate: accepted / fs.length,
      };
    }),
  };
}

/**
 * The view's figures per person: what a BI tool sums over `claude_code_usage` (flags, cost,
 * tokens) and its distinct sessions with activity.
 */
export function expectedViewRows(facts: readonly Fact[]): FigureRow[] {
  const active = activeSessions(facts);
  return [...groupBy(facts, (f) => f.person)].map(([person, fs]) => ({
    user_name: person,
    events: fs.length,
    prompts: count(fs, (f) => f.event === 'user_prompt'),
    messages: count(fs, isMessage),
    api_requests: count(fs, isRequest),
    api_errors: count(fs, (f) => f.event === 'api_error'),
    subagent_calls: count(fs, isSubagentCall),
    mcp_calls: count(fs, isMcpCall),
    skills: count(fs, (f) => f.event === 'skill_activated'),
    cost_usd: sum(fs.filter(isRequest), 'cost_usd'),
    input_tokens: sum(fs.filter(isRequest), 'input_tokens'),
    output_tokens: sum(fs.filter(isRequest), 'output_tokens'),
    sessions: new Set(fs.filter((f) => active.has(f.session)).map((f) => f.session)).size,
  }));
}
