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
// Patterns with more than two wildcards are matched segment by segment (dynamic programming over path segments, a
// linear wildcard matcher within a segment) instead of with a backtracking regular expression, so a hostile pattern
// cannot make matching take super-linear time. Anchored literal patterns (`/src/app/`) are a prefix test.
//
// Besides the test, each compiled pattern says what a path must contain to match (a literal leading directory, a
// literal segment, an extension), which the matcher uses to test each path against only the rules that can match.

import type { Dialect } from './parse';
import { exact } from './exact';

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

/** Whether a pattern has enough wildcards to risk super-linear backtracking in a regular expression. */
function manyWildcards(pattern: string): boolean {
  return (pattern.match(/[*?]+/g)?.length ?? 0) > 2;
}

/** A native regular expression, compiled on first use (a 100,000-line file costs nothing until matched). */
function lazyRegex(source: string | (() => string), unicode = true): (path: string) => boolean {
  let re: RegExp | undefined;
  return (p) =>
    (re ??= new RegExp('^(?:' + (typeof source === 'string' ? source : source()) + ')$', unicode ? 'u' : '')).test(p);
}

// ---------------------------------------------------------------------------------------------------------------
// The segment matcher (for patterns with many wildcards)

type Tok = { k: 'c'; cp: number } | { k: '?' } | { k: '*' } | { k: 'set'; neg: boolean; ranges: [number, number][] };

/** The tokens of one pattern segment. `classes`: `[...]` is a character class (GitLab), else literal. */
function segTokens(seg: string, classes: boolean): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < seg.length) {
    const cp = seg.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch === '\\' && i + 1 < seg.length) {
      const next = seg.codePointAt(i + 1)!;
      out.push({ k: 'c', cp: next });
      i += 1 + String.fromCodePoint(next).length;
      continue;
    }
    if (ch === '*') {
      if (out[out.length - 1]?.k !== '*') out.push({ k: '*' });
    } else if (ch === '?') out.push({ k: '?' });
    else if (ch === '[' && classes) {
      const br = bracketRanges(seg, i);
      if (br) {
        out.push({ k: 'set', neg: br.negate, ranges: br.ranges });
        i = br.end;
        continue;
      }
      out.push({ k: 'c', cp });
    } else out.push({ k: 'c', cp });
    i += ch.length;
  }
  return out;
}

function tokMatches(t: Tok, cp: number): boolean {
  switch (t.k) {
    case 'c':
      return t.cp === cp;
    case '?':
      return true;
    case 'set': {
      const inSet = t.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
      return cp !== 0x2f && inSet !== t.neg;
    }
    default:
      return false;
  }
}

/** Wildcard match of one path segment (no `/` in it): iterative, with one backtrack point per star. */
function segMatch(toks: Tok[], seg: string): boolean {
  const s = Array.from(seg, (c) => c.codePointAt(0)!);
  let ti = 0;
  let si = 0;
  let starT = -1;
  let starS = 0;
  while (si < s.length) {
    const t = toks[ti];
    if (t && t.k === '*') {
      starT = ti++;
      starS = si;
    } else if (t && tokMatches(t, s[si]!)) {
      ti++;
      si++;
    } else if (starT >= 0) {
      ti = starT + 1;
      si = ++starS;
    } else return false;
  }
  while (toks[ti]?.k === '*') ti++;
  return ti === toks.length;
}

type PSeg = { any: true } | { any: false; toks: Tok[]; nonEmpty: boolean };

/**
 * Match path segments against pattern segments. `mode`: GitHub's regex semantics (a leading `**` skips any
 * number of leading segments, a trailing `**` needs at least one more segment, a last glob segment also owns what is
 * below it unless it is a bare `*`), or fnmatch's (whole-path match; `**` followed by `/` is any number of
 * directories). Memoised over (pattern segment, path segment): O(pattern × path) at worst.
 */
function segmentMatcher(psegs: PSeg[], mode: 'github' | 'fnmatch'): (path: string) => boolean {
  const P = psegs.length;
  return (path) => {
    const segs = path.split('/');
    const S = segs.length;
    const memo = new Uint8Array((P + 1) * (S + 1));
    const go = (i: number, j: number): boolean => {
      const key = i * (S + 1) + j;
      if (memo[key]) return memo[key] === 1;
      let r = false;
      if (i === P) r = j === S;
      else {
        const ps = psegs[i]!;
        const last = i === P - 1;
        if (ps.any) {
          if (mode === 'github' && last) r = i === 0 ? S - j >= 1 && path.length > 0 : S - j >= 1;
          else for (let k = j; k <= S && !r; k++) r = go(i + 1, k);
        } else if (j < S && (!ps.nonEmpty || segs[j]!.length > 0) && segMatch(ps.toks, segs[j]!)) {
          r = mode === 'github' && last ? !ps.nonEmpty || j === S - 1 : go(i + 1, j + 1);
        }
      }
      memo[key] = r ? 1 : 2;
      return r;
    };
    return go(0, 0);
  };
}

// Module constants: a regular expression literal inside a function is a new object on every call.
const GITHUB_WILDCARD = /[*?\\]/;
const GITLAB_WILDCARD = /[*?\\[]/;
const isLiteralGitHub = (seg: string) => seg !== '' && !GITHUB_WILDCARD.test(seg);
const isLiteralGitLab = (seg: string) => seg !== '' && !GITLAB_WILDCARD.test(seg);

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
  if (anchored)
    for (const s of segs) {
      if (!literal(s)) break;
      anchorPrefix.push(s);
    }
  let requiredSegment: string | undefined;
  let requiredExt: string | undefined;
  if (!anchorPrefix.length) {
    // The last literal segment: deeper names are rarer (`checks` rather than `ee` in `ee/lib/ee/gitlab/checks/**`).
    for (let i = segs.length - 1; i >= 0 && requiredSegment === undefined; i--)
      if (segs[i] !== '**' && literal(segs[i]!)) requiredSegment = segs[i];
    if (requiredSegment === undefined) {
      for (const s of segs) {
        requiredExt = extOf(s, literal);
        if (requiredExt) break;
      }
    }
  }
  return { anchorPrefix: exact(anchorPrefix), requiredSegment, requiredExt };
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
  const last = segs.length - 1;

  const anchored = segs[0] !== '**';
  const b = bucket(segs, anchored, isLiteralGitHub);
  const everything =
    (segs.length === 1 && segs[0] === '**') || (segs.length === 2 && segs[0] === '**' && segs[1] === '*');
  let subtree: CompiledPattern['subtree'];
  const body = segs[last] === '**' && segs.length > 1 ? segs.slice(0, -1) : segs;
  if (anchored && body.length && body.every(isLiteralGitHub))
    subtree = { anchored: true, segments: body.map(unescape) };
  else if (!anchored && body.length === 2 && isLiteralGitHub(body[1]!))
    subtree = { anchored: false, segments: [unescape(body[1]!)] };
  const c = new GitHubPattern(pattern, segs, anchored, everything, b.anchorPrefix);
  if (b.requiredSegment !== undefined) c.requiredSegment = b.requiredSegment;
  if (b.requiredExt !== undefined) c.requiredExt = b.requiredExt;
  if (subtree) c.subtree = subtree;
  return c;
}

/**
 * A compiled GitHub pattern. Its test and its regular expression are built on first use: the matcher tests a path
 * only against the rules its segments reach, so most rules of a large file are never tested in a run (309 of 2,000
 * for `flywheel owners --unowned` on the generated 5,000-file repository) and need only what places them in a bucket.
 */
class GitHubPattern implements CompiledPattern {
  requiredSegment?: string;
  requiredExt?: string;
  subtree?: { anchored: boolean; segments: string[] };
  readonly matchesNothing: boolean;
  private impl: ((path: string) => boolean) | undefined;
  private regex: string | undefined;

  constructor(
    private readonly pattern: string,
    private readonly segs: readonly string[],
    private readonly anchored: boolean,
    readonly everything: boolean,
    readonly anchorPrefix: string[],
  ) {
    this.matchesNothing = pattern === '/' || segs.every((s) => s === '');
  }

  test(path: string): boolean {
    return (this.impl ??= this.build())(path);
  }

  /** Built when asked (tests, a regular expression's first use): most patterns of a real file are literal paths. */
  get source(): string {
    return (this.regex ??= gitHubRegex(this.segs));
  }

  private build(): (path: string) => boolean {
    const { pattern, segs, anchored, subtree } = this;
    const last = segs.length - 1;
    if (subtree?.anchored) {
      // Anchored literal: a prefix test. `/a/b` owns a/b and below; `/a/b/` and `/a/b/**` only below.
      const prefix = subtree.segments.join('/');
      const below = prefix + '/';
      return segs[last] === '**' ? (p) => p.startsWith(below) : (p) => p === prefix || p.startsWith(below);
    }
    if (manyWildcards(pattern)) {
      return segmentMatcher(
        segs.map((seg): PSeg =>
          seg === '**' ? { any: true } : { any: false, toks: segTokens(seg, false), nonEmpty: seg === '*' },
        ),
        'github',
      );
    }
    // Without `?` (one character: one code point, so Unicode mode) the expression matches the same paths without the
    // `u` flag, and compiles faster: `*` and `**` take whole runs of code units, literals match their own units.
    const regex = () => lazyRegex(() => gitHubRegex(segs), pattern.includes('?'));
    // The common shapes are tested without compiling an expression at all, for the paths git lists.
    const fast = fastGitHub(segs, anchored);
    let slow: ((path: string) => boolean) | undefined;
    return fast ? (p) => (plainPath(p) ? fast(p) : (slow ??= regex())(p)) : regex();
  }
}

/**
 * A path as git lists it: not empty, no empty segment (no leading, trailing or doubled `/`), no line feed. For these
 * the shapes of `fastGitHub` match exactly what the regular expression matches; any other path is left to it.
 */
function plainPath(p: string): boolean {
  return (
    p.length > 0 &&
    p.charCodeAt(0) !== 0x2f &&
    p.charCodeAt(p.length - 1) !== 0x2f &&
    !p.includes('//') &&
    !p.includes('\n')
  );
}

/**
 * `name` (a literal segment) or `*suffix` (a star, then a literal): the test of the path segment p[from, end), else
 * undefined.
 */
function segTest(seg: string): ((p: string, from: number, end: number) => boolean) | undefined {
  if (isLiteralGitHub(seg)) return (p, from, end) => end - from === seg.length && p.startsWith(seg, from);
  if (seg.length > 1 && seg[0] === '*' && isLiteralGitHub(seg.slice(1))) {
    const suffix = seg.slice(1);
    return (p, from, end) => end - from >= suffix.length && p.endsWith(suffix, end);
  }
  return undefined;
}

/**
 * A test without a regular expression for the common shapes of a GitHub pattern (its segments, `**` added as
 * compileGitHub does), exact for the paths `plainPath` accepts; undefined for any other shape. X is a literal
 * segment or `*suffix`, L a literal segment:
 *   `**` X         a segment matches X              (`*.md`, `BUILD`: the regular expression's `(?:…/)?X(?:/…)?`)
 *   `**` X `**`    a segment but the last matches X (`docs/`, `**` + `/api/**`)
 *   L… `*`         a direct child of L…            (`/src/*`)
 *   L… X           the segment after L… matches X   (`/src/*.ts`, which also owns what is below such a name)
 *   L… `**` X      a segment below L… matches X     (`/docs/**` + `/*.md`)
 */
function fastGitHub(segs: readonly string[], anchored: boolean): ((p: string) => boolean) | undefined {
  const n = segs.length;
  /** Whether a segment of p from `from` on matches x (the last one too unless `notLast`). */
  const anySegment =
    (x: (p: string, from: number, end: number) => boolean, notLast: boolean) =>
    (p: string, from: number): boolean => {
      for (;;) {
        const slash = p.indexOf('/', from);
        if (slash === -1) return !notLast && x(p, from, p.length);
        if (x(p, from, slash)) return true;
        from = slash + 1;
      }
    };
  if (!anchored) {
    const x = n === 2 || (n === 3 && segs[2] === '**') ? segTest(segs[1]!) : undefined;
    if (!x) return undefined;
    const any = anySegment(x, n === 3);
    return (p) => any(p, 0);
  }
  let k = 0;
  while (k < n && isLiteralGitHub(segs[k]!)) k++;
  if (k === 0 || k === n) return undefined;
  const below = segs.slice(0, k).join('/') + '/';
  const from = below.length;
  if (k === n - 1 && segs[k] === '*')
    return (p) => p.length > from && p.startsWith(below) && p.indexOf('/', from) === -1;
  if (k === n - 1) {
    const x = segTest(segs[k]!);
    if (!x) return undefined;
    return (p) => {
      if (!p.startsWith(below)) return false;
      const slash = p.indexOf('/', from);
      return x(p, from, slash === -1 ? p.length : slash);
    };
  }
  if (k === n - 2 && segs[k] === '**') {
    const x = segTest(segs[k + 1]!);
    if (!x) return undefined;
    const any = anySegment(x, false);
    return (p) => p.startsWith(below) && any(p, from);
  }
  return undefined;
}

/** The regular expression of a GitHub pattern's segments (hmarr's buildPatternRegex). */
function gitHubRegex(segs: readonly string[]): string {
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
  return buf;
}

function unescape(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, '$1') : s;
}

/** GitLab's normalisation (ee/lib/gitlab/code_owners/file.rb). */
export function normalizeGitLab(pattern: string): string {
  let p = pattern.replace(/^\\#/, '#').replace(/\\\s+/g, ' ');
  if (p === '*') return '/**/*';
  if (!p.startsWith('/')) p = '/**/' + p;
  if (p.endsWith('/')) p += '**/*';
  return p;
}

/** A bracket expression at `s[i] === '['`: its ranges (code points) and the offset past `]`; undefined if unterminated. */
function bracketRanges(s: string, i: number): { negate: boolean; ranges: [number, number][]; end: number } | undefined {
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
    let c = String.fromCodePoint(s.codePointAt(j)!);
    if (c === '\\' && j + 1 < s.length) c = String.fromCodePoint(s.codePointAt(++j)!);
    const lo = c.codePointAt(0)!;
    j += c.length;
    let hi = lo;
    if (s[j] === '-' && j + 1 < s.length && s[j + 1] !== ']') {
      j++;
      let d = String.fromCodePoint(s.codePointAt(j)!);
      if (d === '\\' && j + 1 < s.length) d = String.fromCodePoint(s.codePointAt(++j)!);
      hi = d.codePointAt(0)!;
      j += d.length;
    }
    if (hi >= lo) ranges.push([lo, hi]);
  }
  if (j >= s.length) return undefined;
  return { negate, ranges, end: j + 1 };
}

/** A bracket expression as a regex class that never matches `/`; undefined if unterminated. */
function bracket(s: string, i: number): { re: string; end: number } | undefined {
  const br = bracketRanges(s, i);
  if (!br) return undefined;
  const hex = (n: number) => `\\u{${n.toString(16)}}`;
  const parts: string[] = [];
  const SLASH = 0x2f;
  for (const [lo, hi] of br.ranges) {
    if (br.negate) parts.push(lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`);
    else {
      if (lo < SLASH) parts.push(`${hex(lo)}-${hex(Math.min(hi, SLASH - 1))}`);
      if (hi > SLASH) parts.push(`${hex(Math.max(lo, SLASH + 1))}-${hex(hi)}`);
    }
  }
  const re = br.negate ? `[^/${parts.join('')}]` : parts.length ? `[${parts.join('')}]` : '[^\\s\\S]';
  return { re, end: br.end };
}

/** GitLab: fnmatch with FNM_PATHNAME | FNM_DOTMATCH over "/" + path. */
export function compileGitLab(pattern: string): CompiledPattern {
  const norm = normalizeGitLab(pattern);
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
      const br = bracket(norm, i);
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
  const segs = norm.slice(1).split('/');
  const test0 = manyWildcards(norm)
    ? segmentMatcher(
        segs.map((seg, i): PSeg =>
          seg === '**' && i < segs.length - 1
            ? { any: true }
            : { any: false, toks: segTokens(seg, true), nonEmpty: false },
        ),
        'fnmatch',
      )
    : lazyRegex(buf);
  const anchored = segs[0] !== '**';
  const b = bucket(segs, anchored, isLiteralGitLab);
  return {
    test: manyWildcards(norm) ? test0 : (p) => test0('/' + p),
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
