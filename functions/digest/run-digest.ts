import type { SqlEngine } from '../sql/engine.ts';
import { buildDigest } from './build-digest.ts';
import { digestInputsOf, runDigestQueries } from './from-queries.ts';
import { describePeriod, digestWindows } from './period.ts';
import { slackMessage } from './render.ts';
import { type PostedMessage, postMessage, type SlackTarget } from './slack-post.ts';
import type { Digest } from './types.ts';

/**
 * The digest from start to end, shared by the `digest` command and the scheduled Lambda so that
 * both send the same message: windows -> named queries -> model -> Slack.
 */
export interface DigestJob {
  readonly engine: SqlEngine;
  readonly now: Date;
  readonly days: number;
  readonly timeZone: string;
  readonly dashboardUrl?: string | null;
  readonly insights?: string | null;
  readonly queriesDir?: string | undefined;
}

export async function createDigest(job: DigestJob): Promise<Digest> {
  const windows = digestWindows(job.now, job.days, job.timeZone);
  const results = await runDigestQueries(job.engine, windows.current, {
    queriesDir: job.queriesDir,
  });
  return buildDigest(digestInputsOf(results), {
    period: describePeriod(windows.current, job.days),
    generatedAt: job.now,
    dashboardUrl: job.dashboardUrl ?? null,
    insights: job.insights ?? null,
  });
}

export function postDigest(digest: Digest, target: SlackTarget): Promise<PostedMessage> {
  return postMessage(slackMessage(digest), target);
}
