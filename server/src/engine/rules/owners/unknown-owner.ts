// owners/unknown-owner: an owner that is not in the policy's offline snapshot of the org's users and teams
// (`ownership.knownOwners`). GitHub drops an owner that does not exist, is not visible or lacks write access —
// silently, at review time — so a typo leaves paths without a reviewer. Offline by design: no network access.

import { codeownersAnalysis } from '../../ownership/analysis';
import { replaceFix } from '../../ownership/fixes';
import type { OwnerToken } from '../../ownership/parse';
import type { Rule } from '../../rule';

/** Levenshtein distance, capped (owners are short). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export const rule: Rule = {
  meta: {
    id: 'owners/unknown-owner',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'A CODEOWNERS owner is not in the policy list of known users and teams',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      unknown:
        '`{owner}` is not a known user or team (policy ownership.knownOwners){suggestion} The platform drops owners that do not exist or lack write access, silently, so these paths may get no reviewer.',
    },
  },
  check(ctx) {
    const known = ctx.policy.ownership.knownOwners ?? [];
    if (!known.length) return;
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole) return;
    const file = a.choice.path;
    const knownSet = new Set(known.map((k) => k.toLowerCase()));
    const related = ctx.policy.origin('/ownership/knownOwners');
    const check = (o: OwnerToken) => {
      if (o.kind === 'invalid' || o.kind === 'role' || knownSet.has(o.text.toLowerCase())) return;
      let best: string | undefined;
      let bestD = 3;
      for (const k of known) {
        const d = distance(o.text.toLowerCase(), k.toLowerCase());
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      const fix = best ? replaceFix(a, o.range, best, `Replace with ${best}`) : undefined;
      ctx.report({
        messageId: 'unknown',
        data: { owner: o.text, suggestion: best ? `; did you mean \`${best}\`?` : '.' },
        file,
        range: o.range,
        ...(related ? { related: [related] } : {}),
        ...(fix ? { fixes: [fix] } : {}),
      });
    };
    for (const sec of a.parsed.sections) for (const h of sec.headers) h.defaultOwners.forEach(check);
    for (const r of a.parsed.rules) if (!r.skipped) r.owners.forEach(check);
  },
};
