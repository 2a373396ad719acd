// conventions/required-rule: a standing rule of the policy (text or RE2 pattern) is missing from a file in its
// scope — counting what the file imports, since that is what the agent reads. By default the scope is the root's
// entry files: CLAUDE.md, AGENTS.md, GEMINI.md, .cursorrules and .github/copilot-instructions.md.

import type { Rule } from '../../rule';
import { appendLinesEdit } from '../../text';
import { closure, importGraph } from '../../conventions/graph';
import { chunkValues, parseConvention } from '../../conventions/parse';
import { compileRe2, inScope } from '../../conventions/policy';
import { headRange, policyRelated } from '../../conventions/report';
import { conventionFiles, normalise, scopeDir } from '../../conventions/text';

/** Files an agent loads together with a nested file: Claude Code and Gemini CLI concatenate the CLAUDE.md /
 * GEMINI.md of every ancestor folder (formats §1.10, §2.4). AGENTS.md is not: the nearest file wins. */
function ancestors(files: ReadonlySet<string>, path: string, kind: string): string[] {
  const names =
    kind === 'gemini-md'
      ? ['GEMINI.md']
      : kind === 'claude-md' || kind === 'claude-local-md'
        ? ['CLAUDE.md', '.claude/CLAUDE.md', 'CLAUDE.local.md']
        : [];
  const out: string[] = [];
  let dir = scopeDir(path);
  while (names.length && dir) {
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
    for (const n of names) {
      const p = dir ? `${dir}/${n}` : n;
      if (p !== path && files.has(p)) out.push(p);
    }
  }
  return out;
}

const DEFAULT_SCOPE = [
  'CLAUDE.md',
  'AGENTS.md',
  'GEMINI.md',
  '.cursorrules',
  '.github/copilot-instructions.md',
  '.claude/CLAUDE.md',
];

export const rule: Rule = {
  meta: {
    id: 'conventions/required-rule',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description: 'A standing rule the policy requires is missing from a convention file in its scope',
    fixable: true,
    messages: {
      missing:
        '{path} does not state the standing rule "{rule}" ({id}){why}. Agents that load this file do not know it; add it (the quick fix appends it), or import the file that states it.',
    },
  },
  check(ctx) {
    const rules = ctx.policy.conventions.requiredRules ?? [];
    if (!rules.length) return;
    const graph = importGraph(ctx.snapshot, ctx.cache);
    const files = conventionFiles(ctx.snapshot);
    rules.forEach((r, i) => {
      const re = r.pattern ? compileRe2(r.pattern) : undefined;
      if (typeof re === 'string') return; // reported by policy/invalid
      const needle = r.text ? normalise(r.text).replace(/[.;]+$/, '') : undefined;
      if (!re && !needle) return;
      for (const g of files) {
        if (!inScope(g, r.in ?? DEFAULT_SCOPE)) continue;
        const p = parseConvention(ctx.snapshot, ctx.cache, g.path);
        if (!p) continue;
        const found = [
          ...closure(graph, g.path),
          ...ancestors(ctx.snapshot.fileSet, g.path, g.kind).flatMap((a) => closure(graph, a)),
        ].some((f) => {
          const q = f === g.path ? p : parseConvention(ctx.snapshot, ctx.cache, f);
          if (!q) return false;
          // Per chunk (memoised while a chunk is unchanged): a standing rule never spans a blank line.
          if (re && chunkValues(q, 're2test:' + r.pattern, (chunk) => re.test(chunk)).some(Boolean)) return true;
          return needle !== undefined && chunkValues(q, 'normalised', normalise).some((t) => t.includes(needle));
        });
        if (found) continue;
        const text = r.text ?? r.pattern!;
        ctx.report({
          messageId: 'missing',
          data: { path: g.path, rule: text, id: r.id, why: r.why ? ` — ${r.why}` : '' },
          file: g.path,
          range: headRange(p),
          related: policyRelated(ctx.policy, `/conventions/requiredRules/${i}`, `standing rule ${r.id}`),
          ...(r.text
            ? {
                fixes: [
                  {
                    title: `Add the standing rule "${r.text}"`,
                    edits: [
                      { file: g.path, ...appendLinesEdit(p.text, [...(p.text.trim() ? [''] : []), `- ${r.text}`]) },
                    ],
                  },
                ],
              }
            : {}),
          extra: { ruleId: r.id },
        });
      }
    });
  },
};
