// permissions/managed-blast-radius: one invalid value in a managed settings file (the Managed source or the
// machine's file) that makes Claude Code drop protections: a syntax error drops the whole file, a `permissions`
// that is not an object drops every rule, a deny/ask list that is not a list drops that list, an invalid
// disableBypassPermissionsMode drops the bypass lock. The finding lists every protection lost.

import type { Rule } from '../../rule';
import { allClaudeFiles, rulesOfFile } from '../../permissions/index';

export const rule: Rule = {
  meta: {
    id: 'permissions/managed-blast-radius',
    surface: 'permissions',
    defaultSeverity: 'error',
    description: 'An invalid value in managed settings makes Claude Code drop protections; lists every protection lost',
    fixable: false,
    messages: {
      lost: '{what} in managed settings {file}: Claude Code drops {scope}, so these protections are lost: {lost}. Fix it before it is deployed.',
    },
    dependsOn: ['claude-managed-settings', 'managed'],
  },
  check(ctx) {
    for (const f of allClaudeFiles(ctx.snapshot, ctx.cache, ctx.policy)) {
      if (f.scope !== 'managed') continue;
      const rules = rulesOfFile(f);
      const raw = (f.parsed.value?.permissions ?? {}) as Record<string, unknown>;
      const protections = (filter: (list: string) => boolean) =>
        rules.filter((r) => r.list !== 'allow' && filter(r.list)).map((r) => `${r.list} ${r.text}`);
      for (const p of f.problems) {
        let scope: string | undefined;
        let lost: string[] = [];
        if (p.drops === 'file') {
          scope = 'the whole file';
          lost = protections(() => true);
          if (f.parsed.text.includes('disableBypassPermissionsMode')) lost.push('the bypass-mode lock');
          if (f.parsed.text.includes('allowManagedPermissionRulesOnly')) lost.push('allowManagedPermissionRulesOnly');
        } else if (p.drops === 'value' && p.pointer === '/permissions') {
          scope = 'the whole permissions object';
          lost = ['every deny and ask rule in it'];
        } else if (p.drops === 'value' && (p.pointer === '/permissions/deny' || p.pointer === '/permissions/ask')) {
          const list = p.pointer.slice(13);
          scope = `the whole ${list} list`;
          const v = raw[list];
          lost = typeof v === 'string' ? [`${list} ${v}`] : [`every ${list} rule`];
        } else if (p.drops === 'value' && p.pointer === '/permissions/disableBypassPermissionsMode') {
          scope = 'the bypass-mode lock';
          lost = ['bypass mode stays available (--dangerously-skip-permissions)'];
        } else if (p.drops === 'value' && p.pointer === '/allowManagedPermissionRulesOnly') {
          scope = 'allowManagedPermissionRulesOnly';
          lost = ['rules from every other scope apply again'];
        }
        if (!scope || !lost.length) continue;
        ctx.report({
          messageId: 'lost',
          data: {
            what: p.message,
            file: f.file,
            scope,
            lost: lost.slice(0, 12).join(', ') + (lost.length > 12 ? ` and ${lost.length - 12} more` : ''),
          },
          file: f.file,
          range: p.range,
          extra: { lost },
        });
      }
    }
  },
};
