// CODEOWNERS patterns, compiled exactly as each platform reads them.
//
// GitHub and Bitbucket: a port of hmarr/codeowners' match.go (the reference matcher that agrees with GitHub's docs):
// `*` and `?` stop at `/`, a leading `**/` floats, a trailing `/**` owns everything inside, `dir/*` owns direct
// children only, `[ ]` is literal, `\` escapes, a pattern with a slash at the start or in the middle is anchored,
// paths are case-sensitive.
// GitLab: Ruby `File.fnmatch(pattern, "/" + path, FNM_PATHNAME | FNM_DOTMATCH)` after GitLab's normalisation (a
// pattern without a leading `/` gets `/**/`, a trailing `/` gets `**/*`, `*` alone is `/**/*`), so `a/b` floats,
// `/docs` owns only the file `docs`, and `[ ]` is a character class.
//
// Besides the test, each compiled pattern says what a path must contain to match (a literal leading directory, a
// literal segment, an extension), which the matcher uses to test each path against only the rules that can match.

import { RE2JS } from 're2js';
import type { Dialect } from './parse';

export interface CompiledPattern {
  /** Whether the root-relative path (no leading `/`) matches. */
  test(path: string): boolean;
  /** Leading literal segments of an anchored pattern: a path must start with them. */
  anchorPrefix: string[];
  /** A literal segment every matching path contains (set when `anchorPrefix` is empty). */
  requiredSegment?: string;
  /** Some segment of every matching path ends with `.` + this (set when neither of the above is). */
  requiredExt?: string;
  /** Matches every path: the patterns `*`, `**`, `/**` and `**` + `/*`. */
  everything: boolean;
  /** GitHub/Bitbucket: matches every path below a directory with this literal prefix (anchored) or name (floating). */
  subtree?: { anchored: boolean; segments: string[] };
  /** The regular expression (for tests and debugging). */
  source: string;
  /** Matches no path at all (`/`). */
  matchesNothing: boolean;
}

const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);

function quote(ch: string): string {
  return SYNTAX.has(ch) ? '\\' + ch : ch;
}

/** Any character but a line feed (Go's and RE2's `.`; JavaScript's `.` also stops at \r, U+2028, U+2029). */
const ANY = '[^\\n]';

// Whether to use RE2 (linear time) rather than the native engine: a pattern with many wildcards (a chain of
// double-star segments, or `*a*a*a*b`) could make a backtracking engine take super-linear time on a long path.
function needsRe2(pattern: string): boolean {
  const stars = pattern.match(/\*+/g)?.length ?? 0;
  return stars > 2 || pattern.length > 2048;
}

function makeTest(source: string, re2: boolean): (path: string) => boolean {
  if (!re2) {
    const re = new RegExp('^(?:' + source + ')$', 'u');
    return (p) => re.test(p);
  }
  const compiled = RE2JS.compile(source);
  return (p) => compiled.matches(p);
}

const isLiteralGitHub = (seg: string) => seg !== '' && !/[*?\\]/.test(seg);
const isLiteralGitLab = (seg: string) => seg !== '' && !/[*?\\[]/.test(seg);

function extOf(seg: string, literal: (s: string) => boolean): string | undefined {
  // `*.ext`, `*.test.ts`: a star, then a literal suffix with a dot.
  if (!seg.startsWith('*')) return undefined;
  const rest = seg.slice(1);
  if (!rest.includes('.') || !literal(rest)) return undefined;
  const ext = rest.slice(rest.lastIndexOf('.') + 1);
  return ext ? ext : undefined;
}

function bucket(segs: string[], anchored: boolean, literal: (s: string) => boolean) {
  const anchorPrefix: string[] = [];
  if (anchored) for (const s of segs) {
    if (!literal(s)) break;
    anchorPrefix.push(s);
  }
  let requiredSegment: string | undefined;
  let requiredExt: string | undefined;
  if (!anchorPrefix.length) {
    requiredSegment = segs.find((s) => s !== '**' && literal(s));
    if (requiredSegment === undefined) {
      for (const s of segs) {
        requiredExt = extOf(s, literal);
        if (requiredExt) break;
      }
    }
  }
  return { anchorPrefix, requiredSegment, requiredExt };
}

/** GitHub / Bitbucket (hmarr's buildPatternRegex). */
export function compileGitHub(pattern: string): CompiledPattern {
  let segs = pattern.split('/');
  if (segs[0] === '') {
    segs = segs.slice(1);
  } else if ((segs.length === 1 || (segs.length === 2 && segs[1] === '')) && segs[0] !== '**') {
    segs = ['**', ...segs];
  }
  if (segs.length > 1 && segs[segs.length - 1] === '') segs[segs.length - 1] = '**';

  let buf = '';
  const last = segs.length - 1;
  let needSlash = false;
  segs.forEach((seg, i) => {
    if (seg === '**') {
      if (i === 0 && i === last) buf += `${ANY}+`;
      else if (i === 0) {
        buf += `(?:${ANY}+/)?`;
        needSlash = false;
      } else if (i === last) buf += `/${ANY}*`;
      else {
        buf += `(?:/${ANY}+)?`;
        needSlash = true;
      }
    } else if (seg === '*') {
      if (needSlash) buf += '/';
      buf += '[^/]+';
      needSlash = true;
    } else {
      if (needSlash) buf += '/';
      let escape = false;
      for (const ch of seg) {
        if (escape) {
          escape = false;
          buf += quote(ch);
          continue;
        }
        if (ch === '\\') escape = true;
        else if (ch === '*') buf += '[^/]*';
        else if (ch === '?') buf += '[^/]';
        else buf += quote(ch);
      }
      if (i === last) buf += `(?:/${ANY}*)?`;
      needSlash = true;
    }
  });

  const anchored = segs[0] !== '**';
  const b = bucket(segs, anchored, isLiteralGitHub);
  const everything = (segs.length === 1 && segs[0] === '**') || (segs.length === 2 && segs[0] === '**' && segs[1] === '*');
  let subtree: CompiledPattern['subtree'];
  const body = segs[last] === '**' && segs.length > 1 ? segs.slice(0, -1) : segs;
  if (anchored && body.length && body.every(isLiteralGitHub)) subtree = { anchored: true, segments: body.map(unescape) };
  else if (!anchored && body.length === 2 && isLiteralGitHub(body[1]!)) subtree = { anchored: false, segments: [unescape(body[1]!)] };
  return {
    test: makeTest(buf, needsRe2(pattern)),
    anchorPrefix: b.anchorPrefix,
    ...(b.requiredSegment !== undefined ? { requiredSegment: b.requiredSegment } : {}),
    ...(b.requiredExt !== undefined ? { requiredExt: b.requiredExt } : {}),
    everything,
    ...(subtree ? { subtree } : {}),
    source: buf,
    matchesNothing: pattern === '/' || segs.every((s) => s === ''),
  };
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** GitLab's normalisation (ee/lib/gitlab/code_owners/file.rb). */
export function normalizeGitLab(pattern: string): string {
  let p = pattern.replace(/^\\#/, '#').replace(/\\\s+/g, ' ');
  if (p === '*') return '/**/*';
  if (!p.startsWith('/')) p = '/**/' + p;
  if (p.endsWith('/')) p += '**/*';
  return p;
}

/** A bracket expression at `s[i] === '['` as a regex class that never matches `/`; undefined if unterminated. */
function bracket(s: string, i: number, re2: boolean): { re: string; end: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (s[j] === '!' || s[j] === '^') {
    negate = true;
    j++;
  }
  const ranges: [number, number][] = [];
  let first = true;
  while (j < s.length && (s[j] !== ']' || first)) {
    first = false;
    let c = s[j]!;
    if (c === '\\' && j + 1 < s.length) c = s[++j]!;
    let lo = c.codePointAt(0)!;
    j += c.length;
    let hi = lo;
    if (s[j] === '-' && j + 1 < s.length && s[j + 1] !== ']') {
      let d = s[j + 1]!;
      j++;
      if (d === '\\' && j + 1 < s.length) d = s[++j]!;
      hi = d.codePointAt(0)!;
      j += d.length;
    }
    if (hi >= lo) ranges.push([lo, hi]);
  }
  if (j >= s.length) return undefined;
  const hex = (n: number) => (re2 ? `\\x{${n.toString(16)}}` : `\\u{${n.toString(16)}}`);
  const parts: string[] = [];
  const SLASH = 0x2f;
  for (const [lo, hi] of ranges) {
    if (negate) parts.push(lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`);
    else {
      if (lo < SLASH) parts.push(`${hex(lo)}-${hex(Math.min(hi, SLASH - 1))}`);
      if (hi > SLASH) parts.push(`${hex(Math.max(lo, SLASH + 1))}-${hex(hi)}`);
    }
  }
  const re = negate ? `[^/${parts.join('')}]` : parts.length ? `[${parts.join('')}]` : '[^\\s\\S]';
  return { re, end: j + 1 };
}

/** GitLab: fnmatch with FNM_PATHNAME | FNM_DOTMATCH over "/" + path. */
export function compileGitLab(pattern: string): CompiledPattern {
  const norm = normalizeGitLab(pattern);
  const re2 = needsRe2(norm);
  let buf = '';
  let i = 0;
  while (i < norm.length) {
    const c = norm[i]!;
    const segStart = i === 0 || norm[i - 1] === '/';
    if (c === '*' && segStart && norm.startsWith('**/', i)) {
      buf += '(?:[^/]+/)*';
      i += 3;
    } else if (c === '*') {
      while (norm[i] === '*') i++;
      buf += '[^/]*';
    } else if (c === '?') {
      buf += '[^/]';
      i++;
    } else if (c === '[') {
      const br = bracket(norm, i, re2);
      if (br) {
        buf += br.re;
        i = br.end;
      } else {
        buf += quote('[');
        i++;
      }
    } else if (c === '\\' && i + 1 < norm.length) {
      const cp = norm.codePointAt(i + 1)!;
      const ch = String.fromCodePoint(cp);
      buf += quote(ch);
      i += 1 + ch.length;
    } else {
      const cp = norm.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      buf += quote(ch);
      i += ch.length;
    }
  }
  const test0 = makeTest(buf, re2);
  const segs = norm.slice(1).split('/');
  const anchored = segs[0] !== '**';
  const b = bucket(segs, anchored, isLiteralGitLab);
  return {
    test: (p) => test0('/' + p),
    anchorPrefix: b.anchorPrefix.map(unescape),
    ...(b.requiredSegment !== undefined ? { requiredSegment: unescape(b.requiredSegment) } : {}),
    ...(b.requiredExt !== undefined ? { requiredExt: b.requiredExt } : {}),
    everything: norm === '/**/*',
    source: buf,
    matchesNothing: false,
  };
}

export function compilePattern(pattern: string, dialect: Dialect): CompiledPattern {
  return dialect === 'gitlab' ? compileGitLab(pattern) : compileGitHub(pattern);
}
