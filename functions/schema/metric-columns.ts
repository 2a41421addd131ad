import type { Column, ColumnType } from './columns.ts';
import type { ColumnValueTypes } from './row.ts';

/**
 * The one column list of the lake's `metrics` table (`<lake>/metrics/dt=.../*.parquet`, and the
 * Glue table `metrics` on AWS). One row = the increase of one Claude Code counter series over one
 * export interval, whatever temporality the client used (functions/metrics/increments.ts).
 *
 * Privacy invariant, as for events: only the attribute keys named in `sources` are kept; every
 * other data point or resource attribute is dropped and counted (functions/metrics/metric-allowlist.ts).
 */
const col = <const N extends string, const T extends ColumnType>(
  name: N,
  type: T,
  sources: Column['sources'],
  description: string,
): Column & { readonly name: N; readonly type: T } => ({ name, type, sources, description });

export const METRIC_COLUMNS = [
  col('metric_time', 'timestamp', ['derived:time'], 'End of the interval (the data point time, UTC, ms).'),
  col(
    'metric_start_time',
    'timestamp',
    ['derived:start_time'],
    'Start of the interval: the delta start, or the previous cumulative point of the series.',
  ),
  col('metric_name', 'string', ['derived:name'], 'OTel metric name, e.g. `claude_code.lines_of_code.count`.'),
  col(
    'metric_id',
    'string',
    ['derived:id'],
    'Deterministic id of the interval (series + time): a point sent twice gets the same id.',
  ),
  col('value', 'double', ['derived:increment'], 'Increase of the counter over the interval, in `unit`.'),
  col('unit', 'string', ['derived:unit'], 'Unit as sent: `USD`, `tokens`, `s`, or empty for counts.'),
  col('temporality', 'string', ['derived:temporality'], 'How the client sent it: `delta` or `cumulative`.'),
  col(
    'user_email',
    'string',
    ['attr:user.email'],
    'User e-mail, its local part, or an HMAC pseudonym, per the deployment setting.',
  ),
  col(
    'user_pseudonym',
    'string',
    ['derived:user_pseudonym'],
    'Stable pseudonym of the install (`user.id`), `anon_` + 12 hex; never the raw id.',
  ),
  col('session_id', 'string', ['attr:session.id'], 'Claude Code session id.'),
  col('model', 'string', ['attr:model'], 'Model of a cost, token or lines-of-code point.'),
  col(
    'metric_type',
    'string',
    ['attr:type'],
    'The `type` attribute: `added`/`removed` (lines), `input`/`output`/`cacheRead`/`cacheCreation` (tokens), `user`/`cli` (active time).',
  ),
  col('decision', 'string', ['attr:decision'], 'Code-edit tool decision: `accept` or `reject`.'),
  col(
    'tool_name',
    'string',
    ['attr:tool_name'],
    'Code-edit tool of a decision: `Edit`, `Write`, `NotebookEdit`.',
  ),
  col('language', 'string', ['attr:language'], 'Language of the edited file, e.g. `Python`.'),
] as const satisfies readonly Column[];

export type MetricColumnName = (typeof METRIC_COLUMNS)[number]['name'];

/** One stored metrics row; sparse like `Row`. */
export type MetricRow = {
  [C in (typeof METRIC_COLUMNS)[number] as C['name']]?: ColumnValueTypes[C['type']];
};

/**
 * The metric names kept (Claude Code's documented counters); any other name is dropped and counted.
 * All are monotonic sums in Claude Code 2.1.328.
 */
export const KEPT_METRICS = [
  'claude_code.session.count',
  'claude_code.lines_of_code.count',
  'claude_code.pull_request.count',
  'claude_code.commit.count',
  'claude_code.cost.usage',
  'claude_code.token.usage',
  'claude_code.code_edit_tool.decision',
  'claude_code.active_time.total',
] as const;
