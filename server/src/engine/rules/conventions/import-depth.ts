// conventions/import-depth: an `@import` deeper than Claude Code follows. Claude Code loads imports at most
// MAX_IMPORT_HOPS (4) hops from the file it loaded (shared reference, formats §1.10); an import in a file at that
// depth is not followed, so its text never reaches the agent.

import type { Rule } from '../../rule';
import { MAX_IMPORT_HOPS, importGraph } from '../../conventions/graph';
import { parseConvention } from '../../conventions/parse';
import { rangeOf } from '../../conventions/report';

export const rule: Rule = {
  meta: {
    id: 'conventions/import-depth',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description: `An @import sits deeper than agents follow (${MAX_IMPORT_HOPS} hops), so its file is never loaded`,
    fixable: false,
    messages: {
      tooDeep:
        '{target} is imported at hop {hop}, beyond the {max} hops Claude Code follows, so the agent never loads it. Import it from a file closer to CLAUDE.md (or flatten the chain).',
    },
  },
  check(ctx) {
    const graph = importGraph(ctx.snapshot, ctx.cache);
    for (const [from, d] of graph.depth) {
      if (d !== MAX_IMPORT_HOPS) continue;
      const p = parseConvention(ctx.snapshot, ctx.cache, from);
      if (!p) continue;
      for (const e of graph.edges.get(from) ?? []) {
        if (!e.target) continue;
        const td = graph.depth.get(e.target);
        if (td !== undefined && td <= MAX_IMPORT_HOPS) continue;
        ctx.report({
          messageId: 'tooDeep',
          data: { target: e.target, hop: d + 1, max: MAX_IMPORT_HOPS },
          file: from,
          range: rangeOf(p, e.fact),
        });
      }
    }
  },
};
