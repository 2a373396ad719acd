// rollout/prerequisite: the policy's rollout stage has a prerequisite the repository does not meet. One finding per
// unmet prerequisite, on the policy's `stage` line, naming what is missing (docs/rollout.md lists the ladder).

import type { Rule } from '../../rule';
import { rolloutStage, STAGES, unmetPrerequisites } from '../../rollout/index';

export const rule: Rule = {
  meta: {
    id: 'rollout/prerequisite',
    surface: 'rollout',
    defaultSeverity: 'warning',
    description: "A prerequisite of the policy's rollout stage is not met",
    fixable: false,
    messages: {
      unmet: 'Rollout stage {stage} ({name}) requires {what} (a stage-{needed} prerequisite): {missing}.',
    },
  },
  check(ctx) {
    const stage = rolloutStage(ctx.policy);
    if (!stage) return;
    const at = ctx.policy.origin('/rollout/stage');
    if (!at) return;
    for (const u of unmetPrerequisites(ctx.snapshot, ctx.cache, ctx.policy)) {
      ctx.report({
        messageId: 'unmet',
        data: {
          stage,
          name: STAGES[stage - 1]!,
          what: u.prerequisite.what,
          needed: u.prerequisite.stage,
          missing: u.missing,
        },
        file: at.file,
        range: at.range,
        extra: { prerequisite: u.prerequisite.id },
      });
    }
  },
};
