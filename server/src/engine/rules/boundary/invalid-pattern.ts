// boundary/invalid-pattern: a data-boundary pattern that cannot work — a boundary.exclude glob that can never match
// a repository path, or a Cody context filter that is not RE2 (lookarounds, backreferences), a bare string instead
// of { repoNamePattern }, an empty list. Such a line protects nothing while looking like it does.

import type { Rule } from '../../rule';
import { boundaryPolicy, codyFilters, globProblem } from '../../boundary/index';

export const rule: Rule = {
  meta: {
    id: 'boundary/invalid-pattern',
    surface: 'boundary',
    defaultSeverity: 'error',
    description: 'A data-boundary pattern that is not RE2 or a glob that cannot match',
    fixable: false,
    messages: {
      glob: 'Boundary pattern "{pattern}": {problem}.',
      cody: 'Cody context filters ({file}): {problem}.',
    },
  },
  check(ctx) {
    const bp = boundaryPolicy(ctx.policy);
    (Array.isArray(bp.exclude) ? bp.exclude : []).forEach((g, i) => {
      const problem = globProblem(g);
      const at = ctx.policy.origin(`/boundary/exclude/${i}`);
      if (problem && at)
        ctx.report({ messageId: 'glob', data: { pattern: g, problem }, file: at.file, range: at.range });
    });
    const f = codyFilters(ctx.snapshot, ctx.cache, ctx.policy);
    if (!f || 'unreadable' in f) return;
    for (const p of f.problems)
      ctx.report({ messageId: 'cody', data: { file: f.file, problem: p.message }, file: f.file, range: p.range });
    for (const p of [...(f.include ?? []), ...(f.exclude ?? [])]) {
      if (p.problem)
        ctx.report({ messageId: 'cody', data: { file: f.file, problem: p.problem }, file: f.file, range: p.range });
    }
  },
};
