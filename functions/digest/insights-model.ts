import type { InsightsRequest } from './insights-prompt.ts';

/**
 * A model that writes the insights: the Anthropic Messages API locally (insights-anthropic.ts),
 * Amazon Bedrock Converse in the digest Lambda (insights-bedrock.ts). Each loads its SDK only
 * when called, so a digest without insights never imports either.
 */
export interface InsightsModel {
  /** For the one stderr line, e.g. `anthropic claude-sonnet-4-6`. */
  readonly label: string;
  write(request: InsightsRequest, signal: AbortSignal): Promise<string>;
}

/** The Anthropic API model used when neither --insights-model nor DIGEST_INSIGHTS_MODEL is set. */
export const DEFAULT_INSIGHTS_MODEL = 'claude-sonnet-4-6';
/** The whole call (changelog excluded) must finish within this, or the digest goes without. */
export const DEFAULT_INSIGHTS_TIMEOUT_MS = 60_000;

/** A model id as accepted by the Anthropic API or Bedrock (`us.anthropic.claude-...-v1:0`). */
export function checkModelId(id: string, name: string): string {
  const trimmed = id.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/.test(trimmed)) {
    throw new Error(`${name} must be a model id such as ${DEFAULT_INSIGHTS_MODEL}; got "${id}"`);
  }
  return trimmed;
}
