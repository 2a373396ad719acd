// conventions/required-file: a convention file the policy requires does not exist. An agent without it works
// from no shared standard at all. A symlink counts (CLAUDE.md → AGENTS.md satisfies a required CLAUDE.md).

import { posix } from 'node:path';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';
import { globMatches } from '../../conventions/policy';
import { policyRelated } from '../../conventions/report';
import type { Fix } from '../../types';

function folders(files: readonly string[], glob: string): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    let d = posix.dirname(f);
    while (d !== '.' && !dirs.has(d)) {
      dirs.add(d);
      d = posix.dirname(d);
    }
  }
  return [...dirs].filter((d) => globMatches(glob, d)).sort();
}

export const rule: Rule = {
  meta: {
    id: 'conventions/required-file',
    surface: 'conventions',
    defaultSeverity: 'error',
    description: 'A convention file the policy requires (CLAUDE.md, AGENTS.md …) is missing',
    fixable: true,
    messages: {
      missing:
        '{path} is required by the policy but does not exist. Without it agents start from no shared standard; create it (a symlink or a one-line `@{source}` import of the source file also counts).',
      missingAnyOf:
        'The policy requires one of {paths}{where}, and none exists. Without one, agents there start from no shared standard; create one of them.',
    },
    dependsOn: ['files'],
  },
  check(ctx) {
    const list = ctx.policy.conventions.requiredFiles ?? [];
    const source = ctx.policy.conventions.source;
    const exists = (p: string) => ctx.snapshot.fileSet.has(p) || ctx.snapshot.exists(p);
    list.forEach((entry, i) => {
      const related = policyRelated(ctx.policy, `/conventions/requiredFiles/${i}`, 'required by the policy');
      const anyOf = typeof entry === 'string' ? [entry] : entry.anyOf;
      const dirs = typeof entry === 'string' || !entry.in ? [''] : folders(ctx.snapshot.files, entry.in);
      for (const dir of dirs) {
        const paths = anyOf.map((p) => (dir ? `${dir}/${p}` : p).replace(/^\.\//, ''));
        if (paths.some(exists)) continue;
        const first = paths[0]!;
        const srcPath = source ? (dir ? `${dir}/${source}` : source) : undefined;
        const fixes: Fix[] = [];
        if (srcPath && srcPath !== first && exists(srcPath) && /CLAUDE\.md$|GEMINI\.md$/.test(first)) {
          const rel = posix.relative(posix.dirname(first), srcPath);
          fixes.push({
            title: `Create ${first} importing ${srcPath}`,
            isPreferred: true,
            edits: [{ file: first, create: true, range: FILE_START, newText: `@${rel}\n` }],
          });
        } else {
          const title = posix.basename(dir || '.') === '.' ? 'Conventions' : posix.basename(dir);
          fixes.push({
            title: `Create ${first}`,
            edits: [
              { file: first, create: true, range: FILE_START, newText: `# ${title}\n\n## Commands\n\n## Testing\n` },
            ],
          });
        }
        if (paths.length === 1) {
          ctx.report({
            messageId: 'missing',
            data: { path: first, source: source ?? 'AGENTS.md' },
            file: first,
            range: FILE_START,
            related,
            fixes,
          });
        } else {
          ctx.report({
            messageId: 'missingAnyOf',
            data: { paths: paths.join(', '), where: dir ? ` in ${dir}` : '' },
            file: first,
            range: FILE_START,
            related,
            fixes,
          });
        }
      }
    });
  },
};
