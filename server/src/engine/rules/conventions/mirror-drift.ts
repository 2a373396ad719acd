// conventions/mirror-drift: several agents' files in one folder (CLAUDE.md, AGENTS.md, GEMINI.md,
// .github/copilot-instructions.md, .cursorrules) that have drifted apart. With a policy `source` (e.g. AGENTS.md)
// every other file there must import it, be a symlink to it, or match it. Without one, two files that are
// plainly mirrors (most of their sections shared) but no longer equal are drift. The message names the sections
// that differ.

import type { Rule } from '../../rule';
import { closure, importGraph } from '../../conventions/graph';
import { parseConvention, type ParsedConvention } from '../../conventions/parse';
import { headRange, policyRelated } from '../../conventions/report';
import { normaliseHeading, scopeDir, sectionsOf } from '../../conventions/text';
import type { FileKind, GovernanceFile } from '../../types';

const ENTRY: ReadonlySet<FileKind> = new Set<FileKind>([
  'claude-md',
  'agents-md',
  'gemini-md',
  'copilot-instructions',
  'cursorrules',
]);

function diffSections(a: ParsedConvention, b: ParsedConvention): { names: string[]; shared: number; total: number } {
  const map = (p: ParsedConvention) => {
    const m = new Map<string, string>();
    for (const s of sectionsOf(p)) {
      const k = s.heading ? normaliseHeading(s.heading) : '(intro)';
      m.set(k, (m.get(k) ?? '') + s.body);
    }
    return m;
  };
  const ma = map(a);
  const mb = map(b);
  const show = (k: string, p: ParsedConvention) =>
    k === '(intro)'
      ? '(text before the first heading)'
      : (p.headings.find((h) => normaliseHeading(h.text) === k)?.text ?? k);
  const names: string[] = [];
  let shared = 0;
  for (const [k, v] of ma) {
    if (!mb.has(k)) names.push(`${show(k, a)} (only in ${a.path})`);
    else {
      shared++;
      if (mb.get(k) !== v) names.push(`${show(k, a)} (changed)`);
    }
  }
  for (const k of mb.keys()) if (!ma.has(k)) names.push(`${show(k, b)} (only in ${b.path})`);
  return { names, shared, total: new Set([...ma.keys(), ...mb.keys()]).size };
}

export const rule: Rule = {
  meta: {
    id: 'conventions/mirror-drift',
    surface: 'conventions',
    defaultSeverity: 'warning',
    description: "Several agents' convention files in one folder have drifted apart from the source of truth",
    fixable: true,
    messages: {
      drift:
        "{path} neither imports nor links to {source} (the policy's source of truth) and differs from it in: {sections}. Agents reading {path} follow other rules than the rest; import it (`@{sourceName}`), make {path} a symlink, or copy the changes.",
      driftNoSource:
        '{path} mirrors {other} but has drifted from it in: {sections}. Agents reading one follow other rules than agents reading the other; make one import the other (`@{otherName}`) or a symlink, or bring them back in step.',
    },
  },
  check(ctx) {
    const graph = importGraph(ctx.snapshot, ctx.cache);
    const source = ctx.policy.conventions.source;
    const groups = new Map<string, GovernanceFile[]>();
    for (const g of ctx.snapshot.governance) {
      if (!ENTRY.has(g.kind)) continue;
      const d = scopeDir(g.path);
      groups.set(d, [...(groups.get(d) ?? []), g]);
    }
    const sameAs = (a: string, b: string) => {
      const ca = graph.canonical(a);
      const cb = graph.canonical(b);
      if (ca === cb) return true;
      if (closure(graph, ca).includes(cb) || closure(graph, cb).includes(ca)) return true;
      return ctx.cache.memo(
        `conventions:same:${ca}|${cb}`,
        ctx.snapshot.version(ca) + '|' + ctx.snapshot.version(cb),
        () => {
          const pa = parseConvention(ctx.snapshot, ctx.cache, ca);
          const pb = parseConvention(ctx.snapshot, ctx.cache, cb);
          return !!pa && !!pb && pa.text.replace(/\s+/g, ' ').trim() === pb.text.replace(/\s+/g, ' ').trim();
        },
      );
    };
    for (const [dir, files] of groups) {
      if (files.length < 2) continue;
      const srcPath = source ? (dir ? `${dir}/${source}` : source) : undefined;
      const src = srcPath ? files.find((f) => f.path === srcPath) : undefined;
      if (src) {
        const ps = parseConvention(ctx.snapshot, ctx.cache, graph.canonical(src.path));
        if (!ps) continue;
        for (const f of files) {
          if (f === src || f.symlinkTo || sameAs(f.path, src.path)) continue;
          const pf = parseConvention(ctx.snapshot, ctx.cache, f.path);
          if (!pf) continue;
          const d = diffSections(pf, ps);
          const fixes =
            f.kind === 'claude-md' || f.kind === 'gemini-md'
              ? [
                  {
                    title: `Replace ${f.path} with an import of ${source}`,
                    edits: [{ file: f.path, range: pf.lines.range(0, pf.text.length), newText: `@${source}\n` }],
                  },
                ]
              : [];
          ctx.report({
            messageId: 'drift',
            data: { path: f.path, source: src.path, sourceName: source!, sections: summary(d.names) },
            file: f.path,
            range: headRange(pf),
            related: [
              { file: src.path, range: headRange(ps), message: 'the source of truth' },
              ...policyRelated(ctx.policy, '/conventions/source', 'set as the source by the policy'),
            ],
            fixes,
          });
        }
        continue;
      }
      // No source: pairs that are plainly mirrors of each other.
      const real = files.filter((f) => !f.symlinkTo).sort((a, b) => (a.path < b.path ? -1 : 1));
      for (let i = 0; i < real.length; i++) {
        for (let j = i + 1; j < real.length; j++) {
          const a = real[i]!;
          const b = real[j]!;
          if (sameAs(a.path, b.path)) continue;
          const pa = parseConvention(ctx.snapshot, ctx.cache, a.path);
          const pb = parseConvention(ctx.snapshot, ctx.cache, b.path);
          if (!pa || !pb || pa.headings.length < 2 || pb.headings.length < 2) continue;
          const d = diffSections(pb, pa);
          if (!d.names.length || d.shared * 2 < d.total || d.shared < 2) continue;
          ctx.report({
            messageId: 'driftNoSource',
            data: {
              path: b.path,
              other: a.path,
              otherName: a.path.slice(a.path.lastIndexOf('/') + 1),
              sections: summary(d.names),
            },
            file: b.path,
            range: headRange(pb),
            related: [{ file: a.path, range: headRange(pa), message: 'the mirror it drifted from' }],
          });
        }
      }
    }
  },
};

function summary(names: string[]): string {
  return names.length > 6 ? `${names.slice(0, 6).join('; ')}; and ${names.length - 6} more` : names.join('; ');
}
