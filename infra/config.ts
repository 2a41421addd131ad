/**
 * Deployment settings, read once from `cdk.json` context (or `-c key=value` on the command line).
 * Every setting has a documented default; `cdk.json` lists them all so a team edits one file.
 *
 * Invariant: `configFromContext` is pure (a lookup function in, a validated `LakeConfig` out) and
 * names the key and the bad value in every error.
 */
import { EMAIL_MODES, type EmailMode } from '../functions/schema/email.ts';

export interface LakeConfig {
  /** Prefix of named resources (log group, workgroup, database). @default 'claude-otel' */
  readonly prefix: string;
  /**
   * Region of the stack. Bearer-token ingestion exists only in us-east-1, us-east-2, us-west-1
   * and us-west-2. @default CDK_DEFAULT_REGION (the CDK CLI sets it from AWS_REGION or the
   * profile), else 'us-east-1'
   */
  readonly region: string;
  /** Retention of the raw (unsanitized) log group, days. @default 1 */
  readonly rawRetentionDays: number;
  /** Name of the log stream Claude Code writes to. @default 'claude-code' */
  readonly logStreamName: string;
  /** How `user.email` is stored: keep, local-part or hmac. @default 'keep' */
  readonly emailMode: EmailMode;
  /** IANA time zone of the team: digest schedule and view buckets. @default 'UTC' */
  readonly teamTimeZone: string;
  /** Firehose S3 buffer interval, seconds (60-900): the data latency. @default 900 */
  readonly bufferIntervalSeconds: number;
  /** Athena bytes-scanned cutoff per query (minimum 10 MB). @default 1073741824 (1 GiB) */
  readonly bytesScannedCutoffPerQuery: number;
  /** Days before lake objects over 128 KB move to S3 Glacier Instant Retrieval; 0 = never. @default 90 */
  readonly lakeTransitionDays: number;
  /** Days before lake data expires; 0 = never. @default 0 */
  readonly lakeExpirationDays: number;
  /** Days Firehose error output (raw, unsanitized records) is kept. @default 14 */
  readonly errorRetentionDays: number;
  /** Retention of the Lambda and Firehose log groups, days. @default 30 */
  readonly logRetentionDays: number;
  /** Whether the weekly digest Lambda and its schedule exist. @default false */
  readonly digestEnabled: boolean;
  /** EventBridge Scheduler expression, in the team time zone. @default 'cron(0 9 ? * MON *)' */
  readonly digestSchedule: string;
  /** Slack channel (id or name) the digest posts to. @default '' (must be set when enabled) */
  readonly digestChannel: string;
  /** Days the digest covers. @default 7 */
  readonly digestDays: number;
  /** Whether the QuickSight data source and data set exist. @default false */
  readonly quicksightEnabled: boolean;
  /** QuickSight user or group ARN that owns the data source and data set. @default '' */
  readonly quicksightPrincipalArn: string;
  /** Name of the role QuickSight uses for Athena. @default 'aws-quicksight-service-role-v0' */
  readonly quicksightServiceRoleName: string;
  /** E-mail address subscribed to the alarm topic; '' = none. @default '' */
  readonly alarmEmail: string;
}

/** The defaults, as `cdk.json` lists them (a test keeps the two equal). */
export function defaultConfig(): Omit<LakeConfig, 'region'> {
  return {
    prefix: 'claude-otel',
    rawRetentionDays: 1,
    logStreamName: 'claude-code',
    emailMode: 'keep',
    teamTimeZone: 'UTC',
    bufferIntervalSeconds: 900,
    bytesScannedCutoffPerQuery: 1_073_741_824,
    lakeTransitionDays: 90,
    lakeExpirationDays: 0,
    errorRetentionDays: 14,
    logRetentionDays: 30,
    digestEnabled: false,
    digestSchedule: 'cron(0 9 ? * MON *)',
    digestChannel: '',
    digestDays: 7,
    quicksightEnabled: false,
    quicksightPrincipalArn: '',
    quicksightServiceRoleName: 'aws-quicksight-service-role-v0',
    alarmEmail: '',
  };
}

/** Regions where the CloudWatch Logs OTLP endpoint accepts bearer tokens (API keys). */
export const BEARER_TOKEN_REGIONS: readonly string[] = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'];

/**
 * Regions where QuickSight (and so `AWS::QuickSight::DataSource` / `DataSet`) exists, from the
 * Amazon Quick "AWS Regions, websites, IP address ranges, and endpoints" page. Of the
 * bearer-token regions, us-west-1 has no QuickSight.
 */
export const QUICKSIGHT_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'af-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
];

/** Retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Lookup = (key: string) => unknown;

/**
 * Builds the configuration from context values. Context given on the command line arrives as
 * strings, so numbers and booleans are accepted in both forms.
 */
export function configFromContext(lookup: Lookup, env: { readonly defaultRegion?: string } = {}): LakeConfig {
  const d = defaultConfig();
  const str = (key: keyof LakeConfig, fallback: string): string => {
    const v = lookup(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string')
      throw new ConfigError(`context "${key}" must be a string; got ${JSON.stringify(v)}`);
    return v.trim();
  };
  const int = (key: keyof LakeConfig, fallback: number, min: number, max: number): number => {
    const v = lookup(key);
    if (v === undefined || v === null || v === '') return fallback;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(
        `context "${key}" must be an integer from ${min} to ${max}; got ${JSON.stringify(v)}`,
      );
    }
    return n;
  };
  const bool = (key: keyof LakeConfig, fallback: boolean): boolean => {
    const v = lookup(key);
    if (v === undefined || v === null || v === '') return fallback;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw new ConfigError(`context "${key}" must be true or false; got ${JSON.stringify(v)}`);
  };

  const emailMode = str('emailMode', d.emailMode);
  if (!(EMAIL_MODES as readonly string[]).includes(emailMode)) {
    throw new ConfigError(`context "emailMode" must be one of ${EMAIL_MODES.join(', ')}; got "${emailMode}"`);
  }
  const rawRetentionDays = int('rawRetentionDays', d.rawRetentionDays, 1, 3653);
  const logRetentionDays = int('logRetentionDays', d.logRetentionDays, 1, 3653);
  for (const [key, value] of [
    ['rawRetentionDays', rawRetentionDays],
    ['logRetentionDays', logRetentionDays],
  ] as const) {
    if (!LOG_RETENTION_DAYS.includes(value)) {
      throw new ConfigError(
        `context "${key}" must be one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs); got ${value}`,
      );
    }
  }
  const teamTimeZone = str('teamTimeZone', d.teamTimeZone);
  if (!isTimeZone(teamTimeZone)) {
    throw new ConfigError(
      `context "teamTimeZone" must be an IANA time zone such as Europe/Berlin; got "${teamTimeZone}"`,
    );
  }
  const prefix = str('prefix', d.prefix);
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(prefix)) {
    throw new ConfigError(
      `context "prefix" must be 2-31 lower-case letters, digits or dashes; got "${prefix}"`,
    );
  }
  const lakeTransitionDays = int('lakeTransitionDays', d.lakeTransitionDays, 0, 36500);
  const lakeExpirationDays = int('lakeExpirationDays', d.lakeExpirationDays, 0, 36500);
  if (lakeExpirationDays > 0 && lakeTransitionDays > 0 && lakeExpirationDays <= lakeTransitionDays) {
    throw new ConfigError(
      `context "lakeExpirationDays" (${lakeExpirationDays}) must be after "lakeTransitionDays" (${lakeTransitionDays})`,
    );
  }
  const config: LakeConfig = {
    prefix,
    region: str('region', env.defaultRegion ?? 'us-east-1'),
    rawRetentionDays,
    logStreamName: str('logStreamName', d.logStreamName),
    emailMode: emailMode as EmailMode,
    teamTimeZone,
    bufferIntervalSeconds: int('bufferIntervalSeconds', d.bufferIntervalSeconds, 60, 900),
    bytesScannedCutoffPerQuery: int(
      'bytesScannedCutoffPerQuery',
      d.bytesScannedCutoffPerQuery,
      10_000_000,
      Number.MAX_SAFE_INTEGER,
    ),
    lakeTransitionDays,
    lakeExpirationDays,
    errorRetentionDays: int('errorRetentionDays', d.errorRetentionDays, 1, 3650),
    logRetentionDays,
    digestEnabled: bool('digestEnabled', d.digestEnabled),
    digestSchedule: str('digestSchedule', d.digestSchedule),
    digestChannel: str('digestChannel', d.digestChannel),
    digestDays: int('digestDays', d.digestDays, 1, 92),
    quicksightEnabled: bool('quicksightEnabled', d.quicksightEnabled),
    quicksightPrincipalArn: str('quicksightPrincipalArn', d.quicksightPrincipalArn),
    quicksightServiceRoleName: str('quicksightServiceRoleName', d.quicksightServiceRoleName),
    alarmEmail: str('alarmEmail', d.alarmEmail),
  };
  if (!/^(cron|rate|at)\(.+\)$/.test(config.digestSchedule)) {
    throw new ConfigError(
      `context "digestSchedule" must be a Scheduler expression like cron(0 9 ? * MON *); got "${config.digestSchedule}"`,
    );
  }
  if (config.digestEnabled && config.digestChannel === '') {
    throw new ConfigError('context "digestChannel" must name the Slack channel when "digestEnabled" is true');
  }
  if (config.quicksightEnabled && !config.quicksightPrincipalArn.startsWith('arn:')) {
    throw new ConfigError(
      'context "quicksightPrincipalArn" must be a QuickSight user or group ARN when "quicksightEnabled" is true',
    );
  }
  if (config.quicksightEnabled && !QUICKSIGHT_REGIONS.includes(config.region)) {
    throw new ConfigError(
      `context "quicksightEnabled" is true but QuickSight does not exist in ${config.region}; ` +
        `deploy to one of ${QUICKSIGHT_REGIONS.filter((r) => BEARER_TOKEN_REGIONS.includes(r)).join(', ')} ` +
        'or set quicksightEnabled to false',
    );
  }
  return config;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}
