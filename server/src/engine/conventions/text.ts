// Text analyses shared by the conventions rules: the files in scope, sections by heading, the token estimate,
// normalised text for rule matching, and the negation test for prohibited instructions.

import type { Snapshot } from '../host';
import { CONVENTION_KINDS } from '../kinds';
import type { GovernanceFile, RelPath } from '../types';
import type { ParsedConvention } from './parse';

/** Convention files whose content is checked: symlinked names are skipped (their target is checked once). */
export function conventionFiles(snapshot: Snapshot): GovernanceFile[] {
  return snapshot.governance.filter((g) => CONVENTION_KINDS.has(g.kind) && !g.symlinkTo);
}

/** Every name of a file: its path and the symlinks that point at it. */
export function namesOf(snapshot: Snapshot, path: RelPath): RelPath[] {
  const g = snapshot.governance.find((x) => x.path === path);
  return [path, ...(g?.aliases ?? [])];
}

/** The folder a convention file speaks for: `.github/copilot-instructions.md`, `.claude/CLAUDE.md`,
 * `x/.cursor/rules/a.mdc`, `x/.claude/rules/a.md` belong to the folder holding `.github`/`.claude`/`.cursor`. */
export function scopeDir(path: RelPath): string {
  const m = /^(.*?)(?:^|\/)(?:\.github|\.claude|\.cursor)\//.exec(path);
  if (m) return m[1] ?? '';
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

/**
 * Estimated tokens of a text: one per 4 ASCII characters (the usual rule of thumb for English and code with
 * BPE tokenizers), plus one per non-ASCII character in the BMP and two per astral character (emoji, rare CJK),
 * which BPE tokenizers split finely. Within about ±25% of Claude's and OpenAI's tokenizers on real files.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) ascii++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      other += 2;
      i++;
    } else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

export interface Section {
  /** Heading text ('' for the part before the first heading). */
  heading: string;
  depth: number;
  start: number;
  end: number;
  /** Normalised body (for comparing mirrors). */
  body: string;
}

/** Normalise prose for matching: lower case, Markdown emphasis and code marks dropped, whitespace collapsed. */
export function normalise(text: string): string {
  return (
    text
      // A code fence's language tag (```txt vs ```) says nothing an agent follows.
      .replace(/^([ \t]*(?:`{3,}|~{3,}))[^\n`]*$/gm, '$1')
      .toLowerCase()
      .replace(/[*_`~]+/g, '')
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function normaliseHeading(text: string): string {
  return normalise(text)
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/[\s:.]+$/, '');
}

/** Sections of a parsed file, split at every heading. */
export function sectionsOf(p: ParsedConvention): Section[] {
  const out: Section[] = [];
  const hs = p.headings;
  const firstStart = hs.length ? hs[0]!.start : p.text.length;
  const bodyStart = p.frontmatter ? p.frontmatter.block.end : 0;
  if (firstStart > bodyStart && p.text.slice(bodyStart, firstStart).trim()) {
    out.push({
      heading: '',
      depth: 0,
      start: bodyStart,
      end: firstStart,
      body: normalise(p.text.slice(bodyStart, firstStart)),
    });
  }
  hs.forEach((h, i) => {
    const end = i + 1 < hs.length ? hs[i + 1]!.start : p.text.length;
    out.push({ heading: h.text, depth: h.depth, start: h.start, end, body: normalise(p.text.slice(h.end, end)) });
  });
  return out;
}

/** Words that make a line forbid rather than instruct: "never use --no-verify", "do not", "don't" … */
const NEGATION =
  /\b(never|not|no|don't|dont|do not|must not|mustn't|shouldn't|should not|cannot|can't|avoid|without|forbid(?:den)?|prohibit(?:ed)?|disallow(?:ed)?|ban(?:ned)?|block(?:ed|s)?|disabled?|den(?:y|ied|ies)|reject(?:ed)?|refuse|instead of|rather than|unless)\b|❌|🚫|⛔/iu;

/** Whether the line holding [start, end) — or the paragraph introducing the code block it sits in — negates. */
export function isNegated(p: ParsedConvention, start: number, end = start): boolean {
  const pos = p.lines.positionAt(start);
  const line = pos.line;
  // The match itself is blanked first: `--no-verify` must not negate itself.
  const text = p.lines.lineText(line);
  const own =
    text.slice(0, pos.character) +
    ' '.repeat(Math.max(0, Math.min(end - start, text.length - pos.character))) +
    text.slice(pos.character + (end - start));
  if (NEGATION.test(own)) return true;
  const block = p.code.find((c) => !c.inline && c.start <= start && start < c.end);
  if (block) {
    // The prose just before the fence ("Never run:") speaks for the block.
    const before = p.lines.positionAt(block.start).line;
    for (let l = before - 1; l >= 0 && l >= before - 2; l--) {
      const t = p.lines.lineText(l);
      if (t.trim() && NEGATION.test(t)) return true;
    }
  }
  return false;
}

/** Whether an offset lies inside code (a span or a block). */
export function inCode(p: ParsedConvention, offset: number): boolean {
  let lo = 0;
  let hi = p.code.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = p.code[mid]!;
    if (offset < c.start) hi = mid - 1;
    else if (offset >= c.end) lo = mid + 1;
    else return true;
  }
  return false;
}
