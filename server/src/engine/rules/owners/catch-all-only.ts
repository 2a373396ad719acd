// owners/catch-all-only: a file for which the policy names owners (`ownership.owners`) that is owned only through
// the catch-all (`*`, `**`): whoever owns "everything" reviews it, not the owners the policy names. Only existing
// files are checked; when the catch-all's owners meet the policy's requirement, that is enough. A catch-all alone
// (one team owns everything, the baseline's `mustOwn`) is ownership: this rule does not speak for it.

import { codeownersAnalysis } from '../../ownership/analysis';
import { isCatchAll, ownerKey, ownersText, proposedOwnersFor, requiredOwnersFor } from '../../ownership/messages';
import {
  appendPatternsFix,
  fixPatterns,
  judgedDecision,
  judgedPolicyOwnership,
  linkedPath,
} from '../../ownership/links';
import type { Rule } from '../../rule';

export const rule: Rule = {
  meta: {
    id: 'owners/catch-all-only',
    surface: 'ownership',
    defaultSeverity: 'warning',
    description: 'A path for which the policy names owners is owned only through the catch-all rule',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      catchAll:
        '`{path}`{more} has owners named by the policy (`{glob}`) but is owned only through the catch-all: {why}, so {owners} review it along with everything else. Add a line that names its owners.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole) return;
    // A symlinked file is judged by its target's ownership (./ownership/links.ts).
    const pol = judgedPolicyOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    const globs = pol.owners;
    const reported = new Set<string>();
    for (const g of globs) {
      const hits = g.paths.filter((p) => {
        if (!p.exists || reported.has(p.path) || !isCatchAll(p.ownership.rule, a) || !p.ownership.owners.length)
          return false;
        const req = requiredOwnersFor(ctx.policy, p.path);
        const have = new Set(p.ownership.owners.map(ownerKey));
        return !(req.length && req.every((o) => have.has(ownerKey(o))));
      });
      if (!hits.length) continue;
      for (const h of hits) reported.add(h.path);
      const first = hits[0]!;
      const patterns = fixPatterns(g.glob, hits);
      const owners = proposedOwnersFor(a, ctx.policy, first.path);
      const fix = owners.length ? appendPatternsFix(ctx, a, patterns, owners, `for ${g.glob}`) : undefined;
      const related = ctx.policy.origin(g.pointer);
      ctx.report({
        messageId: 'catchAll',
        data: {
          path: linkedPath(first),
          more: hits.length > 1 ? ` (and ${hits.length - 1} more)` : '',
          glob: g.glob,
          why: judgedDecision(first.ownership),
          owners: ownersText(first.ownership.owners),
        },
        file: a.choice.path,
        range: first.ownership.rule!.pattern.range,
        ...(related ? { related: [related] } : {}),
        ...(fix ? { fixes: [fix] } : {}),
        extra: { glob: g.glob, paths: hits.map((h) => h.path) },
      });
    }
  },
};
