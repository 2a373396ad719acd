// permissions/hard-block-missing: a rule the policy lists in `permissions.hardDeny` is absent from the
// repository's Managed source, the file the org deploys as managed settings. Reported when the workspace keeps a
// Managed source, when the team policy itself names hard blocks, or when a hard block sits in Project/Local
// (the embedded baseline alone does not assume this repository is where the org keeps its Managed settings).

import type { Rule } from '../../rule';
import { claudeEffective } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { addToManagedDeny, allOrNothing, normRule } from '../../permissions/report';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'permissions/hard-block-missing',
    surface: 'permissions',
    defaultSeverity: 'error',
    description: 'A hard block the policy requires (permissions.hardDeny) is missing from the Managed source',
    fixable: true,
    messages: {
      missing: 'Hard block {rule} is required by the policy but missing from the Managed source {source}, so no machine enforces it from Managed and any developer can allow it. Add it to permissions.deny there.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings'],
  },
  check(ctx) {
    const hard = ctx.policy.permissions.hardDeny ?? [];
    if (!hard.length) return;
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    const src = e.stack.managedSource;
    const teamSets = ctx.policy.sources.some((s) => s.kind !== 'baseline') && ctx.policy.origin('/permissions/hardDeny/0')?.file !== 'flywheel:baseline';
    const hardNorm = hard.map(normRule);
    const inOverridable = e.rules.some((r) => r.list === 'deny' && r.scope !== 'managed' && hardNorm.includes(normRule(r.text)));
    if (!src && !teamSets && !inOverridable) return;
    const have = new Set((((src?.value.permissions as Record<string, unknown> | undefined)?.deny as string[] | undefined) ?? []).map(normRule));
    const missing = hard.filter((h) => !have.has(normRule(h)));
    missing.forEach((h) => {
      const i = hard.indexOf(h);
      const policyLoc = ctx.policy.origin(`/permissions/hardDeny/${i}`);
      const file = src ? src.file : e.stack.managedSourcePath;
      const range = src ? rangeAt(src.parsed, ['permissions', 'deny']) : FILE_START;
      ctx.report({
        messageId: 'missing',
        data: { rule: h, source: e.stack.managedSourcePath },
        file,
        range,
        related: policyLoc ? [{ ...policyLoc, message: 'required by the policy' }] : [],
        fixes: [
          ...allOrNothing(`Add ${h} to the Managed source's deny list`, [addToManagedDeny(e.stack.managedSourcePath, src, [h])], { kind: 'proposal' }),
          ...(missing.length > 1 && h === missing[0] ? allOrNothing(`Add all ${missing.length} missing hard blocks to the Managed source`, [addToManagedDeny(e.stack.managedSourcePath, src, missing)], { kind: 'proposal' }) : []),
        ],
      });
    });
  },
};
