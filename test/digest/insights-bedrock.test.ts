import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDigestHandler } from '../../functions/digest/handler.ts';
import { openDuckDbEngine } from '../../functions/sql/duckdb-engine.ts';
import { startFakeChangelog } from '../helpers/fake-anthropic.ts';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.ts';
import { buildTestLake, type TestLake } from '../helpers/lake.ts';

/** The digest Lambda's insights: Bedrock Converse under aws-sdk-client-mock, the real lake and fake Slack. */
const TOKEN = 'xoxb-bedrock-TOKEN';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack-AbCdEf';
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const NOW = new Date('2026-01-12T08:00:00Z');

const secretsMock = mockClient(SecretsManagerClient);
const bedrockMock = mockClient(BedrockRuntimeClient);
let lake: TestLake;
let slack: FakeSlack;
let changelog: Awaited<ReturnType<typeof startFakeChangelog>>;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  lake = await buildTestLake({ seed: 5, teamSize: 6, days: 14, endMs: Date.UTC(2026, 0, 12) });
  slack = await startFakeSlack({ token: TOKEN, channels: { C0WEEKLY: 'member' } });
  changelog = await startFakeChangelog('## 3.0.0\n- Newest feature\n');
});
afterEach(() => {
  secretsMock.reset();
  bedrockMock.reset();
});
afterAll(async () => {
  await Promise.all([slack.close(), changelog.close()]);
  await lake.dispose();
  expect(JSON.stringify(logs)).not.toContain(TOKEN);
});

function handler(extra: Record<string, string> = {}) {
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: TOKEN });
  return createDigestHandler({
    env: {
      SLACK_SECRET_ARN: ARN,
      SLACK_CHANNEL: 'C0WEEKLY',
      SLACK_API_URL: slack.apiUrl,
      ATHENA_WORKGROUP: 'wg',
      ATHENA_DATABASE: 'db',
      AWS_REGION: 'us-east-1',
      DIGEST_INSIGHTS: 'auto',
      DIGEST_INSIGHTS_MODEL: MODEL,
      DIGEST_CHANGELOG_URL: changelog.url,
      ...extra,
    },
    secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    bedrock: new BedrockRuntimeClient({ region: 'us-east-1' }),
    openEngine: () => openDuckDbEngine({ lake: lake.dir, timeZone: 'UTC' }),
    now: () => NOW,
    retryConfig: { retries: 0 },
    log: (entry) => logs.push(entry),
  });
}

const answer = (text: string) => ({
  output: { message: { role: 'assistant' as const, content: [{ text }] } },
  stopReason: 'end_turn' as const,
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
  metrics: { latencyMs: 1 },
});

const sectionsOf = () => slack.posts.at(-1)!.blocks.map((b) => b.text?.text ?? '');

describe('digest Lambda with DIGEST_INSIGHTS=auto', () => {
  it('calls Converse on the configured model with aggregates only, and posts the cleaned insights', async () => {
    bedrockMock
      .on(ConverseCommand)
      .resolves(answer('Great week! <!channel> @nobody-here tried <https://evil.example|this>.'));
    await handler()({});
    const calls = bedrockMock.commandCalls(ConverseCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.modelId).toBe(MODEL);
    const raw = JSON.stringify(input);
    const sessionIds = new Set(lake.rows.map((r) => r.session_id).filter((s): s is string => !!s));
    for (const id of sessionIds) expect(raw).not.toContain(id);
    expect(raw).not.toMatch(/ev-\d+|session_id|prompt_id/);
    expect(raw).toContain('Newest feature');
    const user = input.messages![0]!.content![0]!.text!;
    expect(JSON.parse(/```json\n([\s\S]*?)\n```/.exec(user)![1]!)).toHaveProperty('totals.sessions.value');
    const sections = sectionsOf();
    const at = sections.indexOf('*:sparkles: Insights*');
    expect(sections[at + 1]).toBe('Great week! channel a teammate tried this.');
  });

  it('posts without insights when Bedrock fails, with one warning, and the run succeeds', async () => {
    bedrockMock.on(ConverseCommand).rejects(
      Object.assign(new Error('Model access denied'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const result = await handler()({});
    expect(result.channel).toBe('C0WEEKLY');
    expect(sectionsOf().some((t) => t.includes('Insights'))).toBe(false);
    const warnings = logs.filter((l) => l.level === 'warn' && String(l.message).startsWith('insights:'));
    expect(warnings.at(-1)!.message).toBe(
      `insights: Bedrock ${MODEL} failed (AccessDeniedException, HTTP 403); the digest goes without insights`,
    );
  });

  it('DIGEST_INSIGHTS=auto without a model id is a configuration error', async () => {
    await expect(handler({ DIGEST_INSIGHTS_MODEL: '' })({})).rejects.toThrow(/needs DIGEST_INSIGHTS_MODEL/);
  });

  it('off: Bedrock is never called', async () => {
    await handler({ DIGEST_INSIGHTS: 'off' })({});
    expect(bedrockMock.commandCalls(ConverseCommand)).toHaveLength(0);
  });
});
