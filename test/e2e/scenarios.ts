import type { Block, MessagesRequest, Reply, Script } from './fake-anthropic.ts';

/**
 * What the fake Anthropic API answers, step by step, for each scenario of the real-client suite.
 * A conversation names its scenario with a marker `SCN:<name>` in a user message (the prompt, the
 * typed skill's arguments, a subagent's prompt); the step is the number of assistant turns since
 * that message. Requests without a marker (Claude Code's own side requests) get a short text.
 */

/** Strings that must never reach the lake, serve's output or the transform's output. */
export const SECRETS = {
  prompt: 'zzsecret-prompt-4f1e9a',
  command: 'zzsecret-command-b27c55',
  path: 'zzsecret-path-93d0aa',
  fileContent: 'zzsecret-filecontent-61be02',
  missingPath: 'zzsecret-missing-0c4d71',
  response: 'zzsecret-response-7a2f10',
  skillArgs: 'zzsecret-skillargs-d81e33',
  agentPrompt: 'zzsecret-agentprompt-5e9b04',
  mcpText: 'zzsecret-mcptext-a0c3f8',
  apiError: 'zzsecret-apierror-2b7d96',
  resumePrompt: 'zzsecret-resume-c4e8a1',
} as const;

export interface ScenarioPaths {
  /** Working directory of the person running `SCN:bash-read` (its files are planted there). */
  readonly bashReadCwd: string;
}

const text = (t: string): Reply => ({ kind: 'message', content: [{ type: 'text', text: t }] });
const tool = (name: string, input: Record<string, unknown>, say?: string): Reply => ({
  kind: 'message',
  content: [...(say ? [{ type: 'text', text: say } as Block] : []), { type: 'tool_use', name, input }],
  usage: {
    input_tokens: 120,
    output_tokens: 30,
    cache_read_input_tokens: 400,
    cache_creation_input_tokens: 60,
  },
});
const fail = (status: number): Reply => ({
  kind: 'error',
  status,
  message: `upstream trouble ${SECRETS.apiError}`,
});

type Step = Reply | ((attempt: number) => Reply);

export function scenarioSteps(paths: ScenarioPaths): Record<string, readonly Step[]> {
  const secretDir = `${paths.bashReadCwd}/${SECRETS.path}`;
  return {
    'bash-read': [
      tool('Bash', { command: `echo ${SECRETS.command} | wc -c`, description: 'count' }, 'Counting.'),
      tool('Read', { file_path: `${secretDir}/notes.txt` }),
      tool('Read', { file_path: `${paths.bashReadCwd}/${SECRETS.missingPath}/nothing.txt` }),
      text(`All done: ${SECRETS.response}`),
    ],
    resume: [tool('Bash', { command: 'ls', description: 'list' }), text('Resumed and listed.')],
    skills: [
      tool('Skill', { skill: 'greet' }),
      tool('Skill', { skill: 'local-notes' }),
      text('Used two skills.'),
    ],
    typed: [text('Greeted.')],
    agents: [
      tool('Agent', {
        description: 'background job',
        prompt: `SCN:sub-bg ${SECRETS.agentPrompt}`,
        subagent_type: 'general-purpose',
        run_in_background: true,
      }),
      tool('Agent', {
        description: 'quick look',
        prompt: 'SCN:sub-explore look around',
        subagent_type: 'Explore',
        run_in_background: false,
      }),
      text('Waiting for the background job.'),
      text('The background job reported back.'),
    ],
    'sub-bg': [
      tool('Bash', { command: 'echo sub', description: 'sub step' }),
      text('Background job finished.'),
    ],
    'sub-explore': [text('Nothing to see.')],
    mcp: [
      tool('ToolSearch', { query: 'select:mcp__tiny__echo', max_results: 1 }),
      tool('mcp__tiny__echo', { text: SECRETS.mcpText }),
      text('Echoed.'),
    ],
    // First request: one 500 that a retry recovers; second: 500s until retries run out.
    errors: [
      (attempt) => (attempt === 1 ? fail(500) : tool('Bash', { command: 'true', description: 'noop' })),
      () => fail(500),
    ],
  };
}

const MARKER = /SCN:([a-z-]+)/;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: { type?: string; text?: string }) => (b.type === 'text' ? (b.text ?? '') : ''))
    .join('\n');
}

/** The script for the fake API: finds the scenario and step of a request, counts retries. */
export function scenarioScript(paths: ScenarioPaths): Script {
  const steps = scenarioSteps(paths);
  const attempts = new Map<string, number>();
  return (request: MessagesRequest) => {
    let markerAt = -1;
    let name: string | undefined;
    request.messages.forEach((m, i) => {
      const match = m.role === 'user' ? MARKER.exec(textOf(m.content)) : null;
      if (match) {
        markerAt = i;
        name = match[1];
      }
    });
    const list = name === undefined ? undefined : steps[name];
    if (!list) return text('ok');
    const step = request.messages.slice(markerAt).filter((m) => m.role === 'assistant').length;
    const key = `${name}:${step}:${request.messages.length}:${JSON.stringify(request.messages.at(-1)).length}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const entry = list[step] ?? text('end');
    return typeof entry === 'function' ? entry(attempt) : entry;
  };
}
