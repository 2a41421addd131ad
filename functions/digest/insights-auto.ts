import { type ChangelogOptions, newestChangelog } from './insights-changelog.ts';
import { cleanInsights } from './insights-guard.ts';
import { DEFAULT_INSIGHTS_TIMEOUT_MS, type InsightsModel } from './insights-model.ts';
import { insightsRequest } from './insights-prompt.ts';
import type { Digest } from './types.ts';

/**
 * `digest --insights auto`: asks a model for the Insights section and returns the digest with it,
 * cleaned by the guards (insights-guard.ts). Never fails the digest: a failed or slow call, an
 * empty answer or an empty window give the digest without insights and one line saying why.
 *
 *   const digest = await withAutoInsights(built, { model, log: io.err })
 */
export interface AutoInsightsOptions {
  readonly model: InsightsModel;
  readonly changelog?: ChangelogOptions;
  readonly timeoutMs?: number;
  /** One line per outcome; never holds a key (errors are reduced to their kind and status). */
  readonly log: (line: string) => void;
}

export async function withAutoInsights(digest: Digest, options: AutoInsightsOptions): Promise<Digest> {
  if (digest.empty) {
    options.log('insights: skipped, the window has no activity');
    return digest;
  }
  const changelog = await newestChangelog(options.changelog);
  if (!changelog.ok) {
    options.log(
      `insights: the Claude Code changelog was not fetched (${changelog.reason}); writing without it`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_INSIGHTS_TIMEOUT_MS;
  try {
    const answer = await options.model.write(
      insightsRequest(digest, changelog.ok ? changelog.text : null),
      AbortSignal.timeout(timeoutMs),
    );
    const insights = cleanInsights(answer, digest);
    if (insights === '') {
      options.log(`insights: ${options.model.label} gave an empty answer; the digest goes without insights`);
      return digest;
    }
    return { ...digest, insights };
  } catch (error) {
    options.log(
      `insights: ${options.model.label} failed (${whyFailed(error, timeoutMs)}); the digest goes without insights`,
    );
    return digest;
  }
}

/** A short reason from an SDK error: its status and kind, never its headers or request. */
export function whyFailed(error: unknown, timeoutMs: number): string {
  const e = error as {
    name?: string;
    status?: number;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  const name = e?.name ?? 'Error';
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    name === 'APIUserAbortError' ||
    /timeout/i.test(name)
  ) {
    return `timed out after ${timeoutMs} ms`;
  }
  const status = e?.status ?? e?.$metadata?.httpStatusCode;
  if (status) return `${name}, HTTP ${status}`;
  return e?.code ? `${name}, ${e.code}` : name;
}
