import type { QueryResult, QueryWindow, SqlEngine, SqlRow } from '../sql/engine.ts';
import { runNamedQuery } from '../sql/query-catalog.ts';
import type { DigestInputs, PairInput, TotalsInput } from './build-digest.ts';
import { DigestDataError } from './errors.ts';

/**
 * The digest's figures come from the named queries in `queries/` and nowhere else:
 *
 *   team_totals        totals, cache hit rate
 *   week_over_week     the same totals for the window before, and whether the lake covers it
 *   per_user_activity  sessions and messages per person, for the heavy users
 *   top_skills         skill x user          top_subagents    subagent type x user
 *   top_mcp_servers    server x user         top_models       requests and cost per model
 *
 * Queries run one after another: the engines do not promise concurrent use of one connection.
 */
export const DIGEST_QUERIES = [
  'team_totals',
  'per_user_activity',
  'top_skills',
  'top_subagents',
  'top_mcp_servers',
  'top_models',
] as const;

export type DigestQueryName = (typeof DIGEST_QUERIES)[number];

export interface DigestQueryResults {
  readonly current: Readonly<Record<DigestQueryName, QueryResult>>;
  /** `week_over_week` over the current window: its previous values are the window before. */
  readonly weekOverWeek: QueryResult;
}

export interface CollectOptions {
  /** Directory of the query files (a Lambda bundle keeps them elsewhere). */
  readonly queriesDir?: string | undefined;
}

/** Runs the digest's queries over `current`; the window before comes from week_over_week. */
export async function runDigestQueries(
  engine: SqlEngine,
  current: QueryWindow,
  options: CollectOptions = {},
): Promise<DigestQueryResults> {
  const dir = options.queriesDir ? { dir: options.queriesDir } : {};
  const results: Partial<Record<DigestQueryName, QueryResult>> = {};
  for (const name of DIGEST_QUERIES) results[name] = await runNamedQuery(engine, name, current, dir);
  const weekOverWeek = await runNamedQuery(engine, 'week_over_week', current, dir);
  return { current: results as Record<DigestQueryName, QueryResult>, weekOverWeek };
}

/** Reads a numeric column; NULL (an empty aggregate) is 0; a missing column is a broken contract. */
function num(query: string, row: SqlRow, column: string): number {
  if (!(column in row)) {
    throw new DigestDataError(`query ${query} has no column "${column}"; the digest needs it`);
  }
  const value = row[column];
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n))
    throw new DigestDataError(`query ${query}: column "${column}" is not a number (${value})`);
  return n;
}

function str(query: string, row: SqlRow, column: string): string | null {
  if (!(column in row)) {
    throw new DigestDataError(`query ${query} has no column "${column}"; the digest needs it`);
  }
  const value = row[column];
  return value === null || value === undefined || value === '' ? null : String(value);
}

function totalsOf(result: QueryResult): TotalsInput {
  const row = result.rows[0];
  if (!row) {
    return { activeUsers: 0, sessions: 0, messages: 0, skills: 0, subagents: 0, mcpCalls: 0, costUsd: 0 };
  }
  const q = 'team_totals';
  return {
    activeUsers: num(q, row, 'active_users'),
    sessions: num(q, row, 'sessions'),
    messages: num(q, row, 'messages'),
    skills: num(q, row, 'skills'),
    subagents: num(q, row, 'subagents'),
    mcpCalls: num(q, row, 'mcp_calls'),
    costUsd: num(q, row, 'cost_usd'),
    ...('lines_added' in row
      ? {
          output: {
            linesAdded: num(q, row, 'lines_added'),
            commits: num(q, row, 'commits'),
            pullRequests: num(q, row, 'pull_requests'),
          },
        }
      : {}),
  };
}

/** The window before, from week_over_week's `previous_value` per metric, and its coverage. */
function previousOf(result: QueryResult): { totals: TotalsInput; covered: boolean } {
  const q = 'week_over_week';
  const value = (metric: string) => {
    const row = result.rows.find((r) => r.metric === metric);
    if (!row) throw new DigestDataError(`query ${q} has no row for metric "${metric}"; the digest needs it`);
    return num(q, row, 'previous_value');
  };
  const first = result.rows[0];
  return {
    totals: {
      activeUsers: value('active_users'),
      sessions: value('sessions'),
      messages: value('messages'),
      skills: value('skills'),
      subagents: value('subagents'),
      mcpCalls: value('mcp_calls'),
      costUsd: value('cost_usd'),
    },
    covered: first === undefined ? false : first.previous_covered === true,
  };
}

function pairsOf(query: string, result: QueryResult, nameColumn: string, countColumn: string): PairInput[] {
  return result.rows.flatMap((row) => {
    const name = str(query, row, nameColumn);
    return name === null
      ? []
      : [{ name, user: str(query, row, 'user_name'), count: num(query, row, countColumn) }];
  });
}

/** Maps the query results onto the digest's inputs, naming any column that is missing. */
export function digestInputsOf(results: DigestQueryResults): DigestInputs {
  const { current } = results;
  const totalsRow = current.team_totals.rows[0];
  const reads = totalsRow ? num('team_totals', totalsRow, 'cache_read_tokens') : 0;
  const input = totalsRow ? num('team_totals', totalsRow, 'input_tokens') : 0;
  const previous = previousOf(results.weekOverWeek);
  return {
    totals: totalsOf(current.team_totals),
    previousTotals: previous.totals,
    previousCovered: previous.covered,
    skillUsers: pairsOf('top_skills', current.top_skills, 'skill_name', 'activations'),
    subagentUsers: pairsOf('top_subagents', current.top_subagents, 'subagent_type', 'calls'),
    mcpUsers: pairsOf('top_mcp_servers', current.top_mcp_servers, 'mcp_server_name', 'calls'),
    userActivity: current.per_user_activity.rows.map((row) => ({
      user: str('per_user_activity', row, 'user_name'),
      sessions: num('per_user_activity', row, 'sessions'),
      messages: num('per_user_activity', row, 'messages'),
    })),
    models: current.top_models.rows.flatMap((row) => {
      const model = str('top_models', row, 'model');
      return model === null
        ? []
        : [
            {
              model,
              requests: num('top_models', row, 'requests'),
              costUsd: num('top_models', row, 'cost_usd'),
            },
          ];
    }),
    cacheHitRate: reads + input > 0 ? reads / (reads + input) : null,
  };
}
