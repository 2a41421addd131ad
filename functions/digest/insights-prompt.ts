import type { Digest } from './types.ts';

/**
 * What the model is given for the automatic insights, and nothing else: the framing rules, the
 * digest's aggregates (the same JSON as `digest --format json`, without any earlier insights)
 * and the newest changelog entries. The digest holds no prompt, command, path, session id or raw
 * event (types.ts), so neither does the request.
 */
export interface InsightsRequest {
  readonly system: string;
  readonly user: string;
  readonly maxTokens: number;
}

export const INSIGHTS_MAX_TOKENS = 1_200;

export const FRAMING_RULES = `You write the "Insights" section of a Claude Code team usage digest that is posted to Slack.
Rules, all of them binding:
- Positive and adoption-oriented: celebrate what people and skills did, suggest next steps that help more of the team get value.
- Never name anyone for low or no usage, never write a "least" list, never guess why someone is absent.
- Name people only as @name, using exactly the names in the data (the "user" fields). Name nobody else.
- Figures only from the data, as given; cost is API-equivalent USD (what the tokens would cost at API prices), not a bill.
- Three short parts: what the team's usage shows, the newest Claude Code features from the changelog that fit this team, two or three next steps.
- Slack mrkdwn: *bold*, _italic_, bullet lines starting with "• ". No headings, no title (the digest adds "Insights"), no tables, no @channel/@here, no user or channel mentions.
- Links only to code.claude.com or docs.claude.com pages, as <https://code.claude.com/docs/en/...|label>.
- At most 250 words.`;

/**
 * The digest as the model sees it: the JSON output minus any insights already attached, and the
 * dashboard link without its query or fragment (where a dashboard token could sit).
 */
export function aggregatesOf(digest: Digest): Omit<Digest, 'insights'> {
  const { insights: _ignored, ...rest } = digest;
  if (!rest.dashboardUrl) return rest;
  const url = new URL(rest.dashboardUrl);
  return { ...rest, dashboardUrl: `${url.origin}${url.pathname}` };
}

export function insightsRequest(digest: Digest, changelog: string | null): InsightsRequest {
  const parts = [
    'The digest data (JSON):',
    '```json',
    JSON.stringify(aggregatesOf(digest), null, 2),
    '```',
    changelog
      ? ['The newest Claude Code changelog entries:', '```markdown', changelog, '```'].join('\n')
      : 'The changelog could not be fetched: write the features part from what you know and add "(check the changelog for the latest)".',
    'Write the Insights section now.',
  ];
  return { system: FRAMING_RULES, user: parts.join('\n'), maxTokens: INSIGHTS_MAX_TOKENS };
}
