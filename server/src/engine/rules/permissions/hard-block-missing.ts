// permissions/hard-block-missing: a rule the policy lists in `permissions.hardDeny` is absent from the
// repository's Managed source, the file the org deploys as managed settings. Reported when the workspace keeps a
// Managed source, when the team policy itself names hard blocks, or when a hard block sits in Project/Local
// (the embedded baseline alone does not assume this repository is where the org keeps its Managed settings).

import type { Rule } from '../../rule';
import { claudeEffective } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { addToManagedDeny, allOrNothing, normRule } from '../../permissions/report';
import { FILE_START } from '../../text';
import { proposals } from '../../conventions/ratified';

export const rule: Rule = {
  meta: {
    id: 'permissions/hard-block-missing',
    surface: 'permissions',
    defaultSeverity: 'error',
    description: 'A hard block the policy requires (permissions.hardDeny) is missing from the Managed source',
    fixable: true,
    messages: {
      missing:
        'Hard block {rule} is required by the policy but missing from the Managed source {source}, so no machine enforces it from Managed and any developer can allow it. Add it to permissions.deny there.',
      ratified:
        'Deny rule {rule} was ratified and applied to the Managed source {source} by proposal {id}, but it is missing there now, so no machine enforces it. Restore it (quick fix), or retire it through a new proposal so the ledger records the decision.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'governance-proposal'],
  },
  check(ctx) {
    const required = ctx.policy.permissions.hardDeny ?? [];
    // Deny rules the flywheel applied to the Managed source (ratified managed-deny proposals) are hard blocks too.
    const byRatified = new Map<string, { id: string; path: string }>();
    for (const p of proposals(ctx.snapshot, ctx.cache)) {
      if (p.status !== 'applied' || p.route !== 'managed-deny' || p.retires !== undefined) continue;
      for (const d of p.deny ?? [])
        if (!byRatified.has(normRule(d))) byRatified.set(normRule(d), { id: p.id, path: p.path });
    }
    const requiredNorm = new Set(required.map(normRule));
    const hard = [...required, ...[...byRatified.keys()].filter((d) => !requiredNorm.has(d))];
    if (!hard.length) return;
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    const src = e.stack.managedSource;
    const teamSets =
      ctx.policy.sources.some((s) => s.kind !== 'baseline') &&
      ctx.policy.origin('/permissions/hardDeny/0')?.file !== 'flywheel:baseline';
    const hardNorm = hard.map(normRule);
    const inOverridable = e.rules.some(
      (r) => r.list === 'deny' && r.scope !== 'managed' && hardNorm.includes(normRule(r.text)),
    );
    if (!src && !teamSets && !inOverridable && !byRatified.size) return;
    const have = new Set(
      (((src?.value.permissions as Record<string, unknown> | undefined)?.deny as string[] | undefined) ?? []).map(
        normRule,
      ),
    );
    const missing = hard.filter((h) => !have.has(normRule(h)));
    missing.forEach((h) => {
      const i = hard.indexOf(h);
      const ratifiedBy = i >= required.length ? byRatified.get(normRule(h)) : undefined;
      const policyLoc = ratifiedBy ? undefined : ctx.policy.origin(`/permissions/hardDeny/${i}`);
      const file = src ? src.file : e.stack.managedSourcePath;
      const range = src ? rangeAt(src.parsed, ['permissions', 'deny']) : FILE_START;
      ctx.report({
        messageId: ratifiedBy ? 'ratified' : 'missing',
        data: { rule: h, source: e.stack.managedSourcePath, ...(ratifiedBy ? { id: ratifiedBy.id } : {}) },
        file,
        range,
        related: ratifiedBy
          ? [{ file: ratifiedBy.path, range: FILE_START, message: `ratified by proposal ${ratifiedBy.id}` }]
          : policyLoc
            ? [{ ...policyLoc, message: 'required by the policy' }]
            : [],
        fixes: [
          ...allOrNothing(
            `Add ${h} to the Managed source's deny list`,
            [addToManagedDeny(e.stack.managedSourcePath, src, [h])],
            { kind: 'proposal' },
          ),
          ...(missing.length > 1 && h === missing[0]
            ? allOrNothing(
                `Add all ${missing.length} missing hard blocks to the Managed source`,
                [addToManagedDeny(e.stack.managedSourcePath, src, missing)],
                { kind: 'proposal' },
              )
            : []),
        ],
      });
    });
  },
};
