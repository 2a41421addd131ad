import { Prng } from './prng.ts';
import { type Member, makeTeam } from './team.ts';

/**
 * Seeded, realistic Claude Code telemetry for a team: what the demo sends through the local
 * endpoint and what tests build lakes from. Events carry the private attributes real Claude Code
 * sends (prompt, tool input, commands, ids), so every run exercises the allowlist.
 *
 *   generateTeamActivity({ seed: 7, teamSize: 15, days: 7, endMs }) ->
 *     { team: [...15 members], events: [{ body: 'claude_code.user_prompt', attributes: {...}, resource: {...}, timeMs }] }
 */
export interface DemoEvent {
  readonly body: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly resource: Readonly<Record<string, string>>;
  readonly timeMs: number;
}

export interface TeamActivityOptions {
  readonly seed?: number;
  readonly teamSize?: number;
  readonly days?: number;
  /** Exclusive end of the generated period, epoch ms (default: now). */
  readonly endMs?: number;
}

export interface TeamActivity {
  readonly team: readonly Member[];
  readonly events: readonly DemoEvent[];
}

const DAY_MS = 86_400_000;
const MODELS = {
  opus: 'claude-opus-4-5-20251101',
  sonnet: 'claude-sonnet-4-5-20250929',
  haiku: 'claude-haiku-4-5-20251001',
} as const;
// USD per million tokens: input, output, cache read, cache write.
const PRICES: Record<keyof typeof MODELS, readonly [number, number, number, number]> = {
  opus: [5, 25, 0.5, 6.25],
  sonnet: [3, 15, 0.3, 3.75],
  haiku: [1, 5, 0.1, 1.25],
};
const SUBAGENTS = ['Explore', 'general-purpose', 'code-reviewer', 'Plan'] as const;
const MCP_TOOLS: Record<string, readonly string[]> = {
  slack: ['post_message', 'search_messages'],
  'google-calendar': ['list_events', 'create_event'],
  github: ['create_pull_request', 'get_issue'],
  linear: ['create_issue'],
  notion: ['search'],
};

export function generateTeamActivity(options: TeamActivityOptions = {}): TeamActivity {
  const prng = new Prng(options.seed ?? 42);
  const team = makeTeam(prng, options.teamSize ?? 15);
  const days = options.days ?? 7;
  const endMs = options.endMs ?? Date.now();
  const events: DemoEvent[] = [];
  for (let d = days; d >= 1; d--) {
    const dayStart = Math.floor((endMs - d * DAY_MS) / DAY_MS) * DAY_MS;
    const weekend = [0, 6].includes(new Date(dayStart).getUTCDay());
    for (const member of team) {
      const expected = member.sessionsPerDay * (weekend ? 0.2 : 1);
      const sessions = Math.floor(expected) + (prng.chance(expected % 1) ? 1 : 0);
      for (let s = 0; s < sessions; s++) {
        const start = dayStart + prng.int(7 * 60, 19 * 60) * 60_000 + prng.int(0, 59_999);
        new Session(prng, member, start, events).run();
      }
    }
  }
  return { team, events: events.filter((e) => e.timeMs < endMs).sort((a, b) => a.timeMs - b.timeMs) };
}

/** One Claude Code session: prompts, each followed by API requests and tool calls. */
class Session {
  private readonly sessionId: string;
  private sequence = 0;
  private clock: number;
  private promptId = '';

  constructor(
    private readonly prng: Prng,
    private readonly member: Member,
    start: number,
    private readonly out: DemoEvent[],
  ) {
    this.sessionId = prng.uuid();
    this.clock = start;
  }

  run(): void {
    const prompts = this.prng.int(2, 12);
    for (let p = 0; p < prompts; p++) {
      this.promptId = this.prng.uuid();
      this.emit('user_prompt', {
        prompt_length: this.num(this.prng.int(12, 2400), false),
        prompt: '<REDACTED>',
        ...(this.prng.chance(0.1) ? { command_name: this.prng.pick(['/review', '/compact', '/init']) } : {}),
      });
      const steps = this.prng.int(1, 5);
      for (let step = 0; step < steps; step++) {
        this.apiRequest('repl_main_thread', {});
        if (this.prng.chance(0.03)) this.apiError();
        if (step < steps - 1) this.toolCall();
      }
      this.clock += this.prng.int(30, 600) * 1000;
    }
  }

  private toolCall(): void {
    const { member, prng } = this;
    const choices: [string, number][] = [
      ['Read', 5],
      ['Edit', 3],
      ['Bash', 3],
      ['Grep', 2],
      ['Skill', 1.2],
      ['Agent', 1],
    ];
    if (member.mcpServers.length > 0) choices.push(['mcp_tool', 1.5]);
    const tool = prng.weighted(choices);
    if (tool === 'Skill') this.skill();
    else if (tool === 'Agent') this.subagent();
    else if (tool === 'mcp_tool') this.mcpCall();
    else this.builtinTool(tool);
  }

  private builtinTool(tool: string): void {
    const { prng } = this;
    if (tool === 'Bash') {
      this.emit('tool_decision', {
        tool_name: 'Bash',
        decision: prng.chance(0.95) ? 'accept' : 'reject',
        source: prng.pick(['config', 'user_temporary', 'user_permanent']),
        tool_parameters: JSON.stringify({ bash_command: 'git push origin feature/secret-project' }),
      });
    }
    const params: Record<string, string> =
      tool === 'Bash'
        ? { bash_command: 'AWS_SECRET_ACCESS_KEY=hunter2 ./deploy.sh', full_command: './deploy.sh --prod' }
        : { file_path: '/Users/someone/private-repo/src/payments.ts' };
    this.toolResult(tool, params);
  }

  private skill(): void {
    const skill = this.prng.pick(this.member.favouriteSkills);
    const trigger = this.prng.weighted([
      ['user-slash', 2],
      ['claude-proactive', 3],
      ['project-local', 1],
    ] as const);
    // A slash command activates without a tool call; project-local skills fire no skill_activated.
    if (trigger !== 'project-local') {
      this.emit('skill_activated', {
        'skill.name': skill,
        invocation_trigger: trigger,
        'skill.source': 'user',
      });
    }
    if (trigger !== 'user-slash') this.toolResult('Skill', { skill_name: skill, args: 'private arguments' });
    this.apiRequest('repl_main_thread', { 'skill.name': skill });
  }

  private subagent(): void {
    const type = this.prng.chance(0.15) ? undefined : this.prng.pick(SUBAGENTS);
    const tool = this.member.appVersion < '2.1.120' ? 'Task' : 'Agent';
    const calls = this.prng.int(1, 4);
    for (let i = 0; i < calls; i++)
      this.apiRequest(type ?? 'general-purpose', { 'agent.name': type ?? 'general-purpose' });
    this.toolResult(tool, {
      ...(type ? { subagent_type: type } : {}),
      prompt: 'Investigate the customer database dump in /data/prod',
      description: 'look at secrets',
    });
  }

  private mcpCall(): void {
    const server = this.prng.pick(this.member.mcpServers);
    const tool = this.prng.pick(MCP_TOOLS[server] ?? ['call']);
    this.toolResult('mcp_tool', {
      mcp_server_name: server,
      mcp_tool_name: tool,
      text: 'private message body',
    });
    this.apiRequest('repl_main_thread', { 'mcp_server.name': server, 'mcp_tool.name': tool });
  }

  private toolResult(tool: string, params: Record<string, string>): void {
    const ok = this.prng.chance(0.94);
    this.emit('tool_result', {
      tool_name: tool,
      success: ok ? 'true' : 'false',
      duration_ms: this.num(this.prng.int(5, 20_000), false),
      ...(ok
        ? {}
        : {
            error_type: this.prng.pick(['timeout', 'permission_denied', 'exit_code']),
            error: 'stderr: secret path /etc/shadow',
          }),
      decision_type: 'accept',
      decision_source: 'config',
      tool_parameters: JSON.stringify(params),
      tool_input: JSON.stringify({ command: 'cat ~/.ssh/id_rsa' }),
      tool_use_id: this.prng.uuid(),
    });
  }

  private apiRequest(querySource: string, attribution: Record<string, string>): void {
    const family = this.modelFamily(querySource);
    const input = this.prng.int(3, 2_000);
    const output = this.prng.int(40, 3_000);
    const cacheRead = this.prng.int(5_000, 180_000);
    const cacheWrite = this.prng.chance(0.3) ? this.prng.int(500, 20_000) : 0;
    const [pi, po, pr, pw] = PRICES[family];
    const cost =
      Math.round(((input * pi + output * po + cacheRead * pr + cacheWrite * pw) / 1e6) * 1e7) / 1e7;
    this.emit('api_request', {
      model: MODELS[family],
      cost_usd: this.num(cost, true),
      duration_ms: this.num(this.prng.int(800, 45_000), true),
      input_tokens: this.num(input, true),
      output_tokens: this.num(output, true),
      cache_read_tokens: this.num(cacheRead, true),
      cache_creation_tokens: this.num(cacheWrite, true),
      query_source: querySource,
      request_id: `req_${this.prng.uuid()}`,
      ...attribution,
    });
  }

  private apiError(): void {
    this.emit('api_error', {
      model: MODELS[this.modelFamily('repl_main_thread')],
      error: 'Overloaded: request req_secret failed',
      status_code: this.num(this.prng.pick([429, 529, 500]), true),
      duration_ms: this.num(this.prng.int(100, 5_000), true),
      attempt: this.num(this.prng.int(1, 3), true),
    });
  }

  private modelFamily(querySource: string): keyof typeof MODELS {
    if (querySource !== 'repl_main_thread' && this.prng.chance(0.5)) return 'haiku';
    if (this.member.modelBias === 'mixed')
      return this.prng.weighted([
        ['opus', 2],
        ['sonnet', 3],
        ['haiku', 1],
      ] as const);
    return this.prng.chance(0.85) ? this.member.modelBias : 'haiku';
  }

  /** Before 2.1.122 every number was sent as a string; after, only API events send numbers. */
  private num(value: number, apiEvent: boolean): string | number {
    return apiEvent && this.member.appVersion >= '2.1.122' ? value : String(value);
  }

  private emit(name: string, attributes: Record<string, string | number | boolean>): void {
    const m = this.member;
    this.clock += this.prng.int(200, 20_000);
    this.sequence += 1;
    this.out.push({
      body: `claude_code.${name}`,
      timeMs: this.clock,
      attributes: {
        'session.id': this.sessionId,
        'app.version': m.appVersion,
        'organization.id': 'org-5ec2e7-private',
        'user.account_uuid': 'acct-private-uuid',
        'user.id': 'install-id-private',
        'user.email': m.email,
        'terminal.type': m.terminal,
        'event.name': name,
        'event.timestamp': new Date(this.clock).toISOString(),
        'event.sequence': this.sequence,
        'prompt.id': this.promptId,
        'user.plan': m.plan,
        ...attributes,
      },
      resource: {
        'service.name': 'claude-code',
        'service.version': m.appVersion,
        'os.type': m.os,
        'os.version': '24.1.0',
        'host.arch': m.arch,
        'user.plan': m.plan,
      },
    });
  }
}
