// owners/missing-file: the policy requires a CODEOWNERS file and the platform finds none where it looks. Without
// one nobody is asked to review changes to the governance files, and "required code-owner review" does nothing.

import { codeownersAnalysis, locationsOf, PLATFORM_NAME } from '../../ownership/analysis';
import { globToPattern } from '../../ownership/messages';
import { appendFix, codeownersFile } from '../../ownership/fixes';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'owners/missing-file',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'The policy requires a CODEOWNERS file and the platform finds none',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      missing:
        'No CODEOWNERS file where {platform} looks ({locations}), and the policy requires one (ownership.requireCodeowners): no one is asked to review changes to CLAUDE.md, agent settings or CI. Create {file}.',
      missingOthers:
        'No CODEOWNERS file where {platform} looks ({locations}); {others} is never read by {platform}. The policy requires one (ownership.requireCodeowners). Create {file}.',
    },
  },
  check(ctx) {
    if (!ctx.policy.ownership.requireCodeowners) return;
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (a.choice.path) return;
    const file = codeownersFile(a);
    const lines: string[] = [];
    for (const [glob, owners] of Object.entries(ctx.policy.ownership.owners ?? {})) {
      const p = globToPattern(glob);
      if (p && owners.length) lines.push(`${p} ${owners.join(' ')}`);
    }
    if (!lines.length) lines.push('# * @your-org/your-team', `# /${file} @your-org/platform`);
    const fix = appendFix(a, `Create ${file}`, lines);
    const others = a.choice.ignored.map((i) => i.path);
    const related = ctx.policy.origin('/ownership/requireCodeowners');
    ctx.report({
      messageId: others.length ? 'missingOthers' : 'missing',
      data: {
        platform: PLATFORM_NAME[a.choice.dialect],
        locations: locationsOf(a.choice.dialect).join(', '),
        file,
        others: others.join(', '),
      },
      file,
      range: FILE_START,
      ...(related ? { related: [related] } : {}),
      ...(fix ? { fixes: [fix] } : {}),
    });
  },
};
