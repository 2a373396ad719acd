// permissions/hard-block-not-managed: a rule the policy lists in `permissions.hardDeny` sits only in a scope a
// developer can override or drop (Project, Local, User). Only Managed cannot be overridden, so only there does a
// hard block hold. The fix moves it into the repository's Managed source.

import type { Rule } from '../../rule';
import { claudeEffective } from '../../permissions/index';
import { moveToManagedFix, normRule, related } from '../../permissions/report';

export const rule: Rule = {
  meta: {
    id: 'permissions/hard-block-not-managed',
    surface: 'permissions',
    defaultSeverity: 'error',
    description: 'A hard block (policy permissions.hardDeny) sits in Project/Local/User settings instead of Managed',
    fixable: true,
    messages: {
      notManaged:
        'Hard block {rule} is in {file} ({scope}), a scope any developer can edit, drop with a syntax error, or bypass locally; it is not in Managed settings ({source}). Only Managed cannot be overridden: move it there.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'managed', 'user'],
  },
  check(ctx) {
    const hard = (ctx.policy.permissions.hardDeny ?? []).map(normRule);
    if (!hard.length) return;
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    const managedDeny = new Set(
      [...e.rules.filter((r) => r.scope === 'managed' && r.list === 'deny' && r.status !== 'dead'), ...[]].map((r) =>
        normRule(r.text),
      ),
    );
    const sourceDeny = new Set(
      (
        ((e.stack.managedSource?.value.permissions as Record<string, unknown> | undefined)?.deny as
          string[] | undefined) ?? []
      ).map(normRule),
    );
    for (const r of e.byList.deny) {
      if (r.scope === 'managed' || !r.file.inWorkspace) continue;
      const n = normRule(r.text);
      const i = hard.indexOf(n);
      if (i === -1 || (managedDeny.has(n) && sourceDeny.has(n))) continue;
      const policyLoc = ctx.policy.origin(`/permissions/hardDeny/${i}`);
      ctx.report({
        messageId: 'notManaged',
        data: { rule: r.text, file: r.file.file, scope: r.scope, source: e.stack.managedSourcePath },
        file: r.file.file,
        range: r.range,
        related: policyLoc ? [{ ...policyLoc, message: 'the policy requires this hard block in Managed' }] : [],
        fixes: moveToManagedFix(r, e.stack.managedSourcePath, e.stack.managedSource, sourceDeny.has(n)),
      });
      void related;
    }
  },
};
