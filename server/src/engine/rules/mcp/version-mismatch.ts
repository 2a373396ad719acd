// mcp/version-mismatch: a server the registry pins at one version, configured at another — or unpinned (`npx -y
// pkg`, `pkg@latest`, `uvx pkg`), which runs whatever was published last.

import type { Rule } from '../../rule';
import { rangeAt } from '../../permissions/json';
import { claudeNeverStarts, matches, mcpConfigs } from '../../mcp/index';
import { pinFix } from '../../mcp/fixes';

export const rule: Rule = {
  meta: {
    id: 'mcp/version-mismatch',
    surface: 'mcp',
    defaultSeverity: 'warning',
    description: "An MCP server package is unpinned or pinned to another version than the registry's",
    fixable: true,
    messages: {
      unpinned:
        'MCP server "{name}" runs {identifier} unpinned ({spec}): every start fetches whatever was published last. The registry entry "{entry}" pins {version}; pin it.',
      other:
        'MCP server "{name}" pins {identifier} at {got}, but the registry entry "{entry}" approves {version}: a registry-enforcing client relaunches it at the registry\'s version, and this config runs code nobody approved.',
    },
  },
  check(ctx) {
    const files = new Map(mcpConfigs(ctx.snapshot, ctx.cache).map((f) => [f.file, f]));
    const never = claudeNeverStarts(ctx.snapshot, ctx.cache, ctx.policy);
    for (const { server, match } of matches(ctx.snapshot, ctx.cache, ctx.policy)) {
      const pkg = server.package;
      const want = match?.package?.version;
      if (!match || !pkg || !want || match.runnerMismatch) continue;
      if (pkg.version === want || never(server)) continue;
      const f = files.get(server.file);
      if (!f) continue;
      const range = rangeAt(f.parsed, [...server.path, 'args', pkg.argIndex]);
      const spec = server.args[pkg.argIndex] ?? pkg.identifier;
      const data = {
        name: server.name,
        identifier: pkg.identifier,
        spec,
        got: pkg.version ?? '',
        version: want,
        entry: match.entry.name,
      };
      ctx.report({
        messageId: pkg.version ? 'other' : 'unpinned',
        data,
        file: server.file,
        range,
        fixes: pinFix(f, server, want),
      });
    }
  },
};
