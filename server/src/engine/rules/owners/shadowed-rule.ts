// owners/shadowed-rule: a rule that decides for no tracked file and no path the policy names, because later
// rules override it wherever it matches (`/src/auth/ @security` above `/src/ @backend`, or anything above a
// catch-all `*` at the bottom). Computed on the real file list with the platform's matcher, not from the
// pattern text, so there are no false alarms like `/*.*` "shadowing" everything.

import { codeownersAnalysis } from '../../ownership/analysis';
import { linesList } from '../../ownership/messages';
import { policyOwnership } from '../../ownership/policy-ownership';
import { decidingOf, patternMatcher, repoOwnership } from '../../ownership/repo-ownership';
import { deleteLineFix, LineReports } from '../../ownership/fixes';
import type { CodeownersRule } from '../../ownership/parse';
import { BoundedMap } from '../../cache';
import type { Rule } from '../../rule';

interface Shadow {
  example: string;
  more: string;
  overriders: CodeownersRule[];
}

/** The report of each line, kept while its example and overriding lines stay. */
const reports = new LineReports<Shadow>(
  (x, y) =>
    x.example === y.example &&
    x.more === y.more &&
    x.overriders.length === y.overriders.length &&
    x.overriders.every((o, i) => o === y.overriders[i]),
);

export const rule: Rule = {
  meta: {
    id: 'owners/shadowed-rule',
    surface: 'ownership',
    defaultSeverity: 'warning',
    description: 'A CODEOWNERS rule that later rules override everywhere it matches, so it decides nothing',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      shadowed:
        'Line {line} (`{pattern}`) decides for no file: it matches {example}{more}, but later {overriders} {verb} it there (the last matching line wins). Move it below {lastLine} if it should win, or delete it.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole) return;
    const repo = repoOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    const pol = policyOwnership(ctx.snapshot, ctx.cache, ctx.policy);
    // Duplicates are owners/duplicate-pattern's.
    // (grouped by pattern text, then section and negation: no key string to build per rule).
    const dup = new Set<number>();
    const lastByText = new Map<string, CodeownersRule[]>();
    for (let i = a.parsed.rules.length - 1; i >= 0; i--) {
      const r = a.parsed.rules[i]!;
      const later = lastByText.get(r.pattern.text);
      if (!later) lastByText.set(r.pattern.text, [r]);
      else if (later.some((l) => l.section === r.section && l.negated === r.negated)) dup.add(i);
      else later.push(r);
    }
    const matches = patternMatcher(ctx.snapshot, ctx.cache, ctx.policy);
    const notYet = [...pol.all.values()].filter((pp) => !pp.exists);
    // Which of those a pattern matches depends on the policy and the file list only: kept by pattern text.
    const sentinelsOf = ctx.cache.memo(
      'ownership:pattern-sentinels',
      `${ctx.policy.version}|${ctx.snapshot.filesVersion}|${a.choice.dialect}`,
      () => new BoundedMap<string, string[]>(20_000),
    );
    const policyWins = new Set<number>();
    for (const pp of pol.all.values()) for (const d of pp.ownership.deciding) policyWins.add(d);
    for (const r of a.parsed.rules) {
      if (r.skipped || r.negated || dup.has(r.index) || repo.wins[r.index]! > 0 || policyWins.has(r.index)) continue;
      const compiled = a.matcher.compiled[r.index];
      if (!compiled) continue;
      const hits = matches(r.index);
      const matched = hits.map((i) => repo.files.paths[i]!);
      let sentinelPaths = sentinelsOf.get(r.pattern.text);
      if (!sentinelPaths)
        sentinelsOf.set(
          r.pattern.text,
          (sentinelPaths = notYet.filter((pp) => compiled.test(pp.path)).map((pp) => pp.path)),
        );
      const sentinels = sentinelPaths.map((p) => pol.all.get(p)!);
      if (!matched.length && !sentinels.length) continue; // owners/no-match
      const over = new Map<number, CodeownersRule>();
      const add = (d: number) => {
        if (d > r.index && a.parsed.rules[d]!.section === r.section) over.set(d, a.parsed.rules[d]!);
      };
      // Tracked files: their deciding rules are already known (one per GitLab section).
      for (const i of hits) {
        const ds = decidingOf(repo, i);
        for (let k = 0; k < ds.length; k++) add(ds[k]!);
      }
      for (const pp of sentinels) {
        matched.push(pp.path);
        pp.ownership.deciding.forEach(add);
      }
      const overriders = [...over.values()].sort((x, y) => x.index - y.index);
      if (!overriders.length) continue;
      const example = matched[0]!;
      const more = matched.length > 1 ? ` and ${matched.length >= 50 ? 'more' : matched.length - 1 + ' more'}` : '';
      const path = a.choice.path;
      ctx.report(
        reports.get(a, r, { example, more, overriders }, () => {
          const fix = deleteLineFix(a, r, `Delete line ${r.line + 1}`);
          return {
            messageId: 'shadowed',
            data: {
              line: r.line + 1,
              pattern: r.pattern.text,
              example: `\`${example}\``,
              more,
              overriders: linesList(overriders),
              verb: overriders.length === 1 ? 'overrides' : 'override',
              lastLine: `line ${overriders[overriders.length - 1]!.line + 1}`,
            },
            file: path,
            range: r.pattern.range,
            related: overriders
              .slice(0, 5)
              .map((o) => ({ file: path, range: o.pattern.range, message: `overrides line ${r.line + 1}` })),
            ...(fix ? { fixes: [fix] } : {}),
          };
        }),
      );
    }
  },
};
