// mcp/unapproved-tool: an MCP tool auto-approved (a Claude Code allow rule, Gemini `includeTools` or `trust: true`,
// `autoApprove`, Amazon Q `allowedTools`) that the registry entry does not approve by name in `x-approvedTools`.
// Approval is a read-versus-write partition: `mcp__postgres__query` approved, `mcp__postgres__execute` not.

import type { Rule } from '../../rule';
import { rangeAt } from '../../permissions/json';
import { mcpConfigs, registryOf, unapprovedGrants } from '../../mcp/index';

export const rule: Rule = {
  meta: {
    id: 'mcp/unapproved-tool',
    surface: 'mcp',
    defaultSeverity: 'error',
    description: 'An MCP tool is auto-approved that the registry does not approve',
    fixable: false,
    messages: {
      tool: 'MCP tool "{tool}" of server "{server}" runs without asking ({how}), but the registry entry "{entry}" does not approve it (approved: {approved}). Write tools stay behind a prompt unless the registry approves them by name: remove the approval, or ask the registry\'s owners to add "{tool}" to x-approvedTools.',
      all: 'Every tool of MCP server "{server}" runs without asking ({how}), but the registry entry "{entry}" approves {approved} (x-approvedTools): name the approved tools instead.',
    },
  },
  check(ctx) {
    const files = new Map(mcpConfigs(ctx.snapshot, ctx.cache).map((f) => [f.file, f]));
    for (const g of unapprovedGrants(ctx.snapshot, ctx.cache, ctx.policy)) {
      const approved = approvedOf(ctx, g.entryName);
      const range = g.rule
        ? g.rule.range
        : g.path && files.get(g.file)
          ? rangeAt(files.get(g.file)!.parsed, g.path)
          : g.server.nameRange;
      ctx.report({
        messageId: g.tool === '*' ? 'all' : 'tool',
        data: { tool: g.tool, server: g.server.name, how: g.how, entry: g.entryName, approved },
        file: g.file,
        range,
      });
    }
  },
};

function approvedOf(ctx: Parameters<Rule['check']>[0], entryName: string): string {
  const reg = registryOf(ctx.snapshot, ctx.cache, ctx.policy);
  if (reg.state !== 'ok') return 'no tool by name';
  const e = reg.registry.entries.find((x) => x.name === entryName);
  return e?.approvedTools?.length ? e.approvedTools.join(', ') : 'no tool by name';
}
