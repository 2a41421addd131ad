import { unwrapAnyValue } from '../otlp/any-value.ts';
import { toStringValue } from './coerce.ts';

/**
 * `tool_parameters` is a JSON string that can hold Bash commands, file paths and descriptions.
 * Only these keys are read, and only from the tools that define them; everything else in it is
 * never looked at, also when another tool carries the same key.
 */
export const TOOL_PARAMETER_KEYS: Readonly<Record<string, readonly string[]>> = {
  subagent_type: ['Agent', 'Task'],
  mcp_server_name: ['mcp_tool'],
  mcp_tool_name: ['mcp_tool'],
  skill_name: ['Skill'],
};

/** Longer `tool_parameters` strings are not parsed at all (a real one of interest is tiny). */
export const MAX_TOOL_PARAMETERS_LENGTH = 64 * 1024;

const TOOLS_WITH_KEYS = new Set(Object.values(TOOL_PARAMETER_KEYS).flat());

export type ToolParameters = Readonly<Record<string, string>>;

const NONE: ToolParameters = Object.freeze({});

/**
 * The allowed keys of `tool_parameters` for this tool, as capped strings.
 *
 *   extractToolParameters('Agent', '{"subagent_type":"Explore","prompt":"secret"}') -> { subagent_type: 'Explore' }
 *   extractToolParameters('Bash', '{"subagent_type":"x"}') -> {}
 */
export function extractToolParameters(toolName: unknown, raw: unknown): ToolParameters {
  const tool = unwrapAnyValue(toolName);
  if (typeof tool !== 'string' || !TOOLS_WITH_KEYS.has(tool)) return NONE;
  const text = unwrapAnyValue(raw);
  if (typeof text !== 'string' || text.length > MAX_TOOL_PARAMETERS_LENGTH) return NONE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return NONE;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return NONE;
  const found: Record<string, string> = {};
  for (const [key, tools] of Object.entries(TOOL_PARAMETER_KEYS)) {
    if (!tools.includes(tool) || !Object.hasOwn(parsed, key)) continue;
    const value = (parsed as Record<string, unknown>)[key];
    // Strings only: a nested object or array under an allowed key is not a name.
    const text = typeof value === 'string' ? toStringValue(value) : null;
    if (text !== null) found[key] = text;
  }
  return found;
}
