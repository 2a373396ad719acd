// mcp/insecure-remote: a remote MCP server reached over plain `http://` on a host that is not this machine — tool
// calls, results and any credentials travel in clear. Loopback (localhost, 127.0.0.0/8, ::1) and single-label
// container names (`http://jenkins:8080`, a compose service on the local network) are not reported.

import type { Rule } from '../../rule';
import { rangeAt } from '../../permissions/json';
import { claudeNeverStarts, mcpConfigs, isReference } from '../../mcp/index';
import { MCP_STARTED_DEPENDS } from '../../mcp/config';

const LOOPBACK = /^(?:localhost|[^.]+\.localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\]|host\.docker\.internal)$/i;

export function insecureHost(url: string): string | undefined {
  const m = /^http:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.trim());
  if (!m) return undefined;
  const host = m[1]!;
  if (!host || isReference(host) || LOOPBACK.test(host) || (!host.includes('.') && !host.startsWith('[')))
    return undefined;
  return host;
}

export const rule: Rule = {
  meta: {
    id: 'mcp/insecure-remote',
    surface: 'mcp',
    defaultSeverity: 'warning',
    description: 'A remote MCP server over plain http:// to a host that is not this machine',
    fixable: true,
    messages: {
      http: 'MCP server "{name}" is reached over plain http:// at {host}: tool calls, their results and any credentials cross the network unencrypted. Use https://.',
    },
    dependsOn: MCP_STARTED_DEPENDS,
  },
  check(ctx) {
    const never = claudeNeverStarts(ctx.snapshot, ctx.cache, ctx.policy);
    for (const f of mcpConfigs(ctx.snapshot, ctx.cache)) {
      for (const s of f.servers) {
        if (!s.url || !s.urlKey || never(s)) continue;
        const host = insecureHost(s.url);
        if (!host) continue;
        const range = rangeAt(f.parsed, [...s.path, s.urlKey]);
        const edit = {
          file: f.file,
          range: {
            start: { line: range.start.line, character: range.start.character + 1 },
            end: { line: range.start.line, character: range.start.character + 5 },
          },
          newText: 'https',
        };
        const fixable =
          f.parsed.text.slice(f.parsed.lines.offsetAt(edit.range.start), f.parsed.lines.offsetAt(edit.range.end)) ===
          'http';
        ctx.report({
          messageId: 'http',
          data: { name: s.name, host },
          file: f.file,
          range,
          fixes: fixable ? [{ title: `Use https:// for ${s.name}`, edits: [edit] }] : [],
        });
      }
    }
  },
};
