// settings/managed-only-key: a key that Claude Code reads only from managed settings (allowManagedPermissionRulesOnly,
// allowManagedHooksOnly, strictKnownMarketplaces, …) or only from user/managed settings, written in a file where
// the tool silently ignores it. The author believes a control is on; it is not.

import type { Rule } from '../../rule';
import { allClaudeFiles } from '../../permissions/index';
import { rangeAt } from '../../permissions/json';
import { allOrNothing, modifyEdits } from '../../permissions/report';
import { FILE_START } from '../../text';
import { MANAGED_ONLY_KEYS, MANAGED_ONLY_SANDBOX_KEYS, USER_OR_MANAGED_KEYS } from '../../permissions/schema';

export const rule: Rule = {
  meta: {
    id: 'settings/managed-only-key',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description: 'A managed-only (or user-or-managed) settings key in a file where Claude Code silently ignores it',
    fixable: true,
    messages: {
      managedOnly:
        '"{key}" is read only from managed settings; in {file} ({scope}) Claude Code silently ignores it, so the control it names is off. Move it to the Managed source ({source}).',
      userOrManaged: '"{key}" is read only from user or managed settings; in {file} ({scope}) Claude Code ignores it.',
      nested:
        '"{key}" belongs at the top level of managed settings, not inside "permissions"; here Claude Code ignores it.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'user'],
  },
  check(ctx) {
    const source = ctx.policy.permissions.managedSource ?? '.governance/managed/claude-managed-settings.json';
    for (const f of allClaudeFiles(ctx.snapshot, ctx.cache, ctx.policy)) {
      const v = f.parsed.value;
      if (!v) continue;
      if (f.scope === 'managed') {
        const perms = v.permissions;
        if (perms && typeof perms === 'object' && !Array.isArray(perms)) {
          for (const k of Object.keys(perms)) {
            if (MANAGED_ONLY_KEYS.includes(k))
              ctx.report({
                messageId: 'nested',
                data: { key: k },
                file: f.file,
                range: rangeAt(f.parsed, ['permissions', k], true),
              });
          }
        }
        continue;
      }
      for (const k of Object.keys(v)) {
        if (MANAGED_ONLY_KEYS.includes(k)) {
          const src = ctx.snapshot.read(source);
          // The move adds the key to the source (or creates it); when the source cannot take it (unreadable, or a
          // shape the edit cannot apply to) there is no move, only the removal.
          const addToSource = src.ok
            ? modifyEdits(source, src.text, [k], v[k])
            : src.reason === 'missing'
              ? [
                  {
                    file: source,
                    range: FILE_START,
                    newText: JSON.stringify({ [k]: v[k] }, null, 2) + '\n',
                    create: true,
                  },
                ]
              : undefined;
          const fix = f.inWorkspace
            ? [
                ...allOrNothing(
                  `Move "${k}" to the Managed source (${source})`,
                  [modifyEdits(f.file, f.parsed.text, [k], undefined), addToSource],
                  { kind: 'proposal' },
                ),
                ...allOrNothing(`Remove "${k}" (it has no effect here)`, [
                  modifyEdits(f.file, f.parsed.text, [k], undefined),
                ]),
              ]
            : [];
          ctx.report({
            messageId: 'managedOnly',
            data: { key: k, file: f.file, scope: f.scope, source },
            file: f.file,
            range: rangeAt(f.parsed, [k], true),
            fixes: fix,
          });
        } else if (USER_OR_MANAGED_KEYS.includes(k) && (f.scope === 'project' || f.scope === 'local')) {
          ctx.report({
            messageId: 'userOrManaged',
            data: { key: k, file: f.file, scope: f.scope },
            file: f.file,
            range: rangeAt(f.parsed, [k], true),
          });
        }
      }
      for (const path of MANAGED_ONLY_SANDBOX_KEYS) {
        let cur: unknown = v;
        for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
        if (cur !== undefined)
          ctx.report({
            messageId: 'managedOnly',
            data: { key: path.join('.'), file: f.file, scope: f.scope, source },
            file: f.file,
            range: rangeAt(f.parsed, path, true),
          });
      }
    }
  },
};
