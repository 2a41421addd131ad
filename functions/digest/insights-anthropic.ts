import type { InsightsModel } from './insights-model.ts';
import type { InsightsRequest } from './insights-prompt.ts';

/**
 * Insights through the Anthropic Messages API with the official SDK, imported on first use.
 * `baseUrl` (ANTHROPIC_BASE_URL) points it elsewhere, e.g. at the tests' local fake API.
 * Streaming is the default: the answer arrives as it is written, and a long one does not hit
 * an idle-connection cut.
 */
export interface AnthropicModelOptions {
  readonly apiKey: string;
  readonly model: string;
  readonly baseUrl?: string | undefined;
  readonly stream?: boolean;
  /** Retries of a 429/5xx/connection error (the SDK backs off between them). @default 1 */
  readonly maxRetries?: number;
}

export function anthropicModel(options: AnthropicModelOptions): InsightsModel {
  return {
    label: `Anthropic API ${options.model}`,
    async write(request: InsightsRequest, signal: AbortSignal): Promise<string> {
      const { default: Anthropic } = await import('@anthropic-ai/sdk');
      const client = new Anthropic({
        apiKey: options.apiKey,
        ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
        maxRetries: options.maxRetries ?? 1,
      });
      const body = {
        model: options.model,
        max_tokens: request.maxTokens,
        system: request.system,
        messages: [{ role: 'user' as const, content: request.user }],
      };
      if (options.stream ?? true) {
        return client.messages.stream(body, { signal }).finalText();
      }
      const message = await client.messages.create(body, { signal });
      return message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
    },
  };
}
