import { describe, expect, it } from 'vitest';
import { configFromContext } from '../../infra/config.ts';
import { logicalId, statementsOf, synthApp } from './helpers.ts';

/** The alerts Lambda in the stack: cdk-nag clean (synthApp throws otherwise), least privilege, no retries. */
const CONTEXT = {
  digestEnabled: true,
  digestChannel: 'C0DIGEST',
  alertsEnabled: true,
  alertsChannel: 'C0ADMIN',
  alertsBudgetUsd: 2000,
  alertsThresholds: '50,80,100',
  alertsSpikeFactor: '4',
};

describe('budget alerts on AWS', () => {
  const { template } = synthApp(CONTEXT);
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;

  it('a Lambda with the alert settings, run hourly by EventBridge Scheduler with no retries', () => {
    const fnId = logicalId(template, 'AWS::Lambda::Function', 'BudgetAlertsHandler');
    const env = (resources[fnId]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      ALERTS_CHANNEL: 'C0ADMIN',
      ALERTS_BUDGET_USD: '2000',
      ALERTS_THRESHOLDS: '50,80,100',
      ALERTS_SPIKE_FACTOR: '4',
      ALERTS_SPIKE_MIN_USD: '10',
      DIGEST_CHANNEL: 'C0DIGEST',
      STATE_KEY: 'alerts/sent.json',
      TEAM_TIME_ZONE: 'UTC',
    });
    const schedule =
      resources[logicalId(template, 'AWS::Scheduler::Schedule', 'BudgetAlertsSchedule')]!.Properties;
    expect(schedule.ScheduleExpression).toBe('rate(1 hour)');
    expect(
      (schedule.Target as { RetryPolicy: { MaximumRetryAttempts: number } }).RetryPolicy.MaximumRetryAttempts,
    ).toBe(0);
  });

  it('writes to the lake bucket only its state object', () => {
    const role = logicalId(template, 'AWS::IAM::Role', 'BudgetAlertsHandlerRole');
    const statements = statementsOf(template, role);
    const writes = statements.filter((s) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).includes('s3:PutObject'),
    );
    expect(writes.map((s) => s.Sid).sort()).toEqual(['AlertState', 'WriteQueryResults']);
    const state = writes.find((s) => s.Sid === 'AlertState')!;
    expect(JSON.stringify(state.Resource)).toMatch(/"\/alerts\/sent\.json"\]/);
    expect(statements.some((s) => JSON.stringify(s.Action).includes('bedrock'))).toBe(false);
  });

  it('refuses the digest channel, a missing channel, bad figures and alerts without the digest', () => {
    const config = (ctx: Record<string, unknown>) => () =>
      configFromContext((k) => ({ ...CONTEXT, ...ctx })[k]);
    expect(config({ alertsChannel: 'C0DIGEST' })).toThrow(/must not be the digest channel/);
    expect(config({ alertsChannel: '' })).toThrow(/alertsChannel/);
    expect(config({ alertsSpikeFactor: 'big' })).toThrow(/ALERTS_SPIKE_FACTOR must be a number/);
    expect(config({ digestEnabled: false })).toThrow(/needs "digestEnabled"/);
    expect(config({ alertsSchedule: 'hourly' })).toThrow(/alertsSchedule/);
  });
});
