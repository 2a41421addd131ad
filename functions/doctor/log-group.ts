import { DescribeLogGroupsCommand, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { type DoctorClients, errorLine, fail, type HopResult, pass } from './hop.ts';

const HOP = 'bearer-token auth';

/** Hop 2: the raw log group exists and accepts API keys (bearer token authentication on). */
export async function checkBearerAuth(clients: DoctorClients, logGroupName: string): Promise<HopResult> {
  let groups: LogGroup[] | undefined;
  try {
    groups = (await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName })))
      .logGroups;
  } catch (error) {
    return fail(HOP, `cannot describe ${logGroupName}: ${errorLine(error)}`, 'grant logs:DescribeLogGroups');
  }
  const group = groups?.find((g) => g.logGroupName === logGroupName);
  if (!group) {
    return fail(HOP, `log group ${logGroupName} does not exist`, 'redeploy the stack (`npx cdk deploy`)');
  }
  if (group.bearerTokenAuthenticationEnabled !== true) {
    return fail(
      HOP,
      `log group ${logGroupName} has bearer token authentication off: Claude Code's API key is refused`,
      `redeploy the stack, or: aws logs put-bearer-token-authentication --log-group-identifier ${logGroupName} ` +
        '--bearer-token-authentication-enabled',
    );
  }
  return pass(HOP, `${logGroupName} accepts API keys (retention ${group.retentionInDays ?? 'none'} day(s))`);
}
