// owners/syntax: a CODEOWNERS line the platform rejects or reads differently from what it looks like — an invalid
// pattern (`***`), an invalid owner token (`user`, `docs@`, `@a@b`, `@org/team.name`), syntax this dialect does not
// have (`!` or a GitLab section in a GitHub file, GitLab inline comments), `[ ]` that is literal here, `/`.
// GitHub skips a line with an invalid pattern or owner and applies the rest of the file.

import { codeownersAnalysis, PLATFORM_NAME } from '../../ownership/analysis';
import { replacePatternFix } from '../../ownership/fixes';
import type { SyntaxProblem } from '../../ownership/parse';
import type { Report, Rule } from '../../rule';
import type { Fix } from '../../types';

/** The report of each parse problem (problem objects are immutable and reused for unchanged lines). */
const reports = new WeakMap<SyntaxProblem, { file: string; platform: string; report: Report }>();

export const rule: Rule = {
  meta: {
    id: 'owners/syntax',
    surface: 'ownership',
    defaultSeverity: 'error',
    description: 'A CODEOWNERS line that the platform rejects, skips or reads differently from how it looks',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      invalidPattern:
        'Invalid pattern `{pattern}`: `***` is not a wildcard, so {platform} skips this whole line and its owners review nothing. Did you mean `{suggestion}`?',
      invalidOwner: 'Invalid owner `{owner}`: {hint}; {effect}. Write `@user`, `@org/team` or an e-mail address.',
      negation:
        '`{pattern}`: {platform} has no `!` negation, so it skips this line. Remove it, or list the paths that should keep their owners on lines of their own.',
      escapedHash:
        '`{pattern}`: escaping a leading `#` with `\\` does not work on {platform}; the line does not apply. Match the `#` with `?` instead.',
      rootSlash:
        'The pattern `/` matches nothing on {platform}, so this line owns no file. Did you mean `*` (every file)?',
      gitlabSection:
        '`{pattern}` is GitLab section syntax; {platform} reads it as a pattern for a file literally named `{pattern}`, so the owners after it apply to nothing. Remove it, or set `ownership.dialect` to `gitlab` in the policy if this file is read by GitLab.',
      literalBrackets:
        '`{pattern}`: {platform} matches `[` and `]` literally (there are no character classes), so this only matches a path with those brackets in its name. Write out each path you mean.',
      ownerOnlyLine:
        '`{pattern}` is read as a pattern with no owners, which un-owns paths named `{pattern}`. Owners go after a pattern on the same line.',
      hashInPattern:
        '`{pattern}` contains `#`: how {platform} reads a `#` inside a pattern is undocumented, and some tools cut the line there. Match that character with `?`.',
      longPattern:
        'This pattern is {length} characters long (over {max}), almost certainly a mistake such as pasted text; it is not matched, so its owners review nothing. Shorten it.',
      uncompilable: '`{pattern}` cannot be matched ({reason}), so this line owns nothing. Simplify the pattern.',
      emptyPattern: 'This line has no pattern; {platform} skips it.',
      sectionNoName:
        'A GitLab section header needs a name, such as `[Backend]`; GitLab reports this line as an error and ignores it.',
      sectionApprovals:
        '`[{value}]` is not a valid approval count (a whole number of at least 1); GitLab requires 1 approval for this section.',
      gitlabInlineComment:
        'GitLab has no inline comments: the `@owners` written after `#` here are parsed as owners. Move the comment to a line of its own.',
      gitlabNoOwners:
        '`{pattern}` has no owners and its section has no default owners: GitLab reports the entry and lets changes to these files merge without a code owner. Add owners, or keep it only if that exemption is intended.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || !a.read?.ok || a.ignoredWhole) return;
    const platform = PLATFORM_NAME[a.choice.dialect];
    for (const p of a.parsed.problems) {
      // The parse reuses the problem objects of unchanged lines, and so is their report unless it has a fix (a pattern
      // fix looks at the other lines with that pattern).
      const kept = reports.get(p);
      if (kept && kept.file === a.choice.path && kept.platform === platform) {
        ctx.report(kept.report);
        continue;
      }
      let fixes: Fix[] | undefined;
      if (p.messageId === 'invalidPattern' || p.messageId === 'rootSlash') {
        const rule = a.parsed.rules.find((r) => r.line === p.range.start.line);
        const f =
          p.messageId === 'invalidPattern'
            ? replacePatternFix(
                a,
                rule,
                p.range,
                String(p.data.suggestion),
                `Replace with \`${String(p.data.suggestion)}\``,
              )
            : replacePatternFix(a, rule, p.range, '*', 'Replace `/` with `*`');
        if (f) fixes = [f];
      }
      const report: Report = {
        messageId: p.messageId,
        data: { platform, ...p.data },
        file: a.choice.path,
        range: p.range,
        severity: p.severity,
        ...(fixes ? { fixes } : {}),
      };
      if (!fixes) reports.set(p, { file: a.choice.path, platform, report });
      ctx.report(report);
    }
    for (const e of a.matcher.compileErrors) {
      const r = a.parsed.rules[e.rule]!;
      ctx.report({
        messageId: 'uncompilable',
        data: { pattern: r.pattern.text.slice(0, 80), reason: e.message },
        file: a.choice.path,
        range: r.pattern.range,
      });
    }
  },
};
