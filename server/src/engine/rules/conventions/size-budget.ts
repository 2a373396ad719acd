// conventions/size-budget: a convention file plus what it imports is estimated over the policy's `maxTokens`.
// The budget is about what is loaded at start; files in skill folders (`.claude/skills/**`, `.agents/skills/**`) are
// loaded on demand and have none.
// Every token is loaded into every session (or every matching request), crowding out the task itself; Claude
// Code warns about large memory files, and Cursor suggests rules under 500 lines. Estimator: see
// conventions/text.ts estimateTokens (≈ 4 ASCII characters a token, non-ASCII characters one or two each).

import type { Rule } from '../../rule';
import { closure, importGraph } from '../../conventions/graph';
import { chunkValues, MAX_PARSE_BYTES, parseConvention } from '../../conventions/parse';
import { headRange, policyRelated } from '../../conventions/report';
import { conventionFiles, estimateTokens } from '../../conventions/text';

/** Skill folders (Claude Code, the shared `.agents/`, Codex, Cursor, Gemini): what sits there is loaded on demand. */
const ON_DEMAND = /(^|\/)\.(claude|agents|codex|cursor|gemini)\/skills\//;

export const rule: Rule = {
  meta: {
    id: 'conventions/size-budget',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description: 'A convention file with its imports is estimated over the policy token budget (maxTokens)',
    fixable: false,
    messages: {
      over: '{path} is about {tokens} tokens{detail}, over the budget of {max}. Agents load all of it into every session, crowding out the task; move detail into files loaded on demand (.claude/rules with paths, scoped .mdc or .instructions.md) or trim it.',
    },
  },
  check(ctx) {
    const max = ctx.policy.conventions.maxTokens;
    if (typeof max !== 'number' || max <= 0) return;
    const graph = importGraph(ctx.snapshot, ctx.cache);
    const tokensOf = (path: string) =>
      ctx.cache.memo('conventions:tokens:' + path, ctx.snapshot.version(path), () => {
        // A parsed file is estimated per chunk (memoised while the chunk is unchanged); others whole.
        const p =
          /\.(md|mdc|markdown|txt)$/i.test(path) || path.endsWith('.cursorrules')
            ? parseConvention(ctx.snapshot, ctx.cache, path)
            : undefined;
        if (p) return chunkValues(p, 'tokens', estimateTokens).reduce((a, b) => a + b, 0);
        const r = ctx.snapshot.read(path);
        return r.ok ? estimateTokens(r.text) : 0;
      });
    for (const g of conventionFiles(ctx.snapshot)) {
      // A skill's files are loaded on demand, when the skill is used: the start-up budget is not theirs.
      if (ON_DEMAND.test(g.path)) continue;
      const files = closure(graph, g.path);
      const own = tokensOf(g.path);
      const total = files.reduce((n, f) => n + tokensOf(f), 0);
      if (total <= max) continue;
      const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
      const detail =
        p && p.text.length > MAX_PARSE_BYTES
          ? ' (too large to parse: it was scanned, not parsed)'
          : files.length > 1
            ? ` (${own} itself, ${total - own} from ${files.length - 1} imported file${files.length > 2 ? 's' : ''})`
            : '';
      ctx.report({
        messageId: 'over',
        data: { path: g.path, tokens: total, detail, max },
        file: g.path,
        range: headRange(p),
        related: policyRelated(ctx.policy, '/conventions/maxTokens', 'the token budget'),
        extra: { tokens: total, own, files },
      });
    }
  },
};
