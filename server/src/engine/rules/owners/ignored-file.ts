// owners/ignored-file: a second CODEOWNERS file the platform never reads — GitHub uses the first of .github/,
// the root and docs/ and ignores the others without a word; .gitlab/ is never read by GitHub, .github/ never by
// GitLab. Its rules look like they protect something and protect nothing.

import { codeownersAnalysis, PLATFORM_NAME } from '../../ownership/analysis';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

export const rule: Rule = {
  meta: {
    id: 'owners/ignored-file',
    surface: 'ownership',
    defaultSeverity: 'warning',
    description: 'A CODEOWNERS file the platform never reads, because another one wins or it is in the wrong place',
    fixable: false,
    dependsOn: ['codeowners', 'files'],
    messages: {
      shadowed:
        '{platform} reads {active} and never reads this file: its {count} rule(s) have no effect. Move what you need into {active} and delete this file.',
      location:
        '{platform} does not read CODEOWNERS from {dir}, so this file has no effect{activeNote}. Move its rules into {where}, or set `ownership.dialect` if this repository lives on another platform.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    const platform = PLATFORM_NAME[a.choice.dialect];
    for (const ig of a.choice.ignored) {
      const r = ctx.snapshot.read(ig.path);
      const count = r.ok ? r.text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length : 0;
      const related = a.choice.path
        ? [{ file: a.choice.path, range: FILE_START, message: `the file ${platform} reads` }]
        : undefined;
      ctx.report({
        messageId: ig.reason,
        data: {
          platform,
          active: a.choice.path ?? '',
          count,
          dir: ig.path.includes('/') ? ig.path.slice(0, ig.path.lastIndexOf('/') + 1) : 'the root',
          activeNote: a.choice.path ? ` (${platform} reads ${a.choice.path})` : '',
          where: a.choice.path ?? '.github/CODEOWNERS',
        },
        file: ig.path,
        range: FILE_START,
        ...(related ? { related } : {}),
      });
    }
  },
};
