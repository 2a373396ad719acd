// owners/unowned-path: a path the policy says must be owned (`ownership.mustOwn`, including paths that do not
// exist yet such as `.claude/settings.json`) that no CODEOWNERS line matches, or whose deciding line has no
// owners (an un-owning line). Changes to it need no code-owner review.
// One finding per root cause: with no CODEOWNERS file where the policy requires one, owners/missing-file says it
// all; paths that do not exist yet are reported only for globs a policy file names (the embedded baseline's
// list covers every agent, and a repository that uses no Gemini or Cursor owes it nothing).

import { codeownersAnalysis } from '../../ownership/analysis';
import { deadAfterAppend, globToPattern, isCatchAll, proposedOwnersFor } from '../../ownership/messages';
import { repoOwnership } from '../../ownership/repo-ownership';
import { addOwnersFix, appendFix, codeownersFile, linePattern } from '../../ownership/fixes';
import {
  appendPatternsFix,
  fixPatterns,
  judgedDecision,
  judgedPolicyOwnership,
  pathText,
  type JudgedPolicyPath,
} from '../../ownership/links';
import { isOwned } from '../../ownership/matcher';
import { BASELINE_NAME } from '../../policy/load';
import type { Rule } from '../../rule';
import { FILE_START } from '../../text';

function pathList(paths: JudgedPolicyPath[], max = 3): string {
  const shown = paths.slice(0, max).map((p) => `${pathText(p)}${p.exists ? '' : ' (not created yet)'}`);
  return shown.join(', ') + (paths.length > max ? ` and ${paths.length - max} more` : '');
}

export const rule: Rule = {
  meta: {
    id: 'owners/unowned-path',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'A path the policy says must be owned has no owner in CODEOWNERS',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      unowned:
        "`{glob}` must be owned (policy ownership.mustOwn), but {paths} {verb} no owner: {why}. Changes to it merge without a code owner's review. Add a line for it at the end of {file}.",
      unownedFuture:
        "No CODEOWNERS line owns {count} path pattern(s) the policy says must be owned, though no such file exists yet: {globs} (ownership.mustOwn). The change that adds one — by a person or an agent — would merge without a code owner's review. Add lines for them to {file}.",
      noFile:
        'The policy requires owners for {count} path patterns (ownership.mustOwn: {globs}), and there is no CODEOWNERS file, so none of them is owned. Create {file} with a line for each.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    // A symlinked file is judged by its target's ownership (./ownership/links.ts).
    const pol = judgedPolicyOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    const file = codeownersFile(a);
    if (!a.choice.path) {
      if (!pol.mustOwn.length || ctx.policy.ownership.requireCodeowners) return;
      const lines: string[] = [];
      for (const g of pol.mustOwn) {
        const pattern = globToPattern(g.glob);
        if (!pattern) continue;
        const owners = g.paths.length ? proposedOwnersFor(a, ctx.policy, g.paths[0]!.path) : [];
        lines.push(owners.length ? `${pattern} ${owners.join(' ')}` : `# ${pattern} @your-org/your-team`);
      }
      const fix = appendFix(a, `Create ${file} with a line for each protected path`, lines);
      const related = ctx.policy.origin('/ownership/mustOwn');
      ctx.report({
        messageId: 'noFile',
        data: {
          count: pol.mustOwn.length,
          globs:
            pol.mustOwn
              .slice(0, 4)
              .map((g) => g.glob)
              .join(', ') + (pol.mustOwn.length > 4 ? ', …' : ''),
          file,
        },
        file,
        range: FILE_START,
        ...(related ? { related: [related] } : {}),
        ...(fix ? { fixes: [fix] } : {}),
      });
      return;
    }
    if (a.ignoredWhole === 'unreadable') return;
    const future: { glob: string; pointer: string; path: string }[] = [];
    for (const g of pol.mustOwn) {
      // The CODEOWNERS file itself is owners/self-unprotected's.
      const unowned = g.paths.filter((p) => !isOwned(p.ownership) && p.path !== a.choice.path);
      if (!unowned.length) continue;
      const existing = unowned.filter((p) => p.exists);
      if (!existing.length) {
        if (ctx.policy.origin(g.pointer)?.file === BASELINE_NAME) continue;
        future.push({ glob: g.glob, pointer: g.pointer, path: unowned[0]!.path });
        continue;
      }
      const first = existing[0]!;
      const deciders = new Set(existing.map((p) => p.ownership.rule?.index ?? -1));
      const one = deciders.size === 1 && first.ownership.rule ? first.ownership.rule : undefined;
      const patterns = fixPatterns(g.glob, existing);
      const owners = proposedOwnersFor(a, ctx.policy, first.path);
      // One un-owning line decides for all of them and for nothing else: give it owners (appending a line for the glob would override it
      // everywhere and leave it deciding nothing, owners/shadowed-rule). Otherwise append a line for the glob.
      const fix = !owners.length
        ? undefined
        : one &&
            !one.negated &&
            !one.effectiveOwners.length &&
            !isCatchAll(one, a) &&
            repoOwnership(ctx.snapshot, ctx.cache, ctx.policy).wins[one.index] === existing.length
          ? addOwnersFix(
              a,
              one,
              owners,
              `Give line ${one.line + 1} (\`${one.pattern.text}\`) the owners ${owners.join(' ')}`,
            )
          : appendPatternsFix(ctx, a, patterns, owners, `for ${g.glob}`);
      const related = ctx.policy.origin(g.pointer);
      ctx.report({
        messageId: 'unowned',
        data: {
          glob: g.glob,
          paths: pathList(existing),
          verb: existing.length === 1 ? 'has' : 'have',
          why:
            a.ignoredWhole === 'too-large'
              ? 'the platform ignores the whole CODEOWNERS file (3 MB or more)'
              : judgedDecision(first.ownership),
          file,
        },
        file: a.choice.path,
        range: one ? one.pattern.range : FILE_START,
        ...(related ? { related: [related] } : {}),
        ...(fix ? { fixes: [fix] } : {}),
        extra: { glob: g.glob, paths: existing.map((p) => p.path) },
      });
    }
    if (future.length) {
      // Paths that do not exist yet: one finding, so a repository that uses no Gemini or Cursor is not flooded.
      const lines: string[] = [];
      for (const f of future) {
        const pattern = globToPattern(f.glob);
        const owners = proposedOwnersFor(a, ctx.policy, f.path);
        if (pattern && owners.length) lines.push(`${pattern} ${owners.join(' ')}`);
      }
      const fix = lines.length
        ? appendFix(
            a,
            `Add CODEOWNERS lines for ${lines.length} protected path pattern(s)`,
            lines,
            true,
            deadAfterAppend(ctx.snapshot, ctx.cache, ctx.policy, lines.map(linePattern)),
          )
        : undefined;
      const related = future
        .slice(0, 10)
        .map((f) => ctx.policy.origin(f.pointer))
        .filter((r) => r !== undefined);
      ctx.report({
        messageId: 'unownedFuture',
        data: {
          count: future.length,
          globs:
            future
              .slice(0, 6)
              .map((f) => `\`${f.glob}\``)
              .join(', ') + (future.length > 6 ? ` and ${future.length - 6} more` : ''),
          file,
        },
        file: a.choice.path,
        range: FILE_START,
        severity: 'warning',
        ...(related.length ? { related } : {}),
        ...(fix ? { fixes: [fix] } : {}),
        extra: { globs: future.map((f) => f.glob), paths: future.map((f) => f.path) },
      });
    }
  },
};
