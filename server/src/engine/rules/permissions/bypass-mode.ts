// permissions/bypass-mode: `defaultMode: bypassPermissions` or `dontAsk` set outside Managed, or — where the policy
// requires it (requireDisableBypass) — Managed settings that do not disable bypass mode.

import type { Rule } from '../../rule';
import { claudeEffective } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { allOrNothing, modifyEdits } from '../../permissions/report';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'permissions/bypass-mode',
    surface: 'permissions',
    defaultSeverity: 'error',
    description:
      'A permission mode that skips prompts is set outside Managed, or bypass mode is not disabled where the policy requires it',
    fixable: true,
    messages: {
      outsideManaged:
        'defaultMode "{mode}" in {file} ({scope}): {effect} Permission modes that remove the human from the loop belong in Managed, if anywhere. {honoured}',
      notDisabled:
        'The policy requires bypass mode to be disabled, but the Managed settings ({file}) do not set permissions.disableBypassPermissionsMode to "disable": anyone can start a session with --dangerously-skip-permissions. Add it.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'managed', 'user'],
  },
  check(ctx) {
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    for (const m of e.modeRequests) {
      if (m.file.scope === 'managed' || !['bypassPermissions', 'dontAsk'].includes(m.value)) continue;
      const effect =
        m.value === 'bypassPermissions'
          ? 'every call that no deny or ask rule stops runs without asking.'
          : 'nothing prompts; whatever the allow rules cover runs unattended and the rest is refused.';
      const honoured = m.honoured
        ? 'It is in effect.'
        : `It is not in effect today (${m.why}), but it states an intent a later change can switch on.`;
      const fixes =
        m.file.inWorkspace && m.file.parsed.value
          ? allOrNothing(`Remove defaultMode "${m.value}"`, [
              modifyEdits(m.file.file, m.file.parsed.text, ['permissions', 'defaultMode'], undefined),
            ])
          : [];
      ctx.report({
        messageId: 'outsideManaged',
        data: { mode: m.value, file: m.file.file, scope: m.file.scope, effect, honoured },
        file: m.file.file,
        range: m.range,
        fixes,
      });
    }
    if (ctx.policy.permissions.requireDisableBypass !== true) return;
    const managedFiles = e.stack.files.filter((f) => f.scope === 'managed');
    const src = e.stack.managedSource;
    if (!managedFiles.length && !src) return;
    const disabled = (f: { value: Record<string, unknown> }) =>
      (f.value.permissions as Record<string, unknown> | undefined)?.disableBypassPermissionsMode === 'disable';
    const target = src ?? managedFiles[0]!;
    if ((src && disabled(src)) || (!src && managedFiles.some(disabled))) return;
    const fixes =
      target.inWorkspace && target.parsed.value
        ? allOrNothing(
            'Disable bypass mode in the Managed source',
            [modifyEdits(target.file, target.parsed.text, ['permissions', 'disableBypassPermissionsMode'], 'disable')],
            { isPreferred: true },
          )
        : [];
    ctx.report({
      messageId: 'notDisabled',
      data: { file: target.file },
      file: target.file,
      range: target.parsed.tree ? rangeAt(target.parsed, ['permissions']) : FILE_START,
      fixes,
    });
  },
};
