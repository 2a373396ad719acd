// mcp/disabled-by-policy: the org toggle (`mcp.enabled: false`) is off, and the repository still configures MCP
// servers. Clients with the toggle enforced suppress them; the rest start them anyway.

import type { Rule } from '../../rule';
import { rangeAt } from '../../permissions/json';
import { claudeNeverStarts, mcpConfigs, mcpPolicy, CLIENT_NAMES } from '../../mcp/index';
import { MCP_STARTED_DEPENDS } from '../../mcp/config';

export const rule: Rule = {
  meta: {
    id: 'mcp/disabled-by-policy',
    surface: 'mcp',
    defaultSeverity: 'error',
    description: 'The policy turns MCP off (mcp.enabled: false) and the repository configures servers',
    fixable: false,
    messages: {
      disabled:
        'The org policy turns MCP off (mcp.enabled: false), but {file} configures {count} server(s) for {client}: remove them, or ask the policy owners to turn MCP on.',
    },
    dependsOn: MCP_STARTED_DEPENDS,
  },
  check(ctx) {
    if (mcpPolicy(ctx.policy).enabled !== false) return;
    const never = claudeNeverStarts(ctx.snapshot, ctx.cache, ctx.policy);
    for (const f of mcpConfigs(ctx.snapshot, ctx.cache)) {
      // Servers Claude Code never starts (denied, disabled) do not count.
      const live = f.servers.filter((s) => !never(s));
      if (!live.length) continue;
      const range = f.serversKey ? rangeAt(f.parsed, [f.serversKey], true) : live[0]!.nameRange;
      ctx.report({
        messageId: 'disabled',
        data: { file: f.file, count: live.length, client: CLIENT_NAMES[f.client] },
        file: f.file,
        range,
        related: relatedPolicy(ctx),
      });
    }
  },
};

function relatedPolicy(ctx: Parameters<Rule['check']>[0]) {
  const o = ctx.policy.origin('/mcp/enabled');
  return o ? [{ ...o, message: 'MCP is turned off here' }] : [];
}
