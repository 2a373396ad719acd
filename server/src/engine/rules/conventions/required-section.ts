// conventions/required-section: a heading the policy requires (per file kind or glob) is in neither the file nor
// what it imports. Compared case-insensitively at any level; the quick fix appends the section from the snippet
// template in snippets/convention-sections.json.

import type { Rule } from '../../rule';
import { appendLinesEdit } from '../../text';
import { closure, importGraph } from '../../conventions/graph';
import { parseConvention } from '../../conventions/parse';
import { inScope } from '../../conventions/policy';
import { headRange, policyRelated } from '../../conventions/report';
import { sectionLines } from '../../conventions/snippets';
import { conventionFiles, normaliseHeading } from '../../conventions/text';

export const rule: Rule = {
  meta: {
    id: 'conventions/required-section',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description: 'A convention file lacks a section (heading) the policy requires for its kind or path',
    fixable: true,
    messages: {
      missing:
        '{path} has no "{heading}" section (required by the policy for {scope}), neither itself nor in what it imports. Agents then miss what the org expects them to know here; add the section.',
    },
  },
  check(ctx) {
    const req = ctx.policy.conventions.requiredSections ?? {};
    const keys = Object.keys(req);
    if (!keys.length) return;
    const graph = importGraph(ctx.snapshot, ctx.cache);
    for (const g of conventionFiles(ctx.snapshot)) {
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      if (!p) continue;
      let headings: Set<string> | undefined;
      for (const key of keys) {
        if (!inScope(g, [key])) continue;
        headings ??= new Set(
          closure(graph, g.path).flatMap(
            (f) => parseConvention(ctx.snapshot, ctx.cache, f)?.headings.map((h) => normaliseHeading(h.text)) ?? [],
          ),
        );
        req[key]!.forEach((s, i) => {
          const alts = typeof s === 'string' ? [s] : s.anyOf;
          if (alts.some((a) => headings!.has(normaliseHeading(a)))) return;
          const heading = alts[0]!;
          const edit = appendLinesEdit(p.text, [...(p.text.trim() ? [''] : []), ...sectionLines(heading, 2)]);
          ctx.report({
            messageId: 'missing',
            data: { path: g.path, heading, scope: key },
            file: g.path,
            range: headRange(p),
            related: policyRelated(
              ctx.policy,
              `/conventions/requiredSections/${key.replace(/~/g, '~0').replace(/\//g, '~1')}/${i}`,
              'required by the policy',
            ),
            fixes: [{ title: `Add a "${heading}" section`, isPreferred: true, edits: [{ file: g.path, ...edit }] }],
          });
        });
      }
    }
  },
};
