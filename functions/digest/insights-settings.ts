import { DigestConfigError } from './errors.ts';
import { DEFAULT_CHANGELOG_URL } from './insights-changelog.ts';
import { checkModelId, DEFAULT_INSIGHTS_TIMEOUT_MS } from './insights-model.ts';

/**
 * Settings of the automatic insights, shared by the command and the Lambda:
 *
 *   --insights auto|off        DIGEST_INSIGHTS                  (default off)
 *   --insights-model ID        DIGEST_INSIGHTS_MODEL            (default per provider)
 *                              DIGEST_INSIGHTS_TIMEOUT_SECONDS  (default 60)
 *                              DIGEST_CHANGELOG_URL             (default the public CHANGELOG.md)
 */
export type InsightsMode = 'auto' | 'off';

export interface InsightsSettings {
  readonly mode: InsightsMode;
  readonly model: string | undefined;
  readonly timeoutMs: number;
  readonly changelogUrl: string;
}

export function parseInsightsMode(text: string | undefined, name: string): InsightsMode {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '' || value === 'off') return 'off';
  if (value === 'auto') return 'auto';
  throw new DigestConfigError(`${name} must be auto or off; got "${text}"`);
}

export interface InsightsInputs {
  readonly mode: string | undefined;
  readonly modeName: string;
  readonly model: string | undefined;
  readonly modelName: string;
  readonly env: NodeJS.ProcessEnv;
}

export function insightsSettings(i: InsightsInputs): InsightsSettings {
  const timeoutText = i.env.DIGEST_INSIGHTS_TIMEOUT_SECONDS?.trim();
  let timeoutMs = DEFAULT_INSIGHTS_TIMEOUT_MS;
  if (timeoutText) {
    const seconds = Number(timeoutText);
    if (!(seconds > 0 && seconds <= 600)) {
      throw new DigestConfigError(
        `DIGEST_INSIGHTS_TIMEOUT_SECONDS must be a number of seconds from 0 to 600; got "${timeoutText}"`,
      );
    }
    timeoutMs = seconds * 1000;
  }
  const model = i.model?.trim() ? wrap(() => checkModelId(i.model as string, i.modelName)) : undefined;
  return {
    mode: parseInsightsMode(i.mode, i.modeName),
    model,
    timeoutMs,
    changelogUrl: i.env.DIGEST_CHANGELOG_URL?.trim() || DEFAULT_CHANGELOG_URL,
  };
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw new DigestConfigError((error as Error).message);
  }
}
