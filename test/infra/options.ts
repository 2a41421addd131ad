/**
 * Every option of cdk.json switched on, in one place: the fast template tests and the slow synth
 * matrix (every region) both use it, so an option added to the stack and listed here is covered
 * in every region. No side effects on import (the synth matrix keeps CloudFormation validation on).
 */
export const ALL_ON = {
  digestEnabled: true,
  digestChannel: '#claude-usage',
  quicksightEnabled: true,
  quicksightPrincipalArn: 'arn:aws:quicksight:us-east-1:111111111111:group/default/bi',
  emailMode: 'hmac',
  alarmEmail: 'ops@example.com',
  digestInsightsModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  digestInsightsRegions: 'us-east-1,us-east-2,us-west-2',
  alertsEnabled: true,
  alertsChannel: 'C0ADMIN',
  alertsBudgetUsd: 2000,
  metricsEnabled: true,
} as const;
