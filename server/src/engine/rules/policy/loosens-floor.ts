// policy/loosens-floor: a team policy may only tighten its org floor; a loosening is ignored and reported.

import type { Rule } from '../../rule';

export const rule: Rule = {
  meta: {
    id: 'policy/loosens-floor',
    surface: 'policy',
    defaultSeverity: 'error',
    description: 'A team policy tries to remove, weaken or switch off something its org floor sets',
    fixable: false,
    messages: {
      loosens:
        "This value {detail} ({floor}): a team policy may only tighten the org floor, so it is ignored and the floor's value applies. Remove it, or ask the floor's owner to change the floor.",
    },
    dependsOn: [],
  },
  check(ctx) {
    for (const p of ctx.policy.problems) {
      if (p.ruleId !== 'policy/loosens-floor') continue;
      ctx.report({
        messageId: p.messageId,
        ...(p.data ? { data: p.data } : {}),
        file: p.file,
        range: p.range,
        ...(p.related ? { related: p.related } : {}),
      });
    }
  },
};
