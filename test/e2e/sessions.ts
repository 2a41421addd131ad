import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ClaudeResult, runClaude } from './claude-cli.ts';
import { SECRETS } from './scenarios.ts';

/**
 * The people and sessions of the real-client suite: each person is one install (their own
 * scratch HOME, so their own `user.id`), exporting in their own OTLP encoding; their sessions run
 * one after the other (`claude -c` resumes the previous one), the people concurrently.
 */
export interface Person {
  readonly name: string;
  readonly email?: string;
  readonly plan?: string;
  readonly protocol: 'http/json' | 'http/protobuf';
  readonly gzip: boolean;
  readonly model?: string;
  readonly permissionMode?: string;
}

export const PEOPLE: readonly Person[] = [
  { name: 'alice', email: 'Alice@Example.com', plan: 'team', protocol: 'http/json', gzip: true },
  {
    name: 'bob',
    email: 'bob@example.com',
    plan: 'enterprise',
    protocol: 'http/protobuf',
    gzip: false,
    model: 'claude-sonnet-4-5',
    permissionMode: 'acceptEdits',
  },
  // No e-mail: as with an API key, Bedrock or Vertex; only `user.id` identifies the install.
  { name: 'nomail', protocol: 'http/json', gzip: false, model: 'claude-haiku-4-5' },
];

export interface SessionPlan {
  readonly label: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** A run whose API calls finally fail exits non-zero; that is the scenario. */
  readonly expectFailure?: boolean;
}

export function sessionsOf(person: Person, home: string): readonly SessionPlan[] {
  switch (person.name) {
    case 'alice':
      return [
        { label: 'bash-read', args: ['-p', `SCN:bash-read check my notes, token ${SECRETS.prompt}`] },
        { label: 'resume', args: ['-c', '-p', `SCN:resume and list, ${SECRETS.resumePrompt}`] },
      ];
    case 'bob':
      return [
        { label: 'skills', args: ['-p', 'SCN:skills use the skills you have'] },
        { label: 'typed-skill', args: ['-p', `/greet SCN:typed ${SECRETS.skillArgs}`] },
        { label: 'agents', args: ['-p', 'SCN:agents run a background job and a quick look'] },
      ];
    default:
      return [
        {
          label: 'mcp',
          args: ['-p', 'SCN:mcp echo through the tiny server', '--mcp-config', join(home, 'mcp.json')],
        },
        {
          label: 'errors',
          args: ['-p', 'SCN:errors try hard'],
          env: { CLAUDE_CODE_MAX_RETRIES: '2' },
          expectFailure: true,
        },
      ];
  }
}

/** Plants a person's files: skills (user and project-local), the MCP config, a secret file. */
export async function preparePerson(
  person: Person,
  root: string,
  mcpServer: string,
): Promise<{ home: string; cwd: string }> {
  const home = join(root, person.name);
  const cwd = join(home, 'project');
  await mkdir(join(home, '.claude', 'skills', 'greet'), { recursive: true });
  await mkdir(join(cwd, '.claude', 'skills', 'local-notes'), { recursive: true });
  await mkdir(join(cwd, SECRETS.path), { recursive: true });
  await writeFile(
    join(home, '.claude', 'skills', 'greet', 'SKILL.md'),
    '---\nname: greet\ndescription: Greets people.\n---\nSay hello.\n',
  );
  await writeFile(
    join(cwd, '.claude', 'skills', 'local-notes', 'SKILL.md'),
    '---\nname: local-notes\ndescription: Notes kept with this project.\n---\nRead the notes.\n',
  );
  await writeFile(join(cwd, SECRETS.path, 'notes.txt'), `the file says ${SECRETS.fileContent}\n`);
  await writeFile(
    join(home, 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        tiny: { type: 'stdio', command: process.execPath, args: [mcpServer] },
        // A server that dies at start: Claude Code reports a failed connection.
        broken: { type: 'stdio', command: process.execPath, args: ['-e', 'process.exit(3)'] },
      },
    }),
  );
  await mkdir(join(home, 'tmp'), { recursive: true });
  return { home, cwd };
}

export interface SessionRun {
  readonly person: Person;
  readonly plan: SessionPlan;
  readonly result: ClaudeResult;
}

export async function runPerson(
  person: Person,
  where: { home: string; cwd: string },
  bin: string,
  apiUrl: string,
  logsUrl: string,
): Promise<SessionRun[]> {
  const env: Record<string, string> = {
    HOME: where.home,
    TMPDIR: join(where.home, 'tmp'),
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_EXPORTER_OTLP_PROTOCOL: person.protocol,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: logsUrl,
    OTEL_LOGS_EXPORT_INTERVAL: '250',
    OTEL_LOG_USER_PROMPTS: '1',
    OTEL_LOG_TOOL_DETAILS: '1',
    OTEL_LOG_TOOL_CONTENT: '1',
  };
  if (person.gzip) env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
  const resource = [
    ...(person.email ? [`user.email=${person.email}`] : []),
    ...(person.plan ? [`user.plan=${person.plan}`] : []),
  ];
  if (resource.length) env.OTEL_RESOURCE_ATTRIBUTES = resource.join(',');
  const runs: SessionRun[] = [];
  for (const plan of sessionsOf(person, where.home)) {
    const args = [
      ...plan.args,
      '--allowedTools',
      'Bash,Read,Skill,Agent,ToolSearch,mcp__tiny__echo',
      ...(person.model ? ['--model', person.model] : []),
      ...(person.permissionMode ? ['--permission-mode', person.permissionMode] : []),
    ];
    const result = await runClaude({ bin, args, cwd: where.cwd, env: { ...env, ...plan.env } });
    runs.push({ person, plan, result });
  }
  return runs;
}
