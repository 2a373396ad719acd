// flywheel/review-due: an applied rule last ratified more than flywheel.reviewDays ago. Its owners re-ratify it
// (`flywheel ratify ID` on the applied proposal records a review) or retire it (`flywheel propose --retire ID`: a
// proposal that removes it; once applied, ID is superseded).

import type { Rule } from '../../rule';
import { DAY_MS, keyLine, lineRange, state } from '../../flywheel/rule-helpers';

export const rule: Rule = {
  meta: {
    id: 'flywheel/review-due',
    surface: 'flywheel',
    defaultSeverity: 'info',
    description: 'An applied rule older than flywheel.reviewDays is due for review by its owners',
    fixable: false,
    messages: {
      due: 'Rule {id} in {target} was last ratified {days} days ago (review every {review} days): its owners re-ratify it (`flywheel ratify {id}`) or retire it (`flywheel propose --retire {id}`, a proposal that removes it).',
    },
    dependsOn: ['governance-proposal', 'governance-other', 'governance-policy', 'files'],
  },
  check(ctx) {
    const { st, fp } = state(ctx);
    if (fp.reviewDays === undefined) return;
    const now = Date.now();
    for (const { path, proposal: p } of st.proposals) {
      // A retirement is no rule to review; a retired rule is superseded.
      if (p.status !== 'applied' || p.retires !== undefined) continue;
      const events = st.chains.get(p.id)?.events ?? [];
      const last = [...events].reverse().find((e) => e.action === 'ratified' || e.action === 'applied');
      const age = (now - Date.parse(last?.time ?? p.created)) / DAY_MS;
      if (!(age > fp.reviewDays)) continue;
      ctx.report({
        messageId: 'due',
        data: { id: p.id, target: p.target, days: Math.floor(age), review: fp.reviewDays },
        file: path,
        range: lineRange(ctx, path, keyLine(ctx, path, 'status')),
      });
    }
  },
};
