// mcp/invalid-config: an MCP config a client cannot read as written — a syntax error or a comment where the client
// wants strict JSON, the wrong servers key for the client (`servers` is VS Code's, `mcpServers` everyone else's), a
// `url` without `type` in `.mcp.json` (Claude Code reads it as stdio and it fails), no transport, a bad name.

import type { Rule } from '../../rule';
import { mcpConfigs } from '../../mcp/index';
import { MCP_RULE_DEPENDS } from '../../mcp/config';

export const rule: Rule = {
  meta: {
    id: 'mcp/invalid-config',
    surface: 'mcp',
    defaultSeverity: 'error',
    description: 'An MCP config the client cannot read as written (syntax, wrong key, url without type, no transport)',
    fixable: false,
    messages: {
      invalid: '{file}: {problem}.',
    },
    dependsOn: MCP_RULE_DEPENDS,
  },
  check(ctx) {
    for (const f of mcpConfigs(ctx.snapshot, ctx.cache)) {
      for (const p of f.problems.slice(0, 50)) {
        if (f.syntaxReportedElsewhere && (p.code === 'syntax' || p.code === 'comment')) continue;
        ctx.report({
          messageId: 'invalid',
          data: { file: f.file, problem: p.message },
          file: f.file,
          range: p.range,
          extra: { code: p.code },
        });
      }
    }
  },
};
