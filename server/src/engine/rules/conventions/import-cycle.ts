// conventions/import-cycle: `@imports` that lead back to a file already on the chain (A → B → A). Agents stop at
// the repeat, so some text is silently loaded in a different place than its author assumed; the cycle is also a
// sign that the files no longer have one owner of each rule.

import type { Rule } from '../../rule';
import { importGraph } from '../../conventions/graph';
import { parseConvention } from '../../conventions/parse';
import { rangeOf } from '../../conventions/report';

export const rule: Rule = {
  meta: {
    id: 'conventions/import-cycle',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description: 'Convention files import each other in a cycle',
    fixable: false,
    messages: {
      cycle:
        'This import closes a cycle: {cycle}. Agents stop at the repeated file, so what gets loaded depends on where they start; remove one import so each file is imported from one place.',
    },
  },
  check(ctx) {
    const graph = importGraph(ctx.snapshot, ctx.cache);
    for (const { edge, path } of graph.cycles) {
      const p = parseConvention(ctx.snapshot, ctx.cache, edge.from);
      if (!p) continue;
      const shown = path.length > 8 ? [...path.slice(0, 4), `… (${path.length - 6} more)`, ...path.slice(-2)] : path;
      ctx.report({
        messageId: 'cycle',
        data: { cycle: shown.join(' → ') },
        file: edge.from,
        range: rangeOf(p, edge.fact),
        extra: { cycle: path },
      });
    }
  },
};
