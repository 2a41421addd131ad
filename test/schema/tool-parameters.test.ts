import { describe, expect, it } from 'vitest';
import { extractToolParameters, MAX_TOOL_PARAMETERS_LENGTH } from '../../functions/schema/tool-parameters.ts';

const json = (value: unknown) => JSON.stringify(value);

describe('extractToolParameters', () => {
  it('extracts only the allowed key of each tool', () => {
    expect(
      extractToolParameters(
        'Agent',
        json({ subagent_type: 'Explore', prompt: 'SECRET', description: 'SECRET' }),
      ),
    ).toEqual({
      subagent_type: 'Explore',
    });
    expect(extractToolParameters('Task', json({ subagent_type: 'Plan' }))).toEqual({ subagent_type: 'Plan' });
    expect(
      extractToolParameters(
        'mcp_tool',
        json({ mcp_server_name: 'github', mcp_tool_name: 'search', query: 'SECRET' }),
      ),
    ).toEqual({ mcp_server_name: 'github', mcp_tool_name: 'search' });
    expect(extractToolParameters('Skill', json({ skill_name: 'pdf', args: 'SECRET' }))).toEqual({
      skill_name: 'pdf',
    });
  });

  it('ignores allowed keys carried by another tool', () => {
    const all = json({ subagent_type: 'a', mcp_server_name: 'b', mcp_tool_name: 'c', skill_name: 'd' });
    expect(extractToolParameters('Bash', all)).toEqual({});
    expect(extractToolParameters('Agent', all)).toEqual({ subagent_type: 'a' });
    expect(extractToolParameters('Skill', all)).toEqual({ skill_name: 'd' });
    expect(extractToolParameters('mcp_tool', all)).toEqual({ mcp_server_name: 'b', mcp_tool_name: 'c' });
    expect(extractToolParameters(undefined, all)).toEqual({});
    expect(extractToolParameters('agent', all)).toEqual({});
  });

  it('gives nothing for malformed JSON, non-objects and non-strings', () => {
    for (const raw of [
      '{"subagent_type":"Explore"',
      'subagent_type=Explore',
      '',
      '[]',
      '"Explore"',
      'null',
      '42',
      42,
      null,
      undefined,
      {},
    ]) {
      expect(extractToolParameters('Agent', raw)).toEqual({});
    }
    expect(extractToolParameters('Agent', json([{ subagent_type: 'Explore' }]))).toEqual({});
  });

  it('takes strings only: nested objects, arrays, numbers under an allowed key are not names', () => {
    for (const value of [{ name: 'Explore' }, ['Explore'], 42, true, null]) {
      expect(extractToolParameters('Agent', json({ subagent_type: value }))).toEqual({});
    }
    expect(extractToolParameters('Agent', json({ nested: { subagent_type: 'SECRET' } }))).toEqual({});
  });

  it('caps values and refuses to parse huge strings', () => {
    expect(extractToolParameters('Skill', json({ skill_name: 'x'.repeat(1000) })).skill_name).toHaveLength(
      256,
    );
    const padded = (n: number) => {
      const base = json({ skill_name: 'pdf', pad: '' });
      return base.replace('"pad":""', `"pad":"${'p'.repeat(n - base.length)}"`);
    };
    expect(padded(MAX_TOOL_PARAMETERS_LENGTH)).toHaveLength(MAX_TOOL_PARAMETERS_LENGTH);
    expect(extractToolParameters('Skill', padded(MAX_TOOL_PARAMETERS_LENGTH))).toEqual({ skill_name: 'pdf' });
    expect(extractToolParameters('Skill', padded(MAX_TOOL_PARAMETERS_LENGTH + 1))).toEqual({});
  });

  it('reads AnyValue-wrapped tool names and parameters, and ignores inherited keys', () => {
    expect(
      extractToolParameters({ stringValue: 'Agent' }, { stringValue: json({ subagent_type: 'Explore' }) }),
    ).toEqual({ subagent_type: 'Explore' });
    expect(extractToolParameters('Agent', '{"__proto__":{"subagent_type":"SECRET"}}')).toEqual({});
    expect(extractToolParameters('Agent', '{"subagent_type":"a","subagent_type":"b"}')).toEqual({
      subagent_type: 'b',
    });
  });
});
