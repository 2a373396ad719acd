// Parsing convention files (CLAUDE.md, AGENTS.md, .mdc …) with unified + remark-parse + remark-frontmatter +
// remark-gfm. The result is a set of *facts* with offsets into the file's text (headings, code, links, @imports,
// HTML comments, frontmatter): every finding of the conventions rules is positioned from them.
//
// Speed: micromark is thorough but slow (well under 1 MB/s on a busy machine), so a file is cut into chunks at
// block boundaries that no Markdown construct spans (a blank line followed by a line at column 0, outside fenced
// code, HTML comments and raw HTML blocks) and each chunk's facts are memoised by its text. An edit re-parses the
// chunks it touched; the others come from the memo. Cutting only changes how reference-style links resolve across
// chunks (a `[x][ref]` whose definition sits in another chunk stays text), which none of the rules relies on.
// A chunk over MAX_CHUNK_FOR_PARSER (a 5 MB one-line file) is scanned with a plain fallback instead of micromark.

import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { parseDocument, isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { LineIndex } from '../text';
import type { FileKind, RelPath } from '../types';

export interface Span {
  start: number;
  end: number;
}
export interface HeadingFact extends Span {
  depth: number;
  text: string;
}
export interface CodeFact extends Span {
  value: string;
  /** 'inline' for a code span, else the fence's language ('' when none). */
  lang: string;
  inline: boolean;
}
export interface LinkFact extends Span {
  url: string;
  kind: 'link' | 'image' | 'definition';
}
export interface ImportFact extends Span {
  /** The token after `@`, trailing punctuation removed, `\ ` unescaped. */
  spec: string;
  /** Written like a path (./ ../ ~/ / or a known file extension): a missing target is a broken reference.
   * Otherwise (`@scope/pkg`, `@pytest.mark.x`, `@user`) it is an import only when the file exists. */
  pathLike: boolean;
  /** The token is alone on its line (the `.cursorrules` import-line form). */
  ownLine: boolean;
}
export interface FrontmatterFact {
  /** Offsets of the whole block (`---` … `---`) and of the YAML text inside it. */
  block: Span;
  yaml: Span;
  doc: Document.Parsed;
}

/** The positioned facts of a text: a file's (offsets into the file) or a chunk's (offsets into the chunk). */
export interface FactLists {
  headings: HeadingFact[];
  code: CodeFact[];
  links: LinkFact[];
  imports: ImportFact[];
  html: (Span & { value: string })[];
}

export interface ParsedConvention extends FactLists {
  path: RelPath;
  text: string;
  lines: LineIndex;
  frontmatter?: FrontmatterFact;
  /** The file opens a frontmatter block (`---`) that never closes. */
  unclosedFrontmatter?: Span;
  /** Chunks scanned with the plain fallback (too large for the Markdown parser). */
  fallbackChunks: number;
  /** The chunks the file was parsed in (offsets into `text`), for per-chunk analyses (see `perChunk`). */
  chunks: { start: number; end: number; facts: ChunkFacts }[];
}

/** Extensions that make an `@token` a path on its own (anything else needs an existing file to count). */
const PATH_EXTENSIONS = new Set(
  'md mdc mdx markdown txt rst json jsonc json5 yaml yml toml ini cfg conf env ts tsx js jsx mjs cjs py rb go rs java kt kts swift c h cc cpp hpp cs php sh bash zsh ps1 sql css scss less html xml csv lock prisma graphql gql proto tf hcl dockerfile gradle properties'.split(
    ' ',
  ),
);

/** Blocks larger than this (a generated table, a file with no blank line) are scanned, not parsed: micromark is
 * linear but slow, and a few constructs (thousands of unclosed `[`, deep `>` nesting) make it much slower. */
const MAX_CHUNK_FOR_PARSER = 64 * 1024;
/** More `[`, emphasis marks or nested quotes than real prose has: scanned instead of parsed. */
const MAX_BRACKETS = 2000;
const MAX_EMPHASIS = 4000;
const MAX_QUOTE_DEPTH = 16;

function hostile(chunk: string): boolean {
  let brackets = 0;
  let emphasis = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === 91 && ++brackets > MAX_BRACKETS) return true;
    if ((c === 42 || c === 95) && ++emphasis > MAX_EMPHASIS) return true;
  }
  return new RegExp(`^ {0,3}(?:>\\s*){${MAX_QUOTE_DEPTH},}`, 'm').test(chunk);
}
const MIN_CHUNK_CHARS = 1024;

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).freeze();

interface MdNode {
  type: string;
  value?: string;
  url?: string;
  depth?: number;
  lang?: string | null;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

export interface ChunkFacts extends FactLists {
  /** Analyses of this chunk's text by key, kept as long as the chunk is unchanged (see `perChunk`). */
  memo?: Map<string, unknown>;
  /** The facts at file offsets, for the offset the chunk had last. */
  shifted?: FactLists & { offset: number };
  yaml?: Span;
  fallback: boolean;
}

/**
 * Whether the line [start, end) starts a bullet list item at column 0 (`- `, `* ` or `+ ` and content; a thematic break
 * such as `* * *` passes too, and is as safe). Such a line ends every open block and container before it except an
 * HTML block (a bullet item interrupts a paragraph; fences and comments are tracked apart), so a cut before it leaves
 * every fact as a whole-file parse finds it: long tight lists, the usual shape of a convention file, are cut between
 * items instead of being parsed whole after each keystroke.
 */
function isBulletItem(text: string, start: number, end: number): boolean {
  const next = text.charCodeAt(start + 1);
  return (next === 32 || next === 9) && /^[-*+][ \t]+\S/.test(text.slice(start, Math.min(end, start + 64)));
}

/** Cut `text` into chunks at safe block boundaries (blank lines before unindented blocks, and bullet items at
 * column 0); returns chunk start offsets (the first is 0). */
export function chunkStarts(text: string, firstCutAfter = 0, minChunk = MIN_CHUNK_CHARS): number[] {
  const starts = [0];
  let inFence: { ch: string; len: number } | undefined;
  let inComment = false;
  let inRaw: string | undefined;
  let pendingBlank = false;
  // A line starting with `<` since the last blank line may have opened an HTML block, which runs to the next blank
  // line and swallows list items: no cut at a list item then.
  let runHtml = false;
  let lastStart = 0;
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    const lineStart = pos;
    pos = nl + 1;
    if (lineStart < firstCutAfter) continue;
    // Fast path (no slicing): a line that starts with anything but a space, tab, backtick, tilde or `<` opens nothing.
    const c0 = text.charCodeAt(lineStart);
    if (
      !inFence &&
      !inComment &&
      !inRaw &&
      nl > lineStart &&
      c0 !== 32 &&
      c0 !== 9 &&
      c0 !== 96 &&
      c0 !== 126 &&
      c0 !== 60 &&
      c0 !== 13
    ) {
      // Never before `---`: at the start of a chunk remark would read it as opening YAML frontmatter.
      if (
        lineStart - lastStart >= minChunk &&
        !text.startsWith('---', lineStart) &&
        (pendingBlank || (!runHtml && (c0 === 45 || c0 === 42 || c0 === 43) && isBulletItem(text, lineStart, nl)))
      ) {
        starts.push(lineStart);
        lastStart = lineStart;
      }
      pendingBlank = false;
      continue;
    }
    const line = text.slice(lineStart, nl);
    if (inFence) {
      const m = /^ {0,3}(`{3,}|~{3,})[ \t\r]*$/.exec(line);
      if (m && m[1]![0] === inFence.ch && m[1]!.length >= inFence.len) inFence = undefined;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    if (inRaw) {
      if (line.toLowerCase().includes(`</${inRaw}`)) inRaw = undefined;
      continue;
    }
    if (/^[ \t\r]*$/.test(line)) {
      pendingBlank = true;
      runHtml = false;
      continue;
    }
    if (pendingBlank && line[0] !== ' ' && line[0] !== '\t' && lineStart - lastStart >= minChunk) {
      starts.push(lineStart);
      lastStart = lineStart;
    }
    pendingBlank = false;
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence && !(fence[1]![0] === '`' && fence[2]!.includes('`'))) {
      inFence = { ch: fence[1]![0]!, len: fence[1]!.length };
      continue;
    }
    const t = line.replace(/^ {0,3}/, '');
    if (t.startsWith('<')) runHtml = true;
    if (t.startsWith('<!--')) {
      if (!t.includes('-->', 4)) inComment = true;
      continue;
    }
    const raw = /^<(script|pre|style|textarea)(?:[\s>]|$)/i.exec(t);
    if (raw && !t.toLowerCase().includes(`</${raw[1]!.toLowerCase()}`)) inRaw = raw[1]!.toLowerCase();
  }
  return starts;
}

function isSpace(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

const IMPORT_TOKEN = /@((?:[^\s\\]|\\ )+)/g;

/** `@imports` in the prose [from, to) of `chunk` (a text node: no code, no HTML). */
function scanImports(chunk: string, from: number, to: number, out: ImportFact[]): void {
  const src = chunk.slice(from, to);
  if (!src.includes('@')) return;
  IMPORT_TOKEN.lastIndex = 0;
  for (let m = IMPORT_TOKEN.exec(src); m; m = IMPORT_TOKEN.exec(src)) {
    const at = from + m.index;
    if (!isSpace(chunk[at - 1]) && at > 0) continue;
    let token = m[1]!;
    // Trailing punctuation and closing brackets are prose, not path.
    token = token.replace(/[.,;:!?)\]}'"*_>`]+$/, '');
    if (!token || token.startsWith('@')) continue;
    const spec = token.replace(/\\ /g, ' ');
    const start = at;
    const end = at + 1 + token.length;
    out.push({ spec, start, end, pathLike: isPathLike(spec), ownLine: aloneOnLine(chunk, at, end) });
  }
}

/** Whether [at, end) is alone on its line (after an optional list marker). Looks only at the neighbouring
 * characters, so it stays linear on a 5 MB line. */
function aloneOnLine(chunk: string, at: number, end: number): boolean {
  let i = at - 1;
  while (i >= 0 && (chunk[i] === ' ' || chunk[i] === '\t')) i--;
  if (
    i >= 0 &&
    '-*+'.includes(chunk[i]!) &&
    (i === 0 || chunk[i - 1] === '\n' || chunk[i - 1] === ' ' || chunk[i - 1] === '\t')
  ) {
    i--;
    while (i >= 0 && (chunk[i] === ' ' || chunk[i] === '\t')) i--;
  }
  if (i >= 0 && chunk[i] !== '\n') return false;
  let j = end;
  while (j < chunk.length && (chunk[j] === ' ' || chunk[j] === '\t' || chunk[j] === '\r')) j++;
  return j === chunk.length || chunk[j] === '\n';
}

export function isPathLike(spec: string): boolean {
  if (/^(\.\.?|~)?\//.test(spec)) return true;
  const base = spec.slice(spec.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 && !(dot === 0 && base.length > 1)) return false;
  const ext = base.slice(dot + 1).toLowerCase();
  return PATH_EXTENSIONS.has(ext);
}

function textOf(node: MdNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

function factsFromTree(chunk: string, root: MdNode): ChunkFacts {
  const f: ChunkFacts = { headings: [], code: [], links: [], imports: [], html: [], fallback: false };
  const off = (n: MdNode) => ({ start: n.position?.start.offset ?? 0, end: n.position?.end.offset ?? 0 });
  const stack: MdNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'yaml':
        f.yaml = off(n);
        continue;
      case 'heading':
        f.headings.push({ depth: n.depth ?? 1, text: textOf(n).trim(), ...off(n) });
        break;
      case 'inlineCode':
        f.code.push({ value: n.value ?? '', lang: 'inline', inline: true, ...off(n) });
        continue;
      case 'code':
        f.code.push({ value: n.value ?? '', lang: n.lang ?? '', inline: false, ...off(n) });
        continue;
      case 'html':
        f.html.push({ value: n.value ?? '', ...off(n) });
        continue;
      case 'link':
      case 'image':
      case 'definition':
        if (n.url !== undefined) f.links.push({ url: n.url, kind: n.type, ...off(n) });
        if (n.type === 'definition') continue;
        break;
      case 'text': {
        const o = off(n);
        scanImports(chunk, o.start, o.end, f.imports);
        continue;
      }
    }
    if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  f.headings.sort((a, b) => a.start - b.start);
  f.code.sort((a, b) => a.start - b.start);
  f.links.sort((a, b) => a.start - b.start);
  f.imports.sort((a, b) => a.start - b.start);
  f.html.sort((a, b) => a.start - b.start);
  return f;
}

/** The plain scan for chunks too large for micromark: code spans, links and imports by pattern. */
function factsByScan(chunk: string): ChunkFacts {
  const f: ChunkFacts = { headings: [], code: [], links: [], imports: [], html: [], fallback: true };
  // Bounded, so unmatched backticks cannot make the scan quadratic.
  const codeRe = /(`{1,16})([^`]{1,4000}?)\1(?!`)/g;
  let last = 0;
  for (let m = codeRe.exec(chunk); m; m = codeRe.exec(chunk)) {
    scanImports(chunk, last, m.index, f.imports);
    f.code.push({ value: m[2]!, lang: 'inline', inline: true, start: m.index, end: m.index + m[0].length });
    last = m.index + m[0].length;
  }
  scanImports(chunk, last, chunk.length, f.imports);
  const linkRe = /!?\[[^\]\n]{0,1000}\]\(([^()\s]{1,2000})(?:\s+"[^"\n]*")?\)/g;
  for (let m = linkRe.exec(chunk); m; m = linkRe.exec(chunk)) {
    f.links.push({
      url: m[1]!,
      kind: m[0].startsWith('!') ? 'image' : 'link',
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return f;
}

function parseChunk(chunk: string): ChunkFacts {
  if (chunk.length > MAX_CHUNK_FOR_PARSER || hostile(chunk)) return factsByScan(chunk);
  try {
    return factsFromTree(chunk, processor.parse(chunk));
  } catch {
    // Hostile nesting (50,000 nested block quotes) overflows the stack of the tree transforms: scan it instead.
    return factsByScan(chunk);
  }
}

/** Where a frontmatter block that the file opens ends (offset after the closing line), or -1 when unclosed;
 * undefined when the file does not open one. */
function frontmatterEnd(text: string): number | undefined {
  const first = /^---[ \t]*\r?\n/.exec(text);
  if (!first) return undefined;
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;
  const rest = text.slice(first[0].length);
  const m = close.exec(rest);
  return m ? first[0].length + m.index + m[0].length : -1;
}

/** Per-file chunk memo: chunk text → facts, pruned to the chunks of the latest parse. */
type ChunkMemo = Map<string, ChunkFacts>;

/** Parse a file's text. `minChunk` (characters) is how large a chunk grows before it may be cut; `Infinity` parses
 * the file whole (the tests compare both). */
export function parseText(path: RelPath, text: string, memo?: ChunkMemo, minChunk = MIN_CHUNK_CHARS): ParsedConvention {
  const fmEnd = frontmatterEnd(text);
  const starts = chunkStarts(text, fmEnd !== undefined && fmEnd > 0 ? fmEnd : 0, minChunk);
  const out: ParsedConvention = {
    path,
    text,
    lines: new LineIndex(text),
    headings: [],
    code: [],
    links: [],
    imports: [],
    html: [],
    fallbackChunks: 0,
    chunks: [],
  };
  const used = new Map<string, ChunkFacts>();
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    const e = i + 1 < starts.length ? starts[i + 1]! : text.length;
    const chunk = text.slice(s, e);
    let facts = memo?.get(chunk) ?? used.get(chunk);
    if (!facts) facts = text.length > MAX_PARSE_BYTES ? factsByScan(chunk) : parseChunk(chunk);
    used.set(chunk, facts);
    out.chunks.push({ start: s, end: e, facts });
    if (facts.fallback) out.fallbackChunks++;
    // Facts at file offsets, kept for the chunk's last offset: chunks before an edit do not move.
    let sh = facts.shifted;
    if (!sh || sh.offset !== s) {
      sh = {
        offset: s,
        headings: facts.headings.map((h) => ({ depth: h.depth, text: h.text, start: h.start + s, end: h.end + s })),
        code: facts.code.map((c) => ({
          value: c.value,
          lang: c.lang,
          inline: c.inline,
          start: c.start + s,
          end: c.end + s,
        })),
        links: facts.links.map((l) => ({ url: l.url, kind: l.kind, start: l.start + s, end: l.end + s })),
        imports: facts.imports.map((m) => ({
          spec: m.spec,
          pathLike: m.pathLike,
          ownLine: m.ownLine,
          start: m.start + s,
          end: m.end + s,
        })),
        html: facts.html.map((h) => ({ value: h.value, start: h.start + s, end: h.end + s })),
      };
      facts.shifted = sh;
    }
    for (const x of sh.headings) out.headings.push(x);
    for (const x of sh.code) out.code.push(x);
    for (const x of sh.links) out.links.push(x);
    for (const x of sh.imports) out.imports.push(x);
    for (const x of sh.html) out.html.push(x);
    if (i === 0 && facts.yaml) {
      const block = { start: facts.yaml.start + s, end: facts.yaml.end + s };
      const yamlStart = text.indexOf('\n', block.start) + 1;
      const lastLine = text.lastIndexOf('\n', block.end - 1);
      const yamlEnd = Math.max(
        yamlStart,
        lastLine > yamlStart ? (text[lastLine - 1] === '\r' ? lastLine - 1 : lastLine) : yamlStart,
      );
      const yamlText = text.slice(yamlStart, yamlEnd);
      out.frontmatter = {
        block,
        yaml: { start: yamlStart, end: yamlEnd },
        doc: parseDocument(yamlText, { keepSourceTokens: false, uniqueKeys: true }),
      };
    }
  }
  if (fmEnd === -1) {
    const firstEnd = text.indexOf('\n');
    out.unclosedFrontmatter = { start: 0, end: firstEnd === -1 ? text.length : firstEnd };
  }
  if (memo) {
    memo.clear();
    for (const [k, v] of used) memo.set(k, v);
  }
  return out;
}

/** Kinds whose `@path` tokens are references an agent follows (or is meant to). Copilot has no imports. */
export function importsApply(kind: FileKind | undefined): 'all' | 'lines' | 'none' {
  switch (kind) {
    case 'claude-md':
    case 'claude-local-md':
    case 'claude-rules':
    case 'agents-md':
    case 'gemini-md':
    case 'cursor-mdc':
    case undefined:
      return 'all';
    case 'cursorrules':
      return 'lines';
    default:
      return 'none';
  }
}

/**
 * The parsed form of a root-relative file, memoised by its version; undefined when it cannot be read (missing,
 * binary, too large: `workspace/unreadable` reports those).
 */
/** Convention files larger than this (about 260,000 tokens, more than Claude Code's or Codex's whole context) are
 * scanned, not parsed: every chunk gets the plain fallback scan (imports, links, code spans by pattern) instead of the
 * Markdown parser, which would cost seconds; conventions/size-budget reports the size. */
export const MAX_PARSE_BYTES = 1024 * 1024;

export function parseConvention(snapshot: Snapshot, cache: AnalysisCache, path: RelPath): ParsedConvention | undefined {
  return cache.memo(
    'conventions:parse:' + path,
    () => snapshot.version(path),
    () => {
      const r = snapshot.read(path);
      if (!r.ok) return undefined;
      const memo = cache.memo<ChunkMemo>('conventions:chunks:' + path, '', () => new Map());
      return parseText(path, r.text, memo);
    },
  );
}

/** Frontmatter as plain values, tolerant of what strict YAML rejects (unresolved aliases → their source text). */
export function frontmatterValues(p: ParsedConvention): Record<string, unknown> {
  const fm = p.frontmatter;
  if (!fm || !isMap(fm.doc.contents)) return {};
  const out: Record<string, unknown> = {};
  const yamlText = p.text.slice(fm.yaml.start, fm.yaml.end);
  for (const item of fm.doc.contents.items) {
    const key = isScalar(item.key) ? String(item.key.value) : undefined;
    if (key === undefined) continue;
    const v = item.value;
    if (isAlias(v) && v.range) out[key] = yamlText.slice(v.range[0], v.range[1]).trim();
    else if (isScalar(v)) out[key] = v.value;
    else if (isSeq(v))
      out[key] = v.items.map((x) =>
        isScalar(x) ? x.value : isAlias(x) && x.range ? yamlText.slice(x.range[0], x.range[1]).trim() : undefined,
      );
    else if (v == null) out[key] = null;
    else out[key] = v.toJSON?.();
  }
  return out;
}

/**
 * An analysis of a file done chunk by chunk and memoised per chunk under `key` (which must name everything the
 * analysis depends on, e.g. the pattern): after an edit only the changed chunk is analysed again. The spans
 * `compute` returns are relative to the chunk; the result is relative to the file. For analyses whose matches never
 * span a blank line (patterns, secrets, sentences).
 */
export function perChunk<T extends Span>(
  p: ParsedConvention,
  key: string,
  compute: (chunk: string, facts: ChunkFacts) => T[],
  /** What else the analysis depends on (the file list …): a new value replaces the entry instead of adding one. */
  version = '',
): T[] {
  const out: T[] = [];
  for (const c of p.chunks) {
    const memo = (c.facts.memo ??= new Map());
    const entry = memo.get(key) as { version: string; hits: T[] } | undefined;
    let hits = entry && entry.version === version ? entry.hits : undefined;
    if (!hits) {
      hits = compute(p.text.slice(c.start, c.end), c.facts);
      memo.set(key, { version, hits });
    }
    for (const h of hits) out.push({ ...h, start: h.start + c.start, end: h.end + c.start });
  }
  return out;
}

/** A per-chunk value (not positions), memoised per chunk like `perChunk`. */
export function chunkValues<T>(p: ParsedConvention, key: string, compute: (chunk: string) => T): T[] {
  return p.chunks.map((c) => {
    const memo = (c.facts.memo ??= new Map());
    if (!memo.has(key)) memo.set(key, compute(p.text.slice(c.start, c.end)));
    return memo.get(key) as T;
  });
}
