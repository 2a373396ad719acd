// owners/duplicate-pattern: the same pattern on two lines (in the same section on GitLab). Rules do not merge:
// only the later line counts, and GitHub says nothing, so the earlier line's owners silently review nothing.

import { codeownersAnalysis } from '../../ownership/analysis';
import { ownersText } from '../../ownership/messages';
import { deleteLineFix, LineReports } from '../../ownership/fixes';
import type { CodeownersRule } from '../../ownership/parse';
import type { Rule } from '../../rule';

/** The report of each earlier line of a pair, kept while the pair is the same (the later line's parsed rule). */
const reports = new LineReports<CodeownersRule>((x, y) => x === y);

export const rule: Rule = {
  meta: {
    id: 'owners/duplicate-pattern',
    surface: 'ownership',
    defaultSeverity: 'warning',
    description: 'The same CODEOWNERS pattern appears on more than one line, so only the last one counts',
    fixable: true,
    dependsOn: ['codeowners', 'files'],
    messages: {
      duplicate:
        '`{pattern}` appears again on line {later}, which overrides this line: rules do not merge, so {owners} on line {line} review nothing here. Put every owner on line {later} and delete this line.',
    },
  },
  check(ctx) {
    const a = codeownersAnalysis(ctx.snapshot, ctx.cache, ctx.policy);
    if (!a.choice.path || a.ignoredWhole) return;
    // Grouped by pattern text first (no key strings to build per rule), then section and negation within a group.
    const byText = new Map<string, CodeownersRule[]>();
    for (const r of a.parsed.rules) {
      if (r.skipped) continue;
      const g = byText.get(r.pattern.text);
      if (g) g.push(r);
      else byText.set(r.pattern.text, [r]);
    }
    const pairs: [CodeownersRule, CodeownersRule][] = [];
    for (const g of byText.values()) {
      if (g.length < 2) continue;
      // From the end: the last line seen so far per section and negation is the one that overrides.
      const lastOf = new Map<number, CodeownersRule>();
      for (let i = g.length - 1; i >= 0; i--) {
        const r = g[i]!;
        const k = r.section * 2 + (r.negated ? 1 : 0);
        const later = lastOf.get(k);
        if (later) pairs.push([r, later]);
        else lastOf.set(k, r);
      }
    }
    pairs.sort((x, y) => x[0].index - y[0].index);
    for (const [r, later] of pairs) {
      const path = a.choice.path;
      ctx.report(
        reports.get(a, r, later, () => {
          const fix = deleteLineFix(a, r, `Delete line ${r.line + 1} (repeated on line ${later.line + 1})`);
          return {
            messageId: 'duplicate',
            data: {
              pattern: r.pattern.text,
              later: later.line + 1,
              line: r.line + 1,
              owners: ownersText(r.effectiveOwners),
            },
            file: path,
            range: r.pattern.range,
            related: [
              { file: path, range: later.pattern.range, message: `the later line with \`${later.pattern.text}\`` },
            ],
            ...(fix ? { fixes: [fix] } : {}),
          };
        }),
      );
    }
  },
};
