// mcp/inline-credential: a literal secret in an MCP server's env, headers, args or url — committed with the repo
// and copied to every clone. Credentials belong in the gateway or the environment (`${VAR}`, `${input:…}`).

import type { Rule } from '../../rule';
import { rangeAt } from '../../permissions/json';
import { mcpConfigs } from '../../mcp/index';
import { credentialsOf } from '../../mcp/credentials';
import { MCP_RULE_DEPENDS } from '../../mcp/config';

export const rule: Rule = {
  meta: {
    id: 'mcp/inline-credential',
    surface: 'mcp',
    defaultSeverity: 'error',
    description: 'A literal credential in an MCP server config (env, headers, args, url)',
    fixable: false,
    messages: {
      literal:
        'MCP server "{name}" holds {kind} in {file}: it is committed and copied to every clone. Rotate it, then reference it instead (${VAR} from the environment, or ${input:id} in VS Code) — better, keep credentials in the MCP gateway, not in developer config.',
    },
    dependsOn: MCP_RULE_DEPENDS,
  },
  check(ctx) {
    for (const f of mcpConfigs(ctx.snapshot, ctx.cache)) {
      for (const s of f.servers) {
        for (const hit of credentialsOf(s)) {
          ctx.report({
            messageId: 'literal',
            data: { name: s.name, kind: hit.kind, file: f.file },
            file: f.file,
            range: rangeAt(f.parsed, [...s.path, ...hit.path]),
          });
        }
      }
    }
  },
};
