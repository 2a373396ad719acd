// owners/no-match: a rule that matches no tracked file — a typo, a moved directory, or a pitfall such as
// `docs/*` (direct children only) or, on GitLab, `/docs` without the trailing slash. Not reported for a rule that
// matches a path the policy names (a file that may not exist yet, such as `.claude/settings.json`).

import { codeownersAnalysis } from '../../ownership/analysis';
import { policyOwnership } from '../../ownership/policy-ownership';
import { repoOwnership, ruleFirstMatches } from '../../ownership/repo-ownership';
import { deleteLineFix, LineReports } from '../../ownership/fixes';
import { compilePattern } from '../../ownership/pattern';
import type { Dialect } from '../../ownership/parse';
import { BoundedMap } from '../../cache';
import type { Rule } from '../../rule';

/** owners/syntax's messages about a pattern, each of which explains why it matches nothing. */
const PATTERN_PROBLEMS: ReadonlySet<string> = new Set([
  'invalidPattern',
  'negation',
  'escapedHash',
  'rootSlash',
  'gitlabSection',
  'literalBrackets',
  'ownerOnlyLine',
  'hashInPattern',
  'longPattern',
]);

/** The report of each line, kept while the file count and the hint stay. */
const reports = new LineReports<string>((x, y) => x === y);

/** A pitfall the pattern shows, when a nearby pattern would match: `dir/*` (direct children only), GitLab's `/dir`. */
function hintFor(p: string, dialect: Dialect, paths: readonly string[]): string {
  if (dialect !== 'gitlab' && p.endsWith('/*')) {
    const deeper = compilePattern(p.slice(0, -1), dialect);
    if (paths.some((f) => deeper.test(f)))
      return `; \`${p}\` owns direct children only — \`${p.slice(0, -1)}\` owns everything below`;
  } else if (dialect === 'gitlab' && !p.endsWith('/') && !/[*?[]/.test(p)) {
    const dir = compilePattern(p + '/', 'gitlab');
    if (paths.some((f) => dir.test(f)))
      return `; on GitLab \`${p}\` without a trailing slash does not cover a directory — write \`${p}/\``;
  }
  return '';
}

export const rule: Rule = {
  meta: {
    id: 'owners/no-match',
    surface: 'ownership',
    defaultSeverity: 'warning',
    description: 'A CODEOWNERS rule that matches no tracked file and no path the policy protects',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      noMatch:
        '`{pattern}` (line {line}) matches none of the {count} tracked files{hint}. Fix the path (paths are case-sensitive) or delete the line.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole) return;
    const repo = repoOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    const pol = policyOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    const firstMatch = ruleFirstMatches(ctx.snapshot, ctx.cache, ctx.policy);
    const policyPaths = [...pol.all.keys()];
    // Whether a pattern matches a path the policy names, kept by pattern text while the policy and files stay.
    const matchesPolicy = ctx.cache.memo(
      'ownership:pattern-policy',
      `${ctx.policy.version}|${ctx.snapshot.filesVersion}|${a.choice.dialect}`,
      () => new BoundedMap<string, boolean>(20_000),
    );
    // The hint for a pattern, by pattern text, while the file list stays (each looks at every file).
    const hints = ctx.cache.memo(
      'ownership:no-match-hint',
      `${ctx.snapshot.filesVersion}|${ctx.snapshot.tracked ? 't' : 'f'}|${a.choice.dialect}`,
      () => new BoundedMap<string, string>(20_000),
    );
    // A pattern owners/syntax explains (GitLab section syntax on GitHub, `[a-z]` read literally, an owner on a line
    // of its own, …) matches nothing for that reason: one finding, owners/syntax's.
    const explained = new Set<number>();
    for (const p of a.parsed.problems) if (PATTERN_PROBLEMS.has(p.messageId)) explained.add(p.line);
    for (const e of a.matcher.compileErrors) explained.add(a.parsed.rules[e.rule]!.line);
    for (const r of a.parsed.rules) {
      if (r.skipped || repo.wins[r.index]! > 0 || firstMatch[r.index]! >= 0) continue;
      if (explained.has(r.line)) continue;
      const compiled = a.matcher.compiled[r.index];
      if (!compiled || compiled.matchesNothing) continue; // `/` is owners/syntax's
      let named = matchesPolicy.get(r.pattern.text);
      if (named === undefined) matchesPolicy.set(r.pattern.text, (named = policyPaths.some((p) => compiled.test(p))));
      if (named) continue;
      let hint = hints.get(r.pattern.text);
      if (hint === undefined)
        hints.set(r.pattern.text, (hint = hintFor(r.pattern.text, a.choice.dialect, repo.files.paths)));
      const count = repo.files.paths.length;
      const path = a.choice.path;
      ctx.report(
        reports.get(a, r, `${count}|${hint}`, () => {
          const fix = deleteLineFix(a, r, `Delete line ${r.line + 1}`);
          return {
            messageId: 'noMatch',
            data: { pattern: (r.negated ? '!' : '') + r.pattern.text, line: r.line + 1, count, hint },
            file: path,
            range: r.pattern.range,
            ...(fix ? { fixes: [fix] } : {}),
          };
        }),
      );
    }
  },
};
