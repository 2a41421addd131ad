import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { InsightsModel } from './insights-model.ts';
import type { InsightsRequest } from './insights-prompt.ts';

/**
 * Insights through Amazon Bedrock's Converse API, for the digest Lambda. `modelId` is a
 * foundation model id or an inference profile id (`us.anthropic.…`); the stack grants
 * bedrock:InvokeModel on exactly that one (infra/constructs/digest-insights.ts). The SDK is
 * imported on first use.
 */
export interface BedrockModelOptions {
  readonly modelId: string;
  readonly region?: string | undefined;
  /** A client to use (tests pass one with aws-sdk-client-mock). */
  readonly client?: BedrockRuntimeClient;
}

export function bedrockModel(options: BedrockModelOptions): InsightsModel {
  let client = options.client;
  return {
    label: `Bedrock ${options.modelId}`,
    async write(request: InsightsRequest, signal: AbortSignal): Promise<string> {
      const sdk = await import('@aws-sdk/client-bedrock-runtime');
      client ??= new sdk.BedrockRuntimeClient(
        options.region ? { region: options.region, maxAttempts: 2 } : { maxAttempts: 2 },
      );
      const answer = await client.send(
        new sdk.ConverseCommand({
          modelId: options.modelId,
          system: [{ text: request.system }],
          messages: [{ role: 'user', content: [{ text: request.user }] }],
          inferenceConfig: { maxTokens: request.maxTokens },
        }),
        { abortSignal: signal },
      );
      const blocks = answer.output?.message?.content ?? [];
      return blocks.flatMap((b) => (typeof b.text === 'string' ? [b.text] : [])).join('');
    },
  };
}
