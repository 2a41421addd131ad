import { gzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent } from 'aws-lambda';

/**
 * The transform benchmark's input: Firehose invocations of CloudWatch Logs subscription records,
 * as Firehose hands them to the Lambda (~1 MB of gzipped input per invocation, 500 log events per
 * CloudWatch payload), holding deterministic, realistic Claude Code events of 40 people: the
 * attributes they really carry (ids, private keys that must be dropped), both number encodings.
 * `privateKeys` adds that many extra private attributes to every event (prompts, paths, tool
 * input, environment...), the workload where the allowlist drops most of what it reads.
 */
export interface WorkloadOptions {
  readonly events: number;
  readonly perPayload: number;
  readonly batchGzipBytes: number;
  readonly privateKeys: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same batch. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Names of the extra private attributes (a fixed set, so drift counting stays bounded). */
const PRIVATE_KEYS = Array.from(
  { length: 48 },
  (_, i) =>
    [
      'prompt_text',
      'tool_input',
      'file_path',
      'cwd',
      'git.branch',
      'git.remote',
      'env.PATH',
      'env.HOME',
      'command_args',
      'response_text',
      'mcp_server.url',
      'tool_output',
    ][i % 12]! + (i < 12 ? '' : `.${Math.floor(i / 12)}`),
);

export function firehoseWorkload(options: WorkloadOptions): FirehoseTransformationEvent[] {
  const rand = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hex = (n: number) => {
    let out = '';
    while (out.length < n)
      out += Math.floor(rand() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, n);
  };
  // Private values as real ones are: paths, commands and text that repeat with small changes.
  const privateValues = Array.from(
    { length: 64 },
    () =>
      `/Users/dev${hex(1)}/src/app-${hex(3)}/lib/${hex(4)}.ts --flag ${pick(['a', 'b', 'c'])} Find the loader`,
  );
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const users = Array.from({ length: 40 }, (_, i) => ({
    email: `dev${i}@example.com`,
    session: uuid(),
    install: hex(64),
    version: pick(['2.1.119', '2.1.121', '2.1.122', '2.1.126']),
  }));
  const records: FirehoseTransformationEvent['records'] = [];
  let gzipBytes = 0;
  let seq = 0;
  let t = Date.UTC(2026, 0, 5, 9);
  const invocations: FirehoseTransformationEvent[] = [];
  let made = 0;
  while (made < options.events) {
    const count = Math.min(options.perPayload, options.events - made);
    made += count;
    const logEvents = Array.from({ length: count }, () => {
      const u = pick(users);
      t += Math.floor(rand() * 400);
      const numbers = u.version >= '2.1.122';
      const num = (v: number) => (numbers ? v : String(v));
      const attrs: Record<string, unknown> = {
        'session.id': u.session,
        'app.version': u.version,
        'organization.id': 'a1b2c3d4-0000-4000-8000-000000000001',
        'user.account_uuid': uuid(),
        'user.account_id': `user_${hex(24)}`,
        'user.id': u.install,
        'user.email': u.email,
        'terminal.type': pick(['vscode', 'iTerm.app', 'tmux', 'cursor']),
        'event.timestamp': new Date(t).toISOString(),
        'event.sequence': ++seq,
        'prompt.id': uuid(),
        'user.plan': 'team',
      };
      const r = rand();
      let name: string;
      if (r < 0.35) {
        name = 'api_request';
        const input = Math.floor(rand() * 5000);
        Object.assign(attrs, {
          model: pick(['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5']),
          cost_usd: num(Math.round(rand() * 1e6) / 1e7),
          duration_ms: num(Math.floor(rand() * 30000)),
          input_tokens: num(input),
          output_tokens: num(Math.floor(rand() * 2000)),
          cache_read_tokens: num(Math.floor(rand() * 90000)),
          cache_creation_tokens: num(Math.floor(rand() * 5000)),
          query_source: pick(['repl_main_thread', 'Explore', 'general-purpose']),
          request_id: `req_${hex(24)}`,
          speed: 'normal',
        });
      } else if (r < 0.6) {
        name = 'tool_result';
        const tool = pick(['Bash', 'Read', 'Edit', 'Grep', 'Agent', 'mcp_tool', 'Skill']);
        Object.assign(attrs, {
          tool_name: tool,
          success: pick(['true', 'true', 'true', 'false']),
          duration_ms: String(Math.floor(rand() * 5000)),
          decision_type: 'accept',
          decision_source: pick(['config', 'user_temporary', 'user_permanent']),
          tool_use_id: `toolu_${hex(24)}`,
          tool_parameters: JSON.stringify(
            tool === 'Bash'
              ? {
                  bash_command: 'npm',
                  full_command: `npm test -- --grep ${hex(8)}`,
                  description: 'Run the tests',
                }
              : tool === 'Agent'
                ? { subagent_type: 'Explore', description: 'Find the config loader' }
                : tool === 'mcp_tool'
                  ? { mcp_server_name: 'github', mcp_tool_name: 'search_code' }
                  : tool === 'Skill'
                    ? { skill_name: 'release-notes' }
                    : { file_path: `/Users/dev/src/app/${hex(6)}.ts` },
          ),
        });
      } else if (r < 0.75) {
        name = 'tool_decision';
        Object.assign(attrs, {
          tool_name: pick(['Bash', 'Edit', 'Write']),
          decision: 'accept',
          source: 'config',
        });
      } else if (r < 0.83) {
        name = 'user_prompt';
        Object.assign(attrs, { prompt_length: String(Math.floor(rand() * 2000)), prompt: '<REDACTED>' });
      } else if (r < 0.85) {
        name = 'api_error';
        Object.assign(attrs, {
          model: 'claude-sonnet-4-5',
          error: 'Overloaded',
          status_code: num(529),
          attempt: num(1),
        });
      } else if (r < 0.87) {
        name = 'skill_activated';
        Object.assign(attrs, {
          'skill.name': 'pdf',
          invocation_trigger: 'user-slash',
          'skill.source': 'plugin',
        });
      } else {
        name = pick([
          'assistant_response',
          'hook_execution_complete',
          'mcp_server_connection',
          'permission_mode_changed',
        ]);
        Object.assign(attrs, { hook_event: 'PreToolUse', status: 'ok' });
      }
      for (let k = 0; k < options.privateKeys; k++) {
        attrs[PRIVATE_KEYS[(seq + k) % PRIVATE_KEYS.length]!] = `${pick(privateValues)} ${hex(4)}`;
      }
      attrs['event.name'] = name;
      const message = {
        resource: {
          attributes: {
            'service.name': 'claude-code',
            'service.version': u.version,
            'os.type': 'darwin',
            'os.version': '24.1.0',
            'host.arch': 'arm64',
            'user.plan': 'team',
          },
        },
        body: `claude_code.${name}`,
        attributes: attrs,
      };
      return { id: `${t}${hex(40)}`, timestamp: t, message: JSON.stringify(message) };
    });
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/claude-code/otel',
      logStream: 'team',
      subscriptionFilters: ['claude-otel-lake'],
      logEvents,
    };
    const data = gzipSync(JSON.stringify(payload));
    if (records.length > 0 && gzipBytes + data.length > options.batchGzipBytes) {
      invocations.push(invocation(invocations.length, records.splice(0)));
      gzipBytes = 0;
    }
    gzipBytes += data.length;
    records.push({
      recordId: `r${invocations.length}-${records.length}`,
      approximateArrivalTimestamp: t,
      data: data.toString('base64'),
    });
  }
  if (records.length > 0) invocations.push(invocation(invocations.length, records));
  return invocations;
}

function invocation(n: number, records: FirehoseTransformationEvent['records']): FirehoseTransformationEvent {
  return {
    invocationId: `bench-${n}`,
    deliveryStreamArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/bench',
    region: 'eu-west-1',
    records,
  };
}
