// owners/wrong-owner: a path whose effective owners do not include the owners the policy requires for it
// (`ownership.owners`, e.g. `.claude/**` → `@acme/platform`). Owners compare case-insensitively, as on every
// platform. Paths that do not exist yet are checked too: the rule must be in place before the file appears.

import { policyGlob } from '../../glob';
import { codeownersAnalysis } from '../../ownership/analysis';
import { ownerKey, ownersText } from '../../ownership/messages';
import { addOwnersFix, codeownersFile } from '../../ownership/fixes';
import {
  appendPatternsFix,
  fixPatterns,
  judgedDecision,
  judgedPolicyOwnership,
  type JudgedPolicyPath,
} from '../../ownership/links';
import { isOwned } from '../../ownership/matcher';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'owners/wrong-owner',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'A path is not owned by the owners the policy requires for it',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      wrongOwner:
        '`{glob}` must be owned by {required} (policy ownership.owners), but `{path}`{state}{more} is owned by {owners}: {why}. {advice}',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole === 'unreadable') return;
    // A symlinked file is judged by its target's ownership (./ownership/links.ts).
    const pol = judgedPolicyOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    const mustOwn = (ctx.policy.ownership.mustOwn ?? []).map(policyGlob);
    for (const g of pol.owners) {
      const required = g.required;
      const wrong: JudgedPolicyPath[] = g.paths.filter((p) => {
        const have = new Set(p.ownership.owners.map(ownerKey));
        if (required.every((o) => have.has(ownerKey(o)))) return false;
        // Unowned and required to be owned: owners/unowned-path reports it.
        return !(!isOwned(p.ownership) && mustOwn.some((m) => m(p.path)));
      });
      if (!wrong.length) continue;
      const first = wrong[0]!;
      const patterns = fixPatterns(g.glob, wrong);
      const pattern = patterns.length === 1 ? patterns[0] : undefined;
      const lines = patterns.length
        ? patterns.map((p) => `${p} ${required.join(' ')}`)
        : [`<pattern for ${g.glob}> ${required.join(' ')}`];
      // The line that decides already has this pattern and decides for every such path: give it the owners (an
      // appended line would leave it behind as a duplicate pattern). Otherwise append, which overrides it.
      const decider = first.ownership.rule;
      const inPlace =
        pattern &&
        decider &&
        decider.pattern.text === pattern &&
        !decider.negated &&
        wrong.every((p) => p.ownership.deciding.length === 1 && p.ownership.deciding[0] === decider.index);
      const missing = decider
        ? required.filter((o) => !decider.effectiveOwners.some((h) => ownerKey(h) === ownerKey(o)))
        : required;
      const fix = inPlace
        ? addOwnersFix(a, decider, required, `Add ${missing.join(' ')} to line ${decider.line + 1} (\`${pattern}\`)`)
        : appendPatternsFix(ctx, a, patterns, required, `giving ${g.glob} to ${required.join(' ')}`);
      const related = ctx.policy.origin(g.pointer);
      ctx.report({
        messageId: 'wrongOwner',
        data: {
          glob: g.glob,
          required: required.join(' '),
          path: first.path,
          state: first.exists
            ? first.ownership.symlinkTo
              ? ` (a symlink to \`${first.ownership.symlinkTo}\`)`
              : ''
            : ' (not created yet)',
          more: wrong.length > 1 ? ` (and ${wrong.length - 1} more)` : '',
          owners: ownersText(first.ownership.owners),
          why: judgedDecision(first.ownership),
          advice: inPlace
            ? `Add ${missing.join(' ')} to the owners of line ${decider.line + 1}, which already has this pattern.`
            : `Add ${lines.map((l) => `\`${l}\``).join(' and ')} at the end of ${codeownersFile(a)} (the last matching line wins).`,
        },
        file: a.choice.path,
        range: first.ownership.rule ? first.ownership.rule.pattern.range : FILE_START,
        ...(related ? { related: [related] } : {}),
        ...(fix ? { fixes: [fix] } : {}),
        extra: { glob: g.glob, required, paths: wrong.map((p) => p.path) },
      });
    }
  },
};
