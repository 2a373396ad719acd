// owners/self-unprotected: the CODEOWNERS file has no owner, so anyone with write access can change who reviews
// what — including removing the owners of CLAUDE.md and the agent settings — with no code-owner review. GitHub
// recommends owning the file itself (`/.github/CODEOWNERS @owner`).

import { codeownersAnalysis, explainPath } from '../../ownership/analysis';
import { deadAfterAppend, decision, proposedOwnersFor } from '../../ownership/messages';
import { appendFix } from '../../ownership/fixes';
import { isOwned } from '../../ownership/matcher';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'owners/self-unprotected',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'The CODEOWNERS file has no owner of its own',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      unprotected:
        "{file} has no owner ({why}), so anyone with write access can change who must review what without a code owner's review. Add `/{file} @owners` at the end of the file.",
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole) return;
    const file = a.choice.path;
    const po = explainPath(a, file);
    if (isOwned(po)) return;
    const owners = proposedOwnersFor(a, ctx.policy, file);
    const fix = owners.length
      ? appendFix(
          a,
          `Add a CODEOWNERS line for ${file}`,
          [`/${file} ${owners.join(' ')}`],
          true,
          deadAfterAppend(ctx.snapshot, ctx.cache, ctx.policy, [`/${file}`]),
        )
      : undefined;
    ctx.report({
      messageId: 'unprotected',
      data: { file, why: decision(po) },
      file,
      range: po.rule ? po.rule.pattern.range : FILE_START,
      ...(fix ? { fixes: [fix] } : {}),
    });
  },
};
