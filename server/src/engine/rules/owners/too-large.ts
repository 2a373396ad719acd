// owners/too-large: GitHub does not load a CODEOWNERS file of 3 MB or more at all — no owners are shown and no
// review is requested, silently. (A file too large to read at all is reported here too.)

import { codeownersAnalysis, MAX_CODEOWNERS_BYTES, PLATFORM_NAME } from '../../ownership/analysis';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

function mb(n: number): string {
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

export const rule: Rule = {
  meta: {
    id: 'owners/too-large',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'The CODEOWNERS file is 3 MB or more, so the platform ignores all of it',
    fixable: false,
    dependsOn: ['codeowners', 'files'],
    messages: {
      tooLarge:
        '{file} is {size}; {platform} ignores a CODEOWNERS file of 3 MB or more entirely, so no path has an owner and no review is requested. Use directory patterns (`/src/payments/`) instead of one line per file, and drop duplicate and dead lines.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole !== 'too-large' || !a.read) return;
    const size = a.read.ok ? a.read.size : (a.read.size ?? MAX_CODEOWNERS_BYTES);
    ctx.report({
      messageId: 'tooLarge',
      data: { file: a.choice.path, size: mb(size), platform: PLATFORM_NAME[a.choice.dialect] },
      file: a.choice.path,
      range: FILE_START,
    });
  },
};
