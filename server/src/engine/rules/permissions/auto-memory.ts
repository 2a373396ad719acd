// permissions/auto-memory: the policy says the setup is multi-tenant, but Managed settings do not set
// CLAUDE_CODE_DISABLE_AUTO_MEMORY=1 in `env`, so automatic memory can carry context from one tenant to another.

import type { Rule } from '../../rule';
import { claudeEffective } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { allOrNothing, modifyEdits } from '../../permissions/report';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'permissions/auto-memory',
    surface: 'permissions',
    defaultSeverity: 'error',
    description: 'Multi-tenant policy without CLAUDE_CODE_DISABLE_AUTO_MEMORY=1 in Managed env',
    fixable: true,
    messages: {
      missing:
        'The policy marks this setup multi-tenant, but Managed settings ({file}) do not set env CLAUDE_CODE_DISABLE_AUTO_MEMORY to "1": automatic memory can leak context across tenants. Set it in Managed, where no one can unset it.',
    },
    dependsOn: ['claude-managed-settings', 'managed'],
  },
  check(ctx) {
    if (ctx.policy.permissions.multiTenant !== true) return;
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    const managed = e.stack.files.filter((f) => f.scope === 'managed');
    const ok = managed.some(
      (f) => (f.value.env as Record<string, string> | undefined)?.CLAUDE_CODE_DISABLE_AUTO_MEMORY === '1',
    );
    if (ok) return;
    const src = e.stack.managedSource;
    const file = src?.file ?? e.stack.managedSourcePath;
    const edits = src?.parsed.value
      ? modifyEdits(src.file, src.parsed.text, ['env', 'CLAUDE_CODE_DISABLE_AUTO_MEMORY'], '1')
      : src
        ? []
        : [
            {
              file,
              range: FILE_START,
              newText: JSON.stringify({ env: { CLAUDE_CODE_DISABLE_AUTO_MEMORY: '1' } }, null, 2) + '\n',
              create: true,
            },
          ];
    ctx.report({
      messageId: 'missing',
      data: { file },
      file,
      range: src?.parsed.tree ? rangeAt(src.parsed, ['env']) : FILE_START,
      fixes: allOrNothing('Set CLAUDE_CODE_DISABLE_AUTO_MEMORY=1 in the Managed source', [edits], {
        isPreferred: true,
      }),
    });
  },
};
