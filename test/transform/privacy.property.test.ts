import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_ATTRIBUTE_KEYS } from '../../functions/schema/allowlist.ts';
import { COLUMNS } from '../../functions/schema/columns.ts';
import { emailTransformer } from '../../functions/schema/email.ts';
import { TOOL_PARAMETER_KEYS } from '../../functions/schema/tool-parameters.ts';
import type { Reingester } from '../../functions/transform/reingest.ts';
import { transformBatch } from '../../functions/transform/transform-batch.ts';
import { eventOf, logEvent, outputRows, outputText } from '../helpers/cloudwatch.ts';

/**
 * The allowlist's fail-closed promise, end to end through the Firehose transform: secrets planted
 * in every field that is not allowlisted (attributes, resource, tool_parameters, extra keys of the
 * message) never appear in the output bytes, nor in the log line; output keys are schema columns.
 */

const MARK = 'ZQXSECRET';
const noReingest: Reingester = { put: () => Promise.reject(new Error('unexpected re-ingest')) };
const options = { email: emailTransformer({ mode: 'keep' }), reingester: noReingest };

/** A secret: the marker plus arbitrary text (quotes, backslashes, emoji, control characters). */
const secret = fc.string({ unit: 'binary', maxLength: 20 }).map((s) => `${MARK}${s}`);

/** A secret in any of the shapes a value can take: plain, AnyValue, nested, in an array. */
const secretValue = fc.oneof(
  secret,
  secret.map((s) => ({ stringValue: s })),
  secret.map((s) => ({ kvlistValue: { values: [{ key: 'k', value: { stringValue: s } }] } })),
  secret.map((s) => ({ nested: { deeper: [s] } })),
  secret.map((s) => [s, 1, true]),
);

const extraKey = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.constantFrom(
      'prompt',
      'tool_input',
      'error',
      'user.id',
      'organization.id',
      'vcs.ref',
      '__proto__',
      'constructor',
    ),
  )
  .filter((k) => !ALLOWED_ATTRIBUTE_KEYS.has(k));

const extras = fc.dictionary(extraKey, secretValue, { maxKeys: 8 });

const TOOLS = ['Bash', 'Agent', 'Task', 'mcp_tool', 'Skill', 'Read', 'Edit'];

/** tool_parameters for a tool: its own allowed keys benign, everything else secret. */
const toolParameters = (tool: string) =>
  fc
    .record({
      other: fc.dictionary(fc.string({ maxLength: 20 }), secretValue, { maxKeys: 5 }),
      foreign: fc.boolean(),
      nestedOwn: fc.boolean(),
    })
    .map(({ other, foreign, nestedOwn }) => {
      const params: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(other)) {
        if (!(Object.hasOwn(TOOL_PARAMETER_KEYS, key) && TOOL_PARAMETER_KEYS[key]!.includes(tool)))
          params[key] = value;
      }
      for (const [key, tools] of Object.entries(TOOL_PARAMETER_KEYS)) {
        if (!tools.includes(tool)) {
          if (foreign) params[key] = `${MARK}-foreign`;
        } else {
          params[key] = nestedOwn ? { name: `${MARK}-nested` } : 'benign-name';
        }
      }
      return JSON.stringify(params);
    });

/** Allowlisted numeric and boolean columns given secret text: must become null, not text. */
const typedKeys = ['cost_usd', 'input_tokens', 'duration_ms', 'success', 'event.sequence', 'status_code'];

const message = fc
  .record({
    name: fc.constantFrom(
      'api_request',
      'tool_result',
      'tool_decision',
      'user_prompt',
      'hook_x',
      'future_event',
    ),
    tool: fc.constantFrom(...TOOLS),
    attrs: extras,
    resourceAttrs: extras,
    top: fc.dictionary(
      fc
        .string({ maxLength: 10 })
        .filter((k) => !['body', 'attributes', 'resource', 'scope', 'instrumentationScope'].includes(k)),
      secretValue,
      { maxKeys: 3 },
    ),
    typed: fc.subarray(typedKeys),
    badBody: fc.boolean(),
  })
  .chain((m) => toolParameters(m.tool).map((tp) => ({ ...m, tp })));

describe('fail-closed allowlist, end to end', () => {
  it('no planted secret ever reaches the output bytes or the log; keys are schema columns', async () => {
    const columns = new Set<string>(COLUMNS.map((c) => c.name));
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 6 }), async (messages) => {
        const events = messages.map((m) =>
          logEvent({
            ...m.top,
            resource: { attributes: { ...m.resourceAttrs, 'service.name': 'claude-code' } },
            body: m.badBody ? `claude_code.${MARK}` : `claude_code.${m.name}`,
            attributes: {
              ...m.attrs,
              ...Object.fromEntries(m.typed.map((k) => [k, `${MARK}1`])),
              'event.timestamp': '2026-01-05T10:00:00.250Z',
              tool_name: m.tool,
              tool_parameters: m.tp,
            },
          }),
        );
        const { response, log } = await transformBatch(eventOf(events), options);
        const text = outputText(response.records);
        expect(text).not.toContain(MARK);
        expect(JSON.stringify(log.rejected) + JSON.stringify(log.failedRecords)).not.toContain(MARK);
        for (const r of response.records) {
          for (const row of r.result === 'Ok' ? outputRows(r) : []) {
            for (const key of Object.keys(row)) expect(columns.has(key)).toBe(true);
          }
        }
        expect(log.events.rows + log.events.skipped + log.events.rejected).toBe(events.length);
        expect(log.events.rows).toBe(messages.filter((m) => !m.badBody).length);
      }),
      { numRuns: 150 },
    );
  });
});
