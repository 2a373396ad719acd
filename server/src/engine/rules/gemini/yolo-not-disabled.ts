// gemini/yolo-not-disabled: the policy requires Gemini CLI's YOLO mode (auto-approve every tool call) to be
// disabled (permissions.gemini.requireDisableYolo), but the effective settings do not set
// security.disableYoloMode: true.

import type { Rule } from '../../rule';
import { geminiStack, getPath } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { allOrNothing, modifyEdits } from '../../permissions/report';

export const rule: Rule = {
  meta: {
    id: 'gemini/yolo-not-disabled',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description: 'Gemini CLI YOLO mode is not disabled where the policy requires it',
    fixable: true,
    messages: {
      notDisabled:
        "The policy requires Gemini CLI's YOLO mode to be off, but security.disableYoloMode is not true ({file}): anyone can run `gemini --yolo` and approve every tool call. Set it, preferably in the system settings file the org deploys.",
    },
    dependsOn: ['gemini-settings'],
  },
  check(ctx) {
    if (ctx.policy.permissions.gemini?.requireDisableYolo !== true) return;
    const g = geminiStack(ctx.snapshot, ctx.cache);
    if (getPath(g.merged, 'security.disableYoloMode') === true) return;
    const f = g.files.find((x) => x.inWorkspace);
    if (!f) return;
    const set = getPath(f.value, 'security.disableYoloMode');
    ctx.report({
      messageId: 'notDisabled',
      data: { file: f.file },
      file: f.file,
      range: set === undefined ? rangeAt(f.parsed, []) : rangeAt(f.parsed, ['security', 'disableYoloMode']),
      fixes: f.parsed.value
        ? allOrNothing(
            'Set security.disableYoloMode to true',
            [modifyEdits(f.file, f.parsed.text, ['security', 'disableYoloMode'], true)],
            { isPreferred: true },
          )
        : [],
    });
  },
};
