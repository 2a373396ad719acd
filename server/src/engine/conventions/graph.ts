// The import graph of the workspace's convention files: `@imports` (and `.cursorrules` import lines) resolved
// relative to the importing file, followed to what agents would load, never outside the root, cycle-safe.
// Claude Code follows imports at most MAX_IMPORT_HOPS hops deep (shared reference, formats §1.10).

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { CONVENTION_KINDS, classify } from '../kinds';
import type { FileKind, RelPath } from '../types';
import { importsApply, parseConvention, type ImportFact, type ParsedConvention } from './parse';
import { importBase, resolveImport, type Resolution } from './refs';

/** Claude Code follows `@imports` at most this many hops from the file it loaded (formats §1.10: "max depth 4"). */
export const MAX_IMPORT_HOPS = 4;

/** Files whose `@imports` are themselves followed (Markdown); other targets (package.json) are leaves. */
const MARKDOWN_EXT = /\.(md|mdc|markdown|mdx|txt)$/i;

/** Kinds an agent loads directly and whose imports it follows: the roots for import depth. */
const IMPORT_ROOT_KINDS: ReadonlySet<FileKind> = new Set<FileKind>([
  'claude-md',
  'claude-local-md',
  'claude-rules',
  'gemini-md',
]);

export interface ImportEdge {
  from: RelPath;
  fact: ImportFact;
  resolution: Resolution;
  /** Set when the import resolves to an existing file inside the root. */
  target?: RelPath;
}

export interface ImportGraph {
  /** Every convention file (symlinked names excluded: their target stands for them) and every Markdown file
   * reached by an import. */
  nodes: RelPath[];
  edges: Map<RelPath, ImportEdge[]>;
  /** Shortest hop count from an import root (CLAUDE.md, GEMINI.md, .claude/rules …); absent = not reached. */
  depth: Map<RelPath, number>;
  /** Back edges closing a cycle, with the cycle's path (first = last). */
  cycles: { edge: ImportEdge; path: RelPath[] }[];
  /** The canonical path of a name (a symlink's target, else itself). */
  canonical(path: RelPath): RelPath;
}

/** Imports of one parsed file that count as references (by kind: Copilot has none, .cursorrules whole lines). */
export function importsOf(kind: FileKind | undefined, p: ParsedConvention): ImportFact[] {
  const mode = importsApply(kind);
  if (mode === 'none') return [];
  if (mode === 'lines') return p.imports.filter((i) => i.ownLine);
  return p.imports;
}

export function importGraph(snapshot: Snapshot, cache: AnalysisCache): ImportGraph {
  const conv = snapshot.governance.filter((g) => CONVENTION_KINDS.has(g.kind));
  const deps = snapshot.filesVersion + '|' + conv.map((g) => snapshot.version(g.path)).join(',');
  // Imported non-convention Markdown files change the graph too; their versions are checked on the way.
  // A mutable holder kept in the cache: the last graph, its inputs, and the non-convention files it reached.
  const prev = cache.memo<{ deps: string; extra: string[]; graph?: ImportGraph }>('conventions:graph', '', () => ({
    deps: '',
    extra: [],
  }));
  const extraDeps = prev.extra.map((p) => snapshot.version(p)).join(',');
  if (prev.graph && prev.deps === deps + '#' + extraDeps) return prev.graph;

  const symlink = new Map<RelPath, RelPath>();
  for (const g of snapshot.governance) if (g.symlinkTo) symlink.set(g.path, g.symlinkTo);
  const canonical = (p: RelPath) => symlink.get(p) ?? p;
  const kindOf = new Map<RelPath, FileKind>();
  for (const g of snapshot.governance) kindOf.set(g.path, g.kind);

  const nodes: RelPath[] = [];
  const seen = new Set<RelPath>();
  const edges = new Map<RelPath, ImportEdge[]>();
  const queue: RelPath[] = [];
  for (const g of conv) {
    if (g.symlinkTo) continue;
    if (!seen.has(g.path)) {
      seen.add(g.path);
      queue.push(g.path);
    }
  }
  const extra: string[] = [];
  while (queue.length) {
    const path = queue.shift()!;
    nodes.push(path);
    const kind = kindOf.get(path) ?? classify(path);
    if (!CONVENTION_KINDS.has(kind as FileKind) && !MARKDOWN_EXT.test(path)) {
      edges.set(path, []);
      continue;
    }
    const parsed = parseConvention(snapshot, cache, path);
    const list: ImportEdge[] = [];
    if (parsed) {
      const base = importBase(path, kind);
      const resolved = new Map<string, Resolution>();
      for (const fact of importsOf(kind, parsed)) {
        let resolution = resolved.get(fact.spec);
        if (!resolution) resolved.set(fact.spec, (resolution = resolveImport(snapshot, path, fact.spec, base)));
        // `@owner`, `@scope/pkg`: not written as a path and no such file, so not an import at all.
        if (!fact.pathLike && !(resolution.status === 'inside' && resolution.exists)) continue;
        const edge: ImportEdge = { from: path, fact, resolution };
        if (
          resolution.status === 'inside' &&
          resolution.exists &&
          resolution.target &&
          snapshot.fileSet.has(resolution.target)
        ) {
          edge.target = canonical(resolution.target);
        }
        list.push(edge);
        if (edge.target && !seen.has(edge.target)) {
          seen.add(edge.target);
          queue.push(edge.target);
          if (!kindOf.has(edge.target)) extra.push(edge.target);
        }
      }
    }
    edges.set(path, list);
  }

  // Depth: BFS from the import roots.
  const depth = new Map<RelPath, number>();
  const bfs: RelPath[] = [];
  for (const g of conv) {
    if (g.symlinkTo || !IMPORT_ROOT_KINDS.has(g.kind)) continue;
    depth.set(g.path, 0);
    bfs.push(g.path);
  }
  for (let i = 0; i < bfs.length; i++) {
    const p = bfs[i]!;
    const d = depth.get(p)!;
    for (const e of edges.get(p) ?? []) {
      if (e.target && !depth.has(e.target)) {
        depth.set(e.target, d + 1);
        bfs.push(e.target);
      }
    }
  }

  // Cycles: iterative DFS with colours; each back edge closes one cycle.
  const cycles: { edge: ImportEdge; path: RelPath[] }[] = [];
  const colour = new Map<RelPath, 1 | 2>();
  for (const start of [...nodes].sort()) {
    if (colour.has(start)) continue;
    const stack: { node: RelPath; i: number }[] = [{ node: start, i: 0 }];
    const onPath: RelPath[] = [start];
    colour.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const out = edges.get(top.node) ?? [];
      if (top.i >= out.length) {
        colour.set(top.node, 2);
        stack.pop();
        onPath.pop();
        continue;
      }
      const e = out[top.i++]!;
      if (!e.target) continue;
      const c = colour.get(e.target);
      if (c === 1) {
        const from = onPath.lastIndexOf(e.target);
        cycles.push({ edge: e, path: [...onPath.slice(from), e.target] });
      } else if (c === undefined) {
        colour.set(e.target, 1);
        stack.push({ node: e.target, i: 0 });
        onPath.push(e.target);
      }
    }
  }

  const graph: ImportGraph = { nodes, edges, depth, cycles, canonical };
  prev.deps = deps + '#' + extra.map((p) => snapshot.version(p)).join(',');
  prev.extra = extra;
  prev.graph = graph;
  return graph;
}

/** Files an agent sees when it loads `path`: itself and what it imports, at most MAX_IMPORT_HOPS deep. */
export function closure(graph: ImportGraph, path: RelPath): RelPath[] {
  const start = graph.canonical(path);
  const seen = new Map<RelPath, number>([[start, 0]]);
  const order: RelPath[] = [start];
  for (let i = 0; i < order.length; i++) {
    const p = order[i]!;
    const d = seen.get(p)!;
    if (d >= MAX_IMPORT_HOPS) continue;
    for (const e of graph.edges.get(p) ?? []) {
      if (e.target && !seen.has(e.target)) {
        seen.set(e.target, d + 1);
        order.push(e.target);
      }
    }
  }
  return order;
}
