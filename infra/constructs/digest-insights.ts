import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * The digest's automatic insights on AWS: Bedrock Converse on one model, and the IAM grant for
 * exactly that model. Converse is authorized by `bedrock:InvokeModel` (AWS "Prerequisites for
 * inference profiles"), so that is the one action.
 *
 * - A foundation model id (`anthropic.claude-…-v1:0`): one ARN,
 *   `arn:aws:bedrock:<stack region>::foundation-model/<id>`.
 * - A cross-Region inference profile id (`us.anthropic.claude-…`): the profile's ARN in the
 *   stack's Region and account, plus the foundation model (id without the geo prefix) in each
 *   destination Region the profile routes to, which the team lists in `digestInsightsRegions`
 *   (the profile's page in the Bedrock console, or `aws bedrock get-inference-profile`, names them).
 */
export interface InsightsModelProps {
  /** Bedrock model id or cross-Region inference profile id. */
  readonly modelId: string;
  /** Destination Regions of an inference profile (ignored for a foundation model id). */
  readonly profileRegions: readonly string[];
}

/** The geo prefixes of system-defined cross-Region inference profiles. */
export const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

export const isInferenceProfile = (modelId: string): boolean => PROFILE_PREFIX.test(modelId);

export function insightsModelArns(
  props: InsightsModelProps,
  at: { readonly partition: string; readonly region: string; readonly account: string },
): string[] {
  if (!isInferenceProfile(props.modelId)) {
    return [`arn:${at.partition}:bedrock:${at.region}::foundation-model/${props.modelId}`];
  }
  const foundation = props.modelId.replace(PROFILE_PREFIX, '');
  return [
    `arn:${at.partition}:bedrock:${at.region}:${at.account}:inference-profile/${props.modelId}`,
    ...props.profileRegions.map((r) => `arn:${at.partition}:bedrock:${r}::foundation-model/${foundation}`),
  ];
}

/** Grants the role `bedrock:InvokeModel` on the model's ARNs only. */
export function grantInsightsModel(scope: IConstruct, role: iam.IRole, props: InsightsModelProps): void {
  const stack = Stack.of(scope);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'InvokeInsightsModel',
      actions: ['bedrock:InvokeModel'],
      resources: insightsModelArns(props, {
        partition: stack.partition,
        region: stack.region,
        account: stack.account,
      }),
    }),
  );
}

/** The digest Lambda's environment for the insights (functions/digest/lambda-config.ts). */
export function insightsEnvironment(props: InsightsModelProps | undefined): Record<string, string> {
  return props ? { DIGEST_INSIGHTS: 'auto', DIGEST_INSIGHTS_MODEL: props.modelId } : {};
}
