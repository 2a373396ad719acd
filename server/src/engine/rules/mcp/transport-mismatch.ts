// mcp/transport-mismatch: a server the registry lists, configured with another transport (sse where the registry
// approves streamable-http) or another package runner (an npm package run by uvx).

import type { Rule } from '../../rule';
import { rangeAt } from '../../permissions/json';
import { claudeNeverStarts, matches, mcpConfigs, registryTransport } from '../../mcp/index';

export const rule: Rule = {
  meta: {
    id: 'mcp/transport-mismatch',
    surface: 'mcp',
    defaultSeverity: 'warning',
    description: 'An MCP server uses another transport or package runner than its registry entry',
    fixable: false,
    messages: {
      transport:
        'MCP server "{name}" uses {got}, but the registry entry "{entry}" approves {want}: a registry-enforcing client will not start it as configured. Use {want}.',
      runner:
        'MCP server "{name}" runs {identifier} with {got}, but the registry entry "{entry}" lists it for {want}: the runner decides which package index the code comes from.',
    },
  },
  check(ctx) {
    const files = new Map(mcpConfigs(ctx.snapshot, ctx.cache).map((f) => [f.file, f]));
    const never = claudeNeverStarts(ctx.snapshot, ctx.cache, ctx.policy);
    for (const { server, match } of matches(ctx.snapshot, ctx.cache, ctx.policy)) {
      if (!match || never(server)) continue;
      const f = files.get(server.file);
      if (!f) continue;
      if (match.runnerMismatch && server.package) {
        ctx.report({
          messageId: 'runner',
          data: {
            name: server.name,
            identifier: server.package.identifier,
            got: server.package.runner,
            want: match.runnerMismatch,
            entry: match.entry.name,
          },
          file: server.file,
          range: rangeAt(f.parsed, [...server.path, 'command']),
        });
        continue;
      }
      const want = registryTransport(match);
      if (!want || want === server.transport) continue;
      const names = { stdio: 'stdio', http: 'streamable HTTP', sse: 'SSE', ws: 'WebSocket' } as const;
      const at = server.transportWritten ? [...server.path, 'type'] : server.path;
      ctx.report({
        messageId: 'transport',
        data: { name: server.name, got: names[server.transport], want: names[want], entry: match.entry.name },
        file: server.file,
        range: rangeAt(f.parsed, at, !server.transportWritten),
      });
    }
  },
};
