import type { Row } from '../../functions/schema/row.ts';

/**
 * Rows the demo generator does not make, as Claude Code 2.1.328 sends them (see the shared notes):
 * one per day from `firstDay` for `days` days, at noon UTC. Each day holds
 *
 * - a person without an e-mail (only `user_pseudonym`), with prompts, API requests (with
 *   ttft_ms), a task notification (not a message), a completed subagent run, tool decisions,
 *   a skill whose announcement arrives after its tool call, and MCP connections that fail;
 * - the phantom start-up session of `claude -c` (no prompt, no request: not a session);
 * - an API request and a prompt delivered twice with the same event_id (counted once).
 */
export function edgeRows(firstDay: string, days: number): Row[] {
  const rows: Row[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(Date.parse(`${firstDay}T12:00:00Z`) + d * 86_400_000);
    const at = (minutes: number) => day.getTime() + minutes * 60_000;
    const session = `sess-anon-${d}`;
    const anon = { user_pseudonym: 'anon_0a1b2c3d4e5f', session_id: session, app_version: '2.1.328' };
    let n = 0;
    const add = (minutes: number, row: Row) => {
      rows.push({ event_id: `edge-${d}-${n++}`, event_time: at(minutes), ...anon, ...row });
    };
    add(0, { event_name: 'managed_settings_resolved', session_id: `phantom-${d}` });
    add(0.1, { event_name: 'plugin_loaded', session_id: `phantom-${d}` });
    add(0.2, {
      event_name: 'mcp_server_connection',
      session_id: `phantom-${d}`,
      mcp_connection_server: 'github',
      mcp_connection_status: 'connected',
      mcp_transport: 'stdio',
    });
    add(0.3, {
      event_name: 'mcp_server_connection',
      mcp_connection_server: 'jira',
      mcp_connection_status: 'failed',
      mcp_transport: d % 2 ? 'http' : 'stdio',
    });
    add(1, { event_name: 'user_prompt', prompt_id: `p-${d}-1`, prompt_kind: 'typed' });
    add(2, {
      event_name: 'api_request',
      prompt_id: `p-${d}-1`,
      model: 'claude-opus-4-5-20251101',
      cost_usd: 0.25 + d / 100,
      input_tokens: 100,
      output_tokens: 50,
      ttft_ms: 800 + d * 10,
    });
    add(3, {
      event_name: 'tool_decision',
      prompt_id: `p-${d}-1`,
      tool_name: 'Bash',
      tool_decision: d % 3 ? 'accept' : 'reject',
    });
    add(3.1, {
      event_name: 'tool_decision',
      prompt_id: `p-${d}-1`,
      tool_name: 'Write',
      tool_decision: 'accept',
    });
    add(4, {
      event_name: 'tool_result',
      prompt_id: `p-${d}-1`,
      tool_name: 'Skill',
      skill_name: 'deploy-check',
    });
    add(4.1, {
      event_name: 'skill_activated',
      prompt_id: `p-${d}-1`,
      skill_name: 'deploy-check',
      invocation_trigger: 'claude-proactive',
    });
    add(5, {
      event_name: 'tool_result',
      prompt_id: `p-${d}-1`,
      tool_name: 'Agent',
      subagent_type: 'Explore',
    });
    add(6, {
      event_name: 'subagent_completed',
      prompt_id: `p-${d}-1`,
      agent_type: 'Explore',
      total_tokens: 12_000 + d,
      total_tool_uses: 7,
      is_async: d % 2 === 0,
      model: 'claude-haiku-4-5-20251001',
    });
    add(7, { event_name: 'user_prompt', prompt_id: `p-${d}-2`, prompt_kind: 'task_notification' });
    add(8, {
      event_name: 'api_request',
      prompt_id: `p-${d}-2`,
      model: 'claude-sonnet-4-5-20250929',
      cost_usd: 0.1,
      input_tokens: 10,
      output_tokens: 5,
      ttft_ms: 400,
    });
    const twice: Row = {
      event_name: 'api_request',
      event_id: `edge-${d}-dup`,
      event_time: at(9),
      ...anon,
      prompt_id: `p-${d}-2`,
      model: 'claude-sonnet-4-5-20250929',
      cost_usd: 0.5,
      ttft_ms: 650,
    };
    rows.push(twice, { ...twice });
  }
  return rows;
}
