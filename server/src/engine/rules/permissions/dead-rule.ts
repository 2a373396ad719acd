// permissions/dead-rule: a permission rule that can never decide — shadowed by a deny or ask rule that matches
// every call it matches (deny → ask → allow, first match wins, in any scope), or void because
// allowManagedPermissionRulesOnly makes managed settings the only source of rules. Names the rule that wins.

import type { Rule } from '../../rule';
import { claudeEffective } from '../../permissions/index';
import { related } from '../../permissions/report';

export const rule: Rule = {
  meta: {
    id: 'permissions/dead-rule',
    surface: 'permissions',
    defaultSeverity: 'warning',
    description:
      'A permission rule that can never decide: shadowed by a deny/ask rule, or void under allowManagedPermissionRulesOnly',
    fixable: false,
    messages: {
      shadowed:
        '{list} rule {rule} can never decide: {winnerList} rule {winner} in {winnerFile} ({winnerScope}, line {winnerLine}) matches every call it matches and {winnerList} is checked first. Remove one of them, or narrow the {winnerList} rule if this {list} is meant.',
      void: '{list} rule {rule} in {file} ({scope}) is void: allowManagedPermissionRulesOnly in {winnerFile} makes managed settings the only source of permission rules. Move it to Managed or remove it.',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'managed', 'user'],
  },
  check(ctx) {
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    for (const r of e.rules) {
      if (r.status === 'overridden' && r.by) {
        const w = r.by;
        ctx.report({
          messageId: 'shadowed',
          data: {
            list: r.list,
            rule: r.text,
            winnerList: w.list,
            winner: w.text,
            winnerFile: w.file.file,
            winnerScope: w.scope,
            winnerLine: w.line,
          },
          file: r.file.file,
          range: r.range,
          related: [related(w, `the ${w.list} rule that always wins`)],
          extra: { winner: { rule: w.text, file: w.file.file, line: w.line, scope: w.scope } },
        });
      } else if (
        r.status === 'dead' &&
        e.managedOnly &&
        r.scope !== 'managed' &&
        !r.file.dropped &&
        !r.parsed.skipped &&
        r.parsed.matcher.kind !== 'never'
      ) {
        const m = e.managedOnly;
        ctx.report({
          messageId: 'void',
          data: { list: r.list, rule: r.text, file: r.file.file, scope: r.scope, winnerFile: m.file!.file },
          file: r.file.file,
          range: r.range,
          related: m.range ? [{ file: m.file!.file, range: m.range, message: 'allowManagedPermissionRulesOnly' }] : [],
          extra: {
            winner: {
              rule: 'allowManagedPermissionRulesOnly',
              file: m.file!.file,
              line: (m.range?.start.line ?? 0) + 1,
              scope: 'managed',
            },
          },
        });
      }
    }
  },
};
