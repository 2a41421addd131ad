import { describe, expect, it } from 'vitest';
import { COLUMNS, PARTITION_KEY } from '../../functions/schema/columns.ts';
import { pascalCase, workGroupConfiguration } from '../../infra/constructs/athena-defaults.ts';
import {
  databaseNameFor,
  eventsTableParameters,
  glueColumns,
  gluePartitionKeys,
} from '../../infra/constructs/catalog-defaults.ts';
import { dataOutputPrefix, errorOutputPrefix } from '../../infra/constructs/delivery-defaults.ts';
import {
  createApiKeyCommand,
  otlpEndpoint,
  otlpHeadersTemplate,
} from '../../infra/constructs/ingest-defaults.ts';
import { LAKE_PREFIXES, lakeLifecycleRules } from '../../infra/constructs/lake-bucket-defaults.ts';
import { quickSightType } from '../../infra/constructs/quicksight-defaults.ts';
import { namedQueryDescription, viewNameOf } from '../../infra/constructs/sql-files.ts';

describe('catalog defaults', () => {
  it('generates one Glue column per schema column, same order, names and types', () => {
    const columns = glueColumns();
    expect(columns.map((c) => [c.name, c.type])).toEqual(COLUMNS.map((c) => [c.name, c.type]));
    expect(columns.every((c) => (c.comment ?? '').length > 0 && (c.comment ?? '').length <= 255)).toBe(true);
    expect(columns.map((c) => c.name)).not.toContain(PARTITION_KEY);
  });

  it('names no column with a Hive reserved word, which OpenX/Firehose conversion would need a mapping for', () => {
    // Hive 3 reserved keywords (LanguageManual DDL), lower case.
    const reserved = new Set(
      (
        'all alter and array as authorization between bigint binary boolean both by case cast char column ' +
        'conf create cross cube current current_date current_timestamp cursor database date decimal delete ' +
        'describe distinct double drop else end exchange exists extended external false fetch float following ' +
        'for from full function grant group grouping having if import in inner insert int intersect interval ' +
        'into is join lateral left less like local macro map more none not null of on or order out outer over ' +
        'partialscan partition percent preceding preserve procedure range reads reduce revoke right rollup row ' +
        'rows select set smallint table tablesample then timestamp to transform trigger true truncate ' +
        'unbounded union uniquejoin update user using utc_timestamp values varchar when where window with ' +
        'commit only regexp rlike rollback start time numeric sync constraint foreign primary references ' +
        'daysofweek extract floor integer precision views'
      ).split(' '),
    );
    const names = glueColumns().map((c) => c.name);
    expect(names.filter((n) => reserved.has(n))).toEqual([]);
    expect(names.every((n) => /^[a-z][a-z0-9_]*$/.test(n))).toBe(true);
  });

  it('partitions by a dt string projected as a date over the whole retention', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Glue's own placeholder, kept literally.
    const template = 's3://b/events/dt=${dt}/';
    expect(gluePartitionKeys()).toEqual([expect.objectContaining({ name: 'dt', type: 'string' })]);
    expect(eventsTableParameters(template, 0)).toMatchObject({
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2025-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'storage.location.template': template,
    });
    // Kept 1000 days: 1001 projected (S3 expires at the UTC midnight after the 1000th day).
    expect(eventsTableParameters(template, 1000)['projection.dt.range']).toBe('NOW-1001DAYS,NOW');
  });

  it('derives a Glue database name from the prefix', () => {
    expect(databaseNameFor('claude-otel')).toBe('claude_otel');
  });
});

describe('lake bucket defaults', () => {
  it('expires results after 7 days and errors as configured; moves events to Glacier IR', () => {
    const rules = lakeLifecycleRules({ transitionDays: 90, expirationDays: 0, errorRetentionDays: 14 });
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId['expire-athena-results']?.prefix).toBe(LAKE_PREFIXES.athenaResults);
    expect(byId['expire-athena-results']?.expiration?.toDays()).toBe(7);
    expect(byId['expire-errors']?.expiration?.toDays()).toBe(14);
    expect(byId['events-to-glacier-ir']?.transitions?.[0]?.storageClass.value).toBe('GLACIER_IR');
    // S3 skips objects under 128 KB; the rule states it instead of counting on them.
    expect(byId['events-to-glacier-ir']?.objectSizeGreaterThan).toBe(128 * 1024);
    expect(byId['expire-events']).toBeUndefined();
  });

  it('expires events of every size in a rule of its own, not behind the size filter', () => {
    const rules = lakeLifecycleRules({ transitionDays: 90, expirationDays: 400, errorRetentionDays: 14 });
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    expect(byId['expire-events']).toMatchObject({ prefix: 'events/' });
    expect(byId['expire-events']?.expiration?.toDays()).toBe(400);
    expect(byId['expire-events']?.objectSizeGreaterThan).toBeUndefined();
    expect(byId['events-to-glacier-ir']?.expiration).toBeUndefined();
  });

  it('has no events rule when neither transition nor expiration is set', () => {
    const rules = lakeLifecycleRules({ transitionDays: 0, expirationDays: 0, errorRetentionDays: 14 });
    expect(rules.map((r) => r.id).filter((id) => id?.includes('events'))).toEqual([]);
  });
});

describe('delivery defaults', () => {
  it('writes events by UTC arrival date and errors by error type', () => {
    expect(dataOutputPrefix('events/')).toBe('events/dt=!{timestamp:yyyy-MM-dd}/');
    expect(errorOutputPrefix('errors/')).toBe(
      'errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
    );
  });
});

describe('ingest defaults', () => {
  it('prints the OTLP endpoint, the headers template and the API key command', () => {
    expect(otlpEndpoint('us-east-1')).toBe('https://logs.us-east-1.amazonaws.com');
    expect(otlpHeadersTemplate('/claude-otel/raw', 'claude-code')).toBe(
      'Authorization=Bearer <API_KEY>,x-aws-log-group=/claude-otel/raw,x-aws-log-stream=claude-code',
    );
    expect(createApiKeyCommand('writer', 'us-east-1')).toBe(
      'aws iam create-service-specific-credential --user-name writer --service-name logs.amazonaws.com ' +
        '--credential-age-days 90 --query ServiceSpecificCredential.ServiceCredentialSecret --output text ' +
        '--region us-east-1',
    );
  });
});

describe('athena defaults', () => {
  it('enforces engine v3, encrypted results and the scan cutoff', () => {
    expect(workGroupConfiguration('s3://b/athena-results/', 1e9)).toEqual({
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 1e9,
      requesterPaysEnabled: false,
      resultConfiguration: {
        outputLocation: 's3://b/athena-results/',
        encryptionConfiguration: { encryptionOption: 'SSE_S3' },
      },
    });
    expect(pascalCase('team_totals')).toBe('TeamTotals');
  });

  it('finds the view name of a CREATE OR REPLACE VIEW file, qualified or not', () => {
    expect(viewNameOf('-- title: x\nCREATE OR REPLACE VIEW claude_code_usage AS SELECT 1')).toBe(
      'claude_code_usage',
    );
    expect(viewNameOf('create or replace view "db"."Usage" as select 1')).toBe('usage');
    expect(() => viewNameOf('SELECT 1', 'queries/views/x.sql')).toThrow(/queries\/views\/x.sql/);
  });

  it('describes a named query with its title and parameters, within 1024 characters', () => {
    const d = namedQueryDescription({
      name: 'team_totals',
      title: 'Team totals',
      description: 'x'.repeat(2000),
      params: ['dt_from', 'dt_to'],
      sql: 'SELECT 1',
    });
    expect(d.startsWith('Team totals. xxx')).toBe(true);
    expect(d.length).toBe(1024);
  });

  it('maps SQL types to QuickSight column types', () => {
    expect(
      ['varchar', 'bigint', 'integer', 'double', 'timestamp', 'date', 'boolean'].map(quickSightType),
    ).toEqual(['STRING', 'INTEGER', 'INTEGER', 'DECIMAL', 'DATETIME', 'DATETIME', 'BOOLEAN']);
    expect(() => quickSightType('map(varchar, varchar)')).toThrow(/map/);
  });
});
