// mcp/registry-invalid: the org MCP registry itself is wrong — not the registry schema, duplicate names, version
// ranges or `latest` where an exact version is required, more than one package or remote per entry.

import type { Rule } from '../../rule';
import { registryOf } from '../../mcp/index';

export const rule: Rule = {
  meta: {
    id: 'mcp/registry-invalid',
    surface: 'mcp',
    defaultSeverity: 'error',
    description: 'The org MCP registry does not follow the registry format',
    fixable: false,
    messages: {
      invalid: 'MCP registry {file}: {problem}.',
    },
  },
  check(ctx) {
    const reg = registryOf(ctx.snapshot, ctx.cache, ctx.policy);
    if (reg.state !== 'ok') return;
    for (const p of reg.registry.problems.slice(0, 100)) {
      ctx.report({
        messageId: 'invalid',
        data: { file: reg.registry.file, problem: p.message },
        file: reg.registry.file,
        range: p.range,
        extra: { code: p.code },
      });
    }
  },
};
