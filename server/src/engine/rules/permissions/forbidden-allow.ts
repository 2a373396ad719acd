// permissions/forbidden-allow: an allow rule, in any scope, that the policy forbids (`permissions.forbidAllow`):
// equal to a forbidden pattern, or matching everything it matches (`Bash(*)` allows `Bash(curl *)` too).

import type { Rule } from '../../rule';
import { claudeEffective, covers, type PermRule } from '../../permissions/index';
import { parseRule } from '../../permissions/rules';
import { allOrNothing, removeRuleEdits } from '../../permissions/report';

export const rule: Rule = {
  meta: {
    id: 'permissions/forbidden-allow',
    surface: 'permissions',
    defaultSeverity: 'error',
    description: 'An allow rule the policy forbids (permissions.forbidAllow)',
    fixable: true,
    messages: {
      forbidden:
        'Allow rule {rule} in {file} ({scope}) {how} {pattern}, which the policy forbids any scope to allow: it auto-approves calls that must always be seen by a human. Remove it (or narrow it).',
    },
    dependsOn: ['claude-settings', 'claude-settings-local', 'claude-managed-settings', 'managed', 'user'],
  },
  check(ctx) {
    const forbid = ctx.policy.permissions.forbidAllow ?? [];
    if (!forbid.length) return;
    const e = claudeEffective(ctx.snapshot, ctx.cache, ctx.policy);
    const pseudo: PermRule[] = forbid.map((text, i) => ({
      id: -1 - i,
      text,
      list: 'allow',
      file: e.stack.files[0] ?? ({ anchor: e.cwd } as PermRule['file']),
      scope: 'managed',
      index: i,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      line: 0,
      parsed: parseRule(text, 'allow'),
      status: 'live',
    }));
    for (const r of e.byList.allow) {
      if (!r.file.inWorkspace && r.scope !== 'managed') continue;
      const hit = pseudo.find((f) => f.parsed.matcher.kind !== 'never' && covers(e, r, f));
      if (!hit) continue;
      const same = r.text.replace(/\s+/g, ' ') === hit.text.replace(/\s+/g, ' ');
      const i = forbid.indexOf(hit.text);
      const loc = ctx.policy.origin(`/permissions/forbidAllow/${i}`);
      ctx.report({
        messageId: 'forbidden',
        data: {
          rule: r.text,
          file: r.file.file,
          scope: r.scope,
          how: same ? 'is' : 'matches everything',
          pattern: hit.text,
        },
        file: r.file.file,
        range: r.range,
        related: loc ? [{ ...loc, message: 'forbidden by the policy' }] : [],
        fixes: r.file.inWorkspace ? allOrNothing(`Remove ${r.text}`, [removeRuleEdits(r)]) : [],
      });
    }
  },
};
