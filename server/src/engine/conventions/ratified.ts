// Ratified rules: the flywheel writes an applied proposal's rule into its target convention file, marked with the
// proposal id, and the validator enforces that it stays (conventions/ratified-rule-missing).
//
// Marker (one HTML comment on its own line, right before the rule's text; agents never see it, Claude Code
// strips block HTML comments before loading):
//
//   <!-- flywheel:rule P-2026-0042 sha256=<64 hex> -->
//   - Schema migrations include a rollback plan.
//
// The rule's text is the Markdown block that follows the marker (up to the next blank line). Its hash is the
// SHA-256 of that text with line endings made `\n` and trailing whitespace of each line removed.
//
// Ledger: one Markdown file per proposal in `.governance/proposals/`, with YAML frontmatter
//   id: P-2026-0042            status: applied            target: CLAUDE.md
//   rule: "Schema migrations include a rollback plan."   (the exact text, or `ruleText`)
// Plain text, one file per proposal: two branches that each apply a proposal never conflict.

import { createHash } from 'node:crypto';
import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import type { RelPath } from '../types';
import { parseFrontmatter } from '../flywheel/frontmatter';
import type { ParsedConvention, Span } from './parse';

export const MARKER_RE = /^<!--\s*flywheel:rule\s+([A-Za-z0-9][\w.-]*)(?:\s+sha256=([0-9a-fA-F]{64}))?\s*-->\s*$/;

/** Normalise a rule's text for hashing and comparing. */
export function normaliseRuleText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

export function ruleHash(text: string): string {
  return createHash('sha256').update(normaliseRuleText(text), 'utf8').digest('hex');
}

/** The lines the flywheel writes: the marker and the rule's text. */
export function markerLines(id: string, text: string): string[] {
  return [`<!-- flywheel:rule ${id} sha256=${ruleHash(text)} -->`, ...normaliseRuleText(text).split('\n')];
}

export interface RuleMarker {
  id: string;
  sha256?: string;
  marker: Span;
  /** The rule's text after the marker (undefined when nothing follows). */
  text?: string;
  textSpan?: Span;
}

/** Markers in a parsed file. */
export function markersOf(p: ParsedConvention): RuleMarker[] {
  const out: RuleMarker[] = [];
  for (const h of p.html) {
    if (!h.value.includes('flywheel:rule')) continue;
    const m = MARKER_RE.exec(h.value.trim());
    if (!m) continue;
    const marker: RuleMarker = {
      id: m[1]!,
      marker: { start: h.start, end: h.end },
      ...(m[2] ? { sha256: m[2].toLowerCase() } : {}),
    };
    // The text: from the next line up to the next blank line.
    const next = p.text.indexOf('\n', h.end);
    if (next !== -1) {
      const from = next + 1;
      const blank = /\r?\n[ \t]*(?:\r?\n|$)/g;
      blank.lastIndex = from;
      const b = blank.exec(p.text);
      const to = b ? b.index : p.text.length;
      const text = p.text.slice(from, to);
      if (text.trim() && !MARKER_RE.test(text.split(/\r?\n/)[0]!.trim())) {
        marker.text = text;
        marker.textSpan = { start: from, end: to };
      }
    }
    out.push(marker);
  }
  return out;
}

export interface Proposal {
  path: RelPath;
  id: string;
  status: string;
  target?: string;
  rule?: string;
  /** The flywheel route (`convention` when absent); only convention proposals put rules in convention files. */
  route?: string;
  /** Every target of a convention proposal (one rule, every agent): `targets`, else `[target]`. */
  targets?: string[];
  /** Managed-deny proposals: the deny rules they added to the Managed source. */
  deny?: string[];
  /** A retirement: the proposal whose rule this one removes (its `rule`/`deny` are not required then). */
  retires?: string;
  /** Offsets of the frontmatter keys, for positions. */
  idSpan: Span;
}

/** Applied and other proposals of `.governance/proposals/*.md`, memoised per file. */
export function proposals(snapshot: Snapshot, cache: AnalysisCache): Proposal[] {
  const out: Proposal[] = [];
  for (const g of snapshot.byKind('governance-proposal')) {
    const p = cache.memo(
      'conventions:proposal:' + g.path,
      () => snapshot.version(g.path),
      () => parseProposal(snapshot, g.path),
    );
    if (p) out.push(p);
  }
  return out;
}

function parseProposal(snapshot: Snapshot, path: RelPath): Proposal | undefined {
  const r = snapshot.read(path);
  if (!r.ok) return undefined;
  // The same parse as the flywheel's (its block-YAML fast path, the YAML library for anything else).
  const parsed = parseFrontmatter(r.text);
  if (!parsed.ok) return undefined;
  const o = parsed.data;
  if (typeof o.id !== 'string' && typeof o.id !== 'number') return undefined;
  const id = String(o.id);
  // The `id:` line of the frontmatter (the text before the body).
  const idLine = /^id:.*$/m.exec(r.text.slice(0, r.text.length - parsed.body.length));
  const idSpan = idLine ? { start: idLine.index, end: idLine.index + idLine[0].length } : { start: 0, end: 0 };
  const rule = typeof o.rule === 'string' ? o.rule : typeof o.ruleText === 'string' ? o.ruleText : undefined;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : undefined;
  const targets = strings(o.targets)?.map((t) => t.replace(/^\.\//, ''));
  const deny = strings(o.deny);
  return {
    path,
    id,
    ...(typeof o.route === 'string' ? { route: o.route } : {}),
    ...(targets?.length ? { targets } : {}),
    ...(deny ? { deny } : {}),
    ...(typeof o.retires === 'string' ? { retires: o.retires } : {}),
    status: typeof o.status === 'string' ? o.status.toLowerCase() : '',
    ...(typeof o.target === 'string' ? { target: o.target.replace(/^\.\//, '') } : {}),
    ...(rule !== undefined ? { rule } : {}),
    idSpan,
  };
}
