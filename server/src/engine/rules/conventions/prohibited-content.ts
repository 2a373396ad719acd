// conventions/prohibited-content: text the policy prohibits (RE2 patterns), e.g. instructions to commit with
// `--no-verify` or to run agents in bypass mode. A line that forbids the thing ("never use --no-verify") is not a
// finding unless the entry sets `ignoreNegated: false`. Code blocks count: instructions live there too.

import type { Rule } from '../../rule';
import { parseConvention, perChunk } from '../../conventions/parse';
import { compileRe2, inScope, re2Matches } from '../../conventions/policy';
import { prefilterOf } from '../../conventions/prefilter';
import { policyRelated, rangeOf } from '../../conventions/report';
import { conventionFiles, isNegated } from '../../conventions/text';

export const rule: Rule = {
  meta: {
    id: 'conventions/prohibited-content',
    surface: 'conventions',
    defaultSeverity: 'error',
    description: 'A convention file holds text the policy prohibits (bypass instructions and the like)',
    fixable: false,
    messages: {
      prohibited:
        '"{match}" is prohibited in convention files ({id}): {why} Agents follow what this file says; remove the instruction or state the safe alternative.',
    },
  },
  check(ctx) {
    const list = ctx.policy.conventions.prohibited ?? [];
    if (!list.length) return;
    // The prefilter skips the RE2 engine on text that cannot match (same findings, a fraction of the time).
    const compiled = list.map((e) => ({ e, re: compileRe2(e.pattern), pre: prefilterOf(e.pattern) }));
    for (const g of conventionFiles(ctx.snapshot)) {
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      if (!p || !p.text) continue;
      compiled.forEach(({ e, re, pre }, i) => {
        if (typeof re === 'string') return; // reported by policy/invalid
        if (e.in && !inScope(g, e.in)) return;
        const hits = perChunk(p, 're2:' + e.pattern, (chunk) =>
          pre && !pre.mayMatch(chunk) ? [] : re2Matches(re, chunk, 50).map(([start, end]) => ({ start, end })),
        );
        for (const { start: s, end: rawEnd } of hits.slice(0, 50)) {
          // A delimiter the pattern consumed (`--no-verify(?:[^\w-]|$)` takes the closing backtick) is not shown.
          let end = rawEnd;
          while (end > s + 1 && /[\s`'".,;:)\]]/.test(p.text[end - 1]!)) end--;
          if (e.ignoreNegated !== false && isNegated(p, s, end)) continue;
          const match = p.text.slice(s, Math.min(end, s + 80));
          ctx.report({
            messageId: 'prohibited',
            data: { match, id: e.id, why: e.message ?? 'the policy prohibits it.' },
            file: g.path,
            range: rangeOf(p, { start: s, end }),
            related: policyRelated(ctx.policy, `/conventions/prohibited/${i}`, `prohibited by ${e.id}`),
            extra: { prohibitedId: e.id },
          });
        }
      });
    }
  },
};
