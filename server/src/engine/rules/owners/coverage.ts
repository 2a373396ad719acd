// owners/coverage: the share of tracked files that have an owner is below the policy's minimum
// (`ownership.minCoverage`). The message gives the figure and the largest unowned directories, where a few
// directory lines would raise it most.

import { codeownersAnalysis } from '../../ownership/analysis';
import { repoOwnership } from '../../ownership/repo-ownership';
import { codeownersFile } from '../../ownership/fixes';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

/** The directories (at most two levels deep) with the most unowned files, largest first. */
export function largestUnownedDirs(
  paths: readonly string[],
  owned: Uint8Array,
  max = 3,
): { dir: string; count: number }[] {
  const counts = new Map<string, number>();
  paths.forEach((p, i) => {
    if (owned[i]) return;
    const segs = p.split('/');
    const dir = segs.length === 1 ? '(root)' : segs.slice(0, Math.min(2, segs.length - 1)).join('/') + '/';
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  });
  return [...counts.entries()]
    .map(([dir, count]) => ({ dir, count }))
    .sort((a, b) => b.count - a.count || (a.dir < b.dir ? -1 : 1))
    .slice(0, max);
}

function pct(x: number): string {
  const v = x * 100;
  return v === Math.floor(v) ? String(v) : v.toFixed(1);
}

export const rule: Rule = {
  meta: {
    id: 'owners/coverage',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'The share of tracked files with an owner is below the policy minimum',
    fixable: false,
    dependsOn: ['codeowners', 'files'],
    messages: {
      coverage:
        '{owned} of {total} tracked files ({percent}%) have an owner; the policy requires {min}% (ownership.minCoverage). Largest unowned directories: {dirs}. A directory line such as `/{firstDir} @team` covers many at once.',
    },
  },
  check(ctx) {
    const min = ctx.policy.ownership.minCoverage;
    if (min === undefined || min <= 0) return;
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    const repo = repoOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    const total = repo.files.paths.length;
    if (!total) return;
    const owned = total - repo.unownedCount;
    if (owned / total >= min) return;
    const dirs = largestUnownedDirs(repo.files.paths, repo.owned);
    const related = ctx.policy.origin('/ownership/minCoverage');
    ctx.report({
      messageId: 'coverage',
      data: {
        owned,
        total,
        percent: pct(Math.floor((owned / total) * 1000) / 1000),
        min: pct(min),
        dirs: dirs.map((d) => `${d.dir} (${d.count})`).join(', '),
        firstDir: dirs[0] && dirs[0].dir !== '(root)' ? dirs[0].dir : 'src/',
      },
      file: codeownersFile(a),
      range: FILE_START,
      ...(related ? { related: [related] } : {}),
      extra: { owned, total, unownedDirs: dirs },
    });
  },
};
