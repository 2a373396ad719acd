// permissions/managed-blast-radius: one invalid value in a managed settings file (the Managed source or the
// machine's file) that makes Claude Code drop protections: a syntax error drops the whole file, a `permissions`
// that is not an object drops every rule, a deny/ask list that is not a list drops that list, an invalid
// disableBypassPermissionsMode drops the bypass lock. The finding lists every protection lost; it is the one finding
// for that value (settings/invalid leaves it here).

import type { Rule } from '../../rule';
import { blastRadius } from '../../permissions/blast-radius';
import { allClaudeFiles } from '../../permissions/index';

export const rule: Rule = {
  meta: {
    id: 'permissions/managed-blast-radius',
    surface: 'permissions',
    defaultSeverity: 'error',
    description: 'An invalid value in managed settings makes Claude Code drop protections; lists every protection lost',
    fixable: false,
    messages: {
      lost: '{what} in managed settings {file}: Claude Code drops {scope}, so these protections are lost: {lost}. Fix it before it is deployed.',
    },
    dependsOn: ['claude-managed-settings', 'managed'],
  },
  check(ctx) {
    for (const f of allClaudeFiles(ctx.snapshot, ctx.cache, ctx.policy)) {
      if (f.scope !== 'managed') continue;
      for (const p of f.problems) {
        const b = blastRadius(f, p);
        if (!b) continue;
        ctx.report({
          messageId: 'lost',
          data: {
            what: p.message,
            file: f.file,
            scope: b.scope,
            lost: b.lost.slice(0, 12).join(', ') + (b.lost.length > 12 ? ` and ${b.lost.length - 12} more` : ''),
          },
          file: f.file,
          range: p.range,
          extra: { lost: b.lost },
        });
      }
    }
  },
};
