// mcp/unregistered-server: a configured MCP server the org registry does not list. Matched by package identifier
// and runner, or by remote URL — never by the user-chosen name alone. The fix drafts a registry change request (a
// proposal the registry's ratifiers decide), as a format-preserving edit of the registry file. No `dependsOn`: the
// registry may be any file the policy names (re-run on every change; the parses are memoised).

import type { Rule } from '../../rule';
import { claudeStatuses, matches, registryOf, statusKey, CLIENT_NAMES } from '../../mcp/index';
import { registryAddFix } from '../../mcp/fixes';

export const rule: Rule = {
  meta: {
    id: 'mcp/unregistered-server',
    surface: 'mcp',
    defaultSeverity: 'error',
    description: 'A configured MCP server is not listed in the org MCP registry',
    fixable: true,
    messages: {
      unregistered:
        'MCP server "{name}" ({what}) is not in the org registry {registry}: a registry-enforcing client hides it, and nobody approved what it can reach. Ask the registry\'s owners to add it{how}, or remove it from {client}\'s config.',
      enabled:
        'MCP server "{name}" ({what}) is enabled by name for Claude Code ({enabledFile}, enabledMcpjsonServers), but the org registry {registry} does not list it: every developer starts it without being asked, and nobody approved what it can reach. Ask the registry\'s owners to add it{how}, or remove it from .mcp.json and enabledMcpjsonServers.',
      local:
        'MCP server "{name}" (local command {command}) is not in the org registry {registry}: a registry lists packages and remotes only, so a registry-enforcing client never starts it. Publish it as a package the registry can list, or remove it from {client}\'s config.',
      noRegistry:
        'The policy names the MCP registry {registry}, but it cannot be read ({reason}): no server in this repository can be checked against it.',
    },
  },
  check(ctx) {
    const reg = registryOf(ctx.snapshot, ctx.cache, ctx.policy);
    if (reg.state === 'none') return;
    const list = matches(ctx.snapshot, ctx.cache, ctx.policy);
    if (reg.state === 'unreadable') {
      const origin = ctx.policy.origin('/mcp/registry');
      if (origin && list.length)
        ctx.report({
          messageId: 'noRegistry',
          data: { registry: reg.file, reason: reg.message },
          file: origin.file,
          range: origin.range,
        });
      return;
    }
    const statuses = claudeStatuses(ctx.snapshot, ctx.cache, ctx.policy);
    for (const { server, match } of list) {
      if (match) continue;
      // A server Claude Code never starts (denied, disabled, outside the managed allowlist) is not a risk.
      const claude = server.client === 'claude-code' ? statuses.get(statusKey(server)) : undefined;
      if (claude?.start === 'never') continue;
      const what = server.package
        ? `${server.package.registryType} package ${server.package.identifier}, run by ${server.package.runner}`
        : `remote ${server.url ?? ''}`;
      const local = !server.package && !server.url;
      const fixes = registryAddFix(reg.registry, server);
      ctx.report({
        messageId: local ? 'local' : claude?.enabledByName ? 'enabled' : 'unregistered',
        data: {
          enabledFile: claude?.enabledByName?.file ?? '',
          how: fixes.length ? ' (the quick fix drafts the change request)' : '',
          name: server.name,
          what,
          command: server.command ?? '',
          registry: reg.registry.file,
          client: CLIENT_NAMES[server.client],
        },
        file: server.file,
        range: server.nameRange,
        fixes,
        ...(claude?.enabledByName?.inWorkspace
          ? {
              related: [
                {
                  file: claude.enabledByName.file,
                  range: claude.enabledByName.range,
                  message: 'enabled by name here',
                },
              ],
            }
          : {}),
        extra: { server: server.name, registry: reg.registry.file },
      });
    }
  },
};
