// Queries for the editor (the language server imports these; keep the names): document links for `@imports` and
// local Markdown links of a convention file. Pure: positions from the parsed file, targets resolved like the rules do.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { classify } from '../kinds';
import type { Range } from '../types';
import { importsOf } from './graph';
import { parseConvention } from './parse';
import { importBase, resolveImport, resolveLink } from './refs';

export interface ConventionLink {
  range: Range;
  /** Root-relative path, or absolute (outside the root: shown, never read). */
  target: string;
  tooltip?: string;
}

function absolute(snapshot: Snapshot, display: string): string {
  return display.startsWith('/') || /^[A-Za-z]:[\\/]/.test(display)
    ? display
    : `${snapshot.root.replace(/\\/g, '/').replace(/\/$/, '')}/${display}`;
}

/** Links of `path` (root-relative): `@imports` that resolve to a file or folder, and local Markdown links. */
export function documentLinks(snapshot: Snapshot, cache: AnalysisCache, path: string): ConventionLink[] {
  const p = parseConvention(snapshot, cache, path);
  if (!p) return [];
  const kind = snapshot.governance.find((g) => g.path === path)?.kind ?? classify(path);
  const out: ConventionLink[] = [];
  for (const fact of importsOf(kind, p)) {
    const r = resolveImport(snapshot, path, fact.spec, importBase(path, kind));
    const range = p.lines.range(fact.start, fact.end);
    if (r.status === 'inside') {
      if (!r.exists && !fact.pathLike) continue; // `@scope/pkg`: not a reference
      out.push({
        range,
        target: r.target,
        tooltip: r.exists ? `Imported: ${r.target}` : `Missing import: ${r.target}`,
      });
    } else if (r.status === 'outside' && fact.pathLike) {
      out.push({ range, target: absolute(snapshot, r.display), tooltip: 'Outside the repository (not checked)' });
    }
  }
  for (const l of p.links) {
    const r = resolveLink(snapshot, path, l.url);
    if (r.status !== 'inside') continue;
    out.push({
      range: p.lines.range(l.start, l.end),
      target: r.target,
      ...(r.exists ? {} : { tooltip: `Missing: ${r.target}` }),
    });
  }
  return out.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}
