// owners/individual-owner: a person (`@user`, an e-mail) owns a path where the policy wants teams
// (`ownership.teamsOnly`: true for every line, or globs for the paths they match). People change roles and go on
// holiday; a team keeps a reviewer available. On GitLab a group path (`@group/sub`) or a role (`@@maintainer`)
// counts as a team.

import { codeownersAnalysis } from '../../ownership/analysis';
import { judgedPolicyOwnership, linkedPath } from '../../ownership/links';
import type { OwnerToken } from '../../ownership/parse';
import type { Rule } from '../../rule';

export const rule: Rule = {
  meta: {
    id: 'owners/individual-owner',
    surface: 'ownership',
    defaultSeverity: 'warning',
    description: 'A person owns a path where the policy requires team owners',
    fixable: false,
    dependsOn: ['codeowners', 'files'],
    messages: {
      everywhere:
        '`{owner}` is a person, and the policy wants teams as owners (ownership.teamsOnly): when they are away or leave, these paths have no reviewer. Name a team (`@org/team`) that includes them.',
      glob: '`{owner}` is a person, and the policy wants teams to own `{glob}` (ownership.teamsOnly); this line decides for `{path}`. Name a team (`@org/team`) that includes them.',
    },
  },
  check(ctx) {
    const teamsOnly = ctx.policy.ownership.teamsOnly;
    if (!teamsOnly || (Array.isArray(teamsOnly) && !teamsOnly.length)) return;
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole) return;
    const file = a.choice.path;
    const isPerson = (o: OwnerToken) => o.kind === 'user' || o.kind === 'email';
    const done = new Set<string>();
    const report = (
      o: OwnerToken,
      data: Record<string, string>,
      messageId: string,
      related?: ReturnType<typeof ctx.policy.origin>,
    ) => {
      const k = `${o.range.start.line}:${o.range.start.character}`;
      if (done.has(k)) return;
      done.add(k);
      ctx.report({
        messageId,
        data: { owner: o.text, ...data },
        file,
        range: o.range,
        ...(related ? { related: [related] } : {}),
      });
    };
    if (teamsOnly === true) {
      const related = ctx.policy.origin('/ownership/teamsOnly');
      for (const sec of a.parsed.sections)
        for (const h of sec.headers)
          for (const o of h.defaultOwners) if (isPerson(o)) report(o, {}, 'everywhere', related);
      for (const r of a.parsed.rules) {
        if (r.skipped) continue;
        for (const o of r.owners) if (isPerson(o)) report(o, {}, 'everywhere', related);
      }
      return;
    }
    // A symlinked file is judged by its target's ownership: the lines that decide for the target (./ownership/links.ts).
    const pol = judgedPolicyOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    for (const g of pol.teamsOnly) {
      const related = ctx.policy.origin(g.pointer);
      for (const p of g.paths) {
        for (const d of p.ownership.deciding) {
          const r = a.parsed.rules[d]!;
          const tokens = r.inheritsSectionOwners
            ? a.parsed.sections[r.section]!.headers.flatMap((h) => h.defaultOwners)
            : r.owners;
          for (const o of tokens) if (isPerson(o)) report(o, { glob: g.glob, path: linkedPath(p) }, 'glob', related);
        }
      }
    }
  },
};
