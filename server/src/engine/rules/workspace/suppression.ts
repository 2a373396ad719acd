// workspace/suppression: an inline `flywheel-disable-next-line` must name known rules and give a reason after ` -- `.
// A suppression without a reason suppresses nothing.

import type { Rule } from '../../rule';
import { SUPPRESSIBLE_KINDS, suppressionsOf } from '../../suppress';

export const rule: Rule = {
  meta: {
    id: 'workspace/suppression',
    surface: 'workspace',
    defaultSeverity: 'warning',
    description: 'An inline suppression lacks a reason or names no known rule',
    fixable: false,
    messages: {
      missingReason:
        'This suppression gives no reason, so it suppresses nothing. Say why after " -- " (e.g. `flywheel-disable-next-line {rules} -- kept until the Q3 migration`): reviewers need to know why a governance finding is accepted.',
      noRule: 'This suppression names no rule. Name the rule id(s) it silences, then " -- " and the reason.',
      unknownRule:
        'This suppression names "{rule}", which is not a Governance Flywheel rule, so it silences nothing. Check the id (rule ids look like `owners/no-match`).',
    },
  },
  check(ctx) {
    for (const g of ctx.snapshot.governance) {
      if (!SUPPRESSIBLE_KINDS.has(g.kind) || g.symlinkTo) continue;
      for (const s of suppressionsOf(ctx.snapshot, ctx.cache, g.path)) {
        if (s.ruleIds.length === 0) {
          ctx.report({ messageId: 'noRule', file: g.path, range: s.range });
          continue;
        }
        for (const id of s.ruleIds) {
          if (!ctx.ruleIds.has(id))
            ctx.report({ messageId: 'unknownRule', data: { rule: id }, file: g.path, range: s.range });
        }
        if (!s.reason)
          ctx.report({
            messageId: 'missingReason',
            data: { rules: s.ruleIds.join(', ') },
            file: g.path,
            range: s.range,
          });
      }
    }
  },
};
