// CODEOWNERS parser, one pass per line, per dialect (GitHub, GitLab, Bitbucket). Every token carries a 0-based
// range; a line the platform would skip is kept with `skipped` set and a problem, and parsing goes on (per-line
// error recovery, as GitHub and GitLab do). Semantics: ../shared/reference/codeowners.md §1.2–§1.8.

import type { Range } from '../types';
import { exact } from './exact';

export type Dialect = 'github' | 'gitlab' | 'bitbucket';

export interface Token {
  /** The text as written (escapes kept). */
  text: string;
  range: Range;
}

export type OwnerKind = 'user' | 'team' | 'email' | 'role' | 'invalid';

export interface OwnerToken extends Token {
  kind: OwnerKind;
}

export interface CodeownersRule {
  /** Position among the rules of the file (0-based, in file order). */
  index: number;
  /** 0-based line. */
  line: number;
  /** The pattern as written, escapes kept, without GitLab's leading `!`. */
  pattern: Token;
  /** GitLab `!pattern`: an exclusion within its section. */
  negated: boolean;
  /** The owner tokens written on the line (valid and invalid). */
  owners: OwnerToken[];
  /** The owners that apply: the line's valid owners, or (GitLab) the section's default owners. */
  effectiveOwners: string[];
  /** GitLab: the line has no owners of its own and takes the section's default owners. */
  inheritsSectionOwners: boolean;
  /** Index into `sections` (0 = the default, unnamed section). */
  section: number;
  /** An inline comment (GitHub, Bitbucket). */
  comment?: Token;
  /** Why the platform ignores this line (invalid syntax); undefined when it applies. */
  skipped?: string;
}

export interface CodeownersSection {
  index: number;
  /** As written in the first header; '' for the default section. */
  name: string;
  /** Lowercase name: GitLab merges sections with the same name, case-insensitively. */
  key: string;
  /** Header lines of this section (several when the name repeats). */
  headers: {
    line: number;
    range: Range;
    name: Token;
    defaultOwners: OwnerToken[];
    optional: boolean;
    approvals?: Token;
  }[];
  optional: boolean;
  approvals: number;
}

/** Longer patterns are not matched (a pasted file, not a path); the line is reported and skipped. */
export const MAX_PATTERN_LENGTH = 1024;

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface SyntaxProblem {
  line: number;
  range: Range;
  severity: ProblemSeverity;
  messageId: string;
  data: Record<string, string | number>;
}

export interface ParsedCodeowners {
  dialect: Dialect;
  lineCount: number;
  rules: CodeownersRule[];
  sections: CodeownersSection[];
  problems: SyntaxProblem[];
  /** Full-line and inline comments. */
  comments: Token[];
}

const rng = (line: number, start: number, end: number): Range => ({
  start: { line, character: start },
  end: { line, character: end },
});

/**
 * A token of a rule line (its pattern, an owner, a comment). The range is built when asked (diagnostics, quick fixes,
 * hovers): a 2,000-line file has some 7,000 tokens, kept as long as the parse, and a CLI run that only matches paths
 * asks for none of their ranges; three objects fewer per token is a fifth of the parse's memory. Serialised as
 * `{ text, range }`, the shape of a plain token.
 */
class LineToken implements Token {
  constructor(
    readonly text: string,
    private readonly ln: number,
    private readonly from: number,
    private readonly to: number,
  ) {}
  get range(): Range {
    return rng(this.ln, this.from, this.to);
  }
  toJSON(): Token {
    return { text: this.text, range: this.range };
  }
}

class LineOwnerToken extends LineToken implements OwnerToken {
  constructor(
    text: string,
    ln: number,
    from: number,
    to: number,
    readonly kind: OwnerKind,
  ) {
    super(text, ln, from, to);
  }
  override toJSON(): OwnerToken {
    return { text: this.text, range: this.range, kind: this.kind };
  }
}

// Owner forms. GitHub: `@user` (EMU `_shortcode` allowed), `@org/team-slug` (no dots), e-mail.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const GH_USER = /^@[A-Za-z0-9][A-Za-z0-9_-]*$/;
const GH_TEAM = /^@[A-Za-z0-9][A-Za-z0-9_-]*\/[A-Za-z0-9_][A-Za-z0-9_-]*$/;
// GitLab: `@user` (dots allowed), `@group/sub/group`, `@@role`, e-mail.
const GL_USER = /^@[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const GL_GROUP = /^@[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;
const GL_ROLE = /^@@(developer|maintainer|owner)s?$/i;
// Bitbucket: `@user`, `@workspace/group[:all|:random(n)|:least_busy(n)]`, `@teams/x`, e-mail.
const BB_USER = /^@[A-Za-z0-9_{}][A-Za-z0-9_.{}-]*$/;
const BB_GROUP = /^@[A-Za-z0-9_][A-Za-z0-9_.-]*\/[A-Za-z0-9_][A-Za-z0-9_.-]*(:(all|random\(\d+\)|least_busy\(\d+\)))?$/;

export function ownerKind(token: string, dialect: Dialect): OwnerKind {
  if (dialect === 'gitlab') {
    if (GL_ROLE.test(token)) return 'role';
    if (GL_GROUP.test(token)) return 'team';
    if (GL_USER.test(token)) return 'user';
  } else if (dialect === 'bitbucket') {
    if (BB_GROUP.test(token)) return 'team';
    if (BB_USER.test(token)) return 'user';
  } else if (token.includes('/')) {
    // GH_USER has no `/`, GH_TEAM one: only one of them can match.
    if (GH_TEAM.test(token)) return 'team';
  } else if (GH_USER.test(token)) return 'user';
  if (!token.startsWith('@') && EMAIL.test(token)) return 'email';
  return 'invalid';
}

/** Why an owner token is invalid, for the message. */
function invalidOwnerHint(token: string, dialect: Dialect): string {
  if (!token.startsWith('@') && !token.includes('@'))
    return 'an owner is `@user`, `@org/team` or an e-mail address; add the `@`';
  if (token.endsWith('@')) return 'it ends with `@`; an e-mail address needs a domain';
  if (token.slice(1).includes('@')) return 'it holds more than one `@`: separate owners with a space';
  if (dialect === 'github' && /^@[^/]+\/.*\./.test(token))
    return 'team slugs cannot contain `.`; use the slug (lowercase, hyphenated), not the display name';
  if (dialect === 'github' && token.split('/').length > 2)
    return 'GitHub teams are `@org/team`; nested groups are GitLab syntax';
  return 'it is neither `@user`, `@org/team` nor an e-mail address';
}

/**
 * The pattern from a line's first non-blank character: up to the first space or tab not escaped by a backslash (a
 * backslash escapes the character after it, a last one is itself). Sticky, so `lastIndex` is where it ends. A regular
 * expression rather than a loop over the characters: it runs for every line of a file, and `flywheel owners` runs
 * without the optimising compiler. Runs of plain characters are one step each, so a line of millions of characters
 * does not exhaust the expression's backtracking stack.
 */
const PATTERN_RUN = /(?:[^ \t\\]+|\\[^]?)*/y;

/** End offset of the pattern that starts at `from`: the first whitespace not escaped by a backslash. */
function patternEnd(s: string, from: number): number {
  PATTERN_RUN.lastIndex = from;
  PATTERN_RUN.test(s);
  return PATTERN_RUN.lastIndex;
}

// GitLab section header: `[Name]`, `^[Name]`, `[Name][2]`, then optional default owners.
const SECTION = /^(\^)?\[([^\]]*)\](?:\[([^\]]*)\])?(?=\s|$)/;
// Something shaped like a GitLab header in a GitHub/Bitbucket file.
const SECTION_LIKE = /^\^?\[[^\]/*?]+\](\[\d*\])?$/;
// `[...]` whose content reads as a character class: a range (a-z), a negation, or two cases of a letter.
const CLASS_LIKE = /\[(?:[!^][^\]]+|[^\]]*[A-Za-z0-9]-[A-Za-z0-9][^\]]*|([a-z])(?!\1)[A-Z]|([A-Z])(?!\2)[a-z])\]/;

/**
 * Parse a CODEOWNERS file. `previous` (the file's last version and its parse) lets the parse reuse the result of every
 * line that kept its text, line number and rule index (on GitLab also its section and, for a line without owners,
 * the section's default owners): after a keystroke only the edited line is parsed again. The parsed objects are never
 * mutated afterwards, so sharing them between versions is safe; the result equals a parse from scratch.
 */
export function parseCodeowners(
  text: string,
  dialect: Dialect,
  previous?: { text: string; parsed: ParsedCodeowners },
): ParsedCodeowners {
  const rules: CodeownersRule[] = [];
  const problems: SyntaxProblem[] = [];
  const comments: Token[] = [];
  const sections: CodeownersSection[] = [{ index: 0, name: '', key: '', headers: [], optional: false, approvals: 1 }];
  const sectionByKey = new Map<string, CodeownersSection>();
  let current = sections[0]!;
  let currentDefaults: OwnerToken[] = [];

  const problem = (
    line: number,
    start: number,
    end: number,
    severity: ProblemSeverity,
    messageId: string,
    data: Record<string, string | number> = {},
  ) => problems.push({ line, range: rng(line, start, end), severity, messageId, data });

  const lines = text.split('\n');
  const reuse = previous && previous.parsed.dialect === dialect ? linesOf(previous.text, previous.parsed) : undefined;
  for (let ln = 0; ln < lines.length; ln++) {
    if (reuse && ln < reuse.lines.length && reuse.lines[ln] === lines[ln]) {
      const old = reuse.rules[ln];
      // GitHub, Bitbucket: a line parses on its own. GitLab: a rule line also depends on its section (index, and the
      // header's default owners when it has none of its own); header lines change the sections, so they are parsed.
      const same =
        dialect !== 'gitlab'
          ? !old || old.index === rules.length
          : old !== undefined &&
            old.index === rules.length &&
            old.section === current.index &&
            (!old.inheritsSectionOwners || sameTexts(old.effectiveOwners, currentDefaults));
      if (same) {
        if (old) rules.push(old);
        const pr = reuse.problems.get(ln);
        if (pr) problems.push(...pr);
        const cm = reuse.comments.get(ln);
        if (cm) comments.push(...cm);
        continue;
      }
    }
    let s = lines[ln]!;
    if (s.endsWith('\r')) s = s.slice(0, -1);
    let i = 0;
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    if (i >= s.length) continue;
    if (s[i] === '#') {
      comments.push(new LineToken(s.slice(i), ln, i, s.length));
      continue;
    }

    // GitLab section headers.
    if (dialect === 'gitlab' && (s[i] === '[' || (s[i] === '^' && s[i + 1] === '['))) {
      const m = SECTION.exec(s.slice(i));
      if (m) {
        const optional = m[1] === '^';
        const name = m[2]!;
        const nameStart = i + (optional ? 2 : 1);
        const headerEnd = i + m[0].length;
        const ownersTokens = readOwners(s, headerEnd, ln, dialect, problem, true);
        if (name.trim() === '') {
          problem(ln, i, headerEnd, 'error', 'sectionNoName');
          continue;
        }
        let approvals = 1;
        let approvalsToken: Token | undefined;
        if (m[3] !== undefined) {
          const aStart = nameStart + name.length + 2;
          approvalsToken = { text: m[3], range: rng(ln, aStart, aStart + m[3].length) };
          if (!/^\d+$/.test(m[3]) || Number(m[3]) < 1) {
            problem(ln, aStart - 1, aStart + m[3].length + 1, 'warning', 'sectionApprovals', { value: m[3] });
          } else {
            approvals = Number(m[3]);
          }
        }
        const key = name.toLowerCase();
        let sec = sectionByKey.get(key);
        if (!sec) {
          sec = { index: sections.length, name, key, headers: [], optional, approvals };
          sections.push(sec);
          sectionByKey.set(key, sec);
        } else {
          // Once required, always required; the largest approval count holds.
          sec.optional = sec.optional && optional;
          sec.approvals = Math.max(sec.approvals, approvals);
        }
        sec.headers.push({
          line: ln,
          range: rng(ln, i, s.length),
          name: { text: name, range: rng(ln, nameStart, nameStart + name.length) },
          defaultOwners: ownersTokens,
          optional,
          ...(approvalsToken ? { approvals: approvalsToken } : {}),
        });
        current = sec;
        currentDefaults = ownersTokens.filter((o) => o.kind !== 'invalid');
        continue;
      }
    }

    // An entry: pattern, then owners.
    let negated = false;
    let pStart = i;
    if (s[i] === '!' && dialect === 'gitlab') {
      negated = true;
      pStart = i + 1;
    }
    const pEnd = patternEnd(s, pStart);
    const patternText = s.slice(pStart, pEnd);
    const rule: CodeownersRule = {
      index: rules.length,
      line: ln,
      pattern: new LineToken(patternText, ln, pStart, pEnd),
      negated,
      owners: [],
      effectiveOwners: [],
      inheritsSectionOwners: false,
      section: current.index,
    };
    if (patternText === '') {
      problem(ln, i, pEnd, 'error', 'emptyPattern');
      rule.skipped = 'empty pattern';
    }

    // Owners region; inline comments on GitHub and Bitbucket.
    let ownersEnd = s.length;
    if (dialect !== 'gitlab') {
      // The first word that starts with `#` (a `#` after whitespace) starts the comment.
      for (let a = s.indexOf('#', pEnd); a !== -1; a = s.indexOf('#', a + 1)) {
        if (s[a - 1] === ' ' || s[a - 1] === '\t') {
          ownersEnd = a;
          const c = new LineToken(s.slice(a), ln, a, s.length);
          rule.comment = c;
          comments.push(c);
          break;
        }
      }
    }
    rule.owners = readOwners(ownersEnd < s.length ? s.slice(0, ownersEnd) : s, pEnd, ln, dialect, problem, false);
    const anyInvalid = !rule.owners.every(isValidOwner);
    // Exact-length lists (map, filter): kept for as long as the parse is.
    const valid = (anyInvalid ? rule.owners.filter(isValidOwner) : rule.owners).map(textOf);
    if (dialect === 'github' && anyInvalid && !rule.skipped) {
      rule.skipped = 'invalid owner';
    }
    if (dialect === 'gitlab' && valid.length === 0 && !negated) {
      rule.inheritsSectionOwners = true;
      rule.effectiveOwners = currentDefaults.map((o) => o.text);
    } else {
      rule.effectiveOwners = dedupeOwners(valid);
    }
    if (rule.skipped) rule.effectiveOwners = [];

    checkPattern(rule, pStart, pEnd, s, dialect, problem);
    if (dialect === 'gitlab' && !negated && rule.effectiveOwners.length === 0 && !rule.skipped) {
      problem(ln, pStart, pEnd, 'info', 'gitlabNoOwners', { pattern: patternText });
    }
    rules.push(rule);
  }
  return { dialect, lineCount: lines.length, rules, sections, problems, comments };
}

function sameTexts(a: readonly string[], b: readonly OwnerToken[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]!.text) return false;
  return true;
}

/** A parse's results by line, for reuse by the next version (one rule at most per line). */
function linesOf(
  text: string,
  parsed: ParsedCodeowners,
): {
  lines: string[];
  rules: (CodeownersRule | undefined)[];
  problems: Map<number, SyntaxProblem[]>;
  comments: Map<number, Token[]>;
} {
  const lines = text.split('\n');
  const rules: (CodeownersRule | undefined)[] = new Array(lines.length);
  for (const r of parsed.rules) rules[r.line] = r;
  const byLine = <T extends { range: Range }>(xs: readonly T[], line: (x: T) => number) => {
    const m = new Map<number, T[]>();
    for (const x of xs) {
      const l = line(x);
      const list = m.get(l);
      if (list) list.push(x);
      else m.set(l, [x]);
    }
    return m;
  };
  return {
    lines,
    rules,
    problems: byLine(parsed.problems, (p) => p.line),
    comments: byLine(parsed.comments, (c) => c.range.start.line),
  };
}

/** Owners are separated by spaces and tabs. */
const BLANKS = /[ \t]*/y;
const WORD = /[^ \t]+/y;

/** Owner tokens from `from` to the end of `s`. On GitLab, `#` starts no comment: the words after it are owners. */
function readOwners(
  s: string,
  from: number,
  ln: number,
  dialect: Dialect,
  problem: (
    line: number,
    start: number,
    end: number,
    severity: ProblemSeverity,
    messageId: string,
    data?: Record<string, string | number>,
  ) => void,
  header: boolean,
): OwnerToken[] {
  const out: OwnerToken[] = [];
  let inComment = false;
  // The words after `from`: blanks skipped, then a run of other characters, each by a sticky expression whose
  // `lastIndex` says where it ended (no match object per word); the expressions' state is this loop's.
  const n = s.length;
  for (let i = from; ;) {
    BLANKS.lastIndex = i;
    BLANKS.test(s);
    const a = BLANKS.lastIndex;
    if (a >= n) break;
    WORD.lastIndex = a;
    WORD.test(s);
    const b = (i = WORD.lastIndex);
    const text = s.slice(a, b);
    if (dialect === 'gitlab' && text.startsWith('#')) {
      if (!inComment) problem(ln, a, s.length, 'warning', 'gitlabInlineComment');
      inComment = true;
      continue;
    }
    const kind = ownerKind(text, dialect);
    if (kind === 'invalid') {
      if (inComment) continue; // words of a GitLab "comment": GitLab ignores what is not an owner
      problem(ln, a, b, dialect === 'github' && !header ? 'error' : 'warning', 'invalidOwner', {
        owner: text,
        hint: invalidOwnerHint(text, dialect),
        effect: dialect === 'github' ? 'GitHub ignores the whole line' : 'the platform ignores this owner',
      });
    }
    out.push(new LineOwnerToken(text, ln, a, b, kind));
  }
  return exact(out);
}

const isValidOwner = (o: OwnerToken) => o.kind !== 'invalid';
const textOf = (o: Token) => o.text;

/** The owners without case-insensitive repeats (the first spelling kept); the list itself when it has none. */
function dedupeOwners(owners: string[]): string[] {
  if (owners.length < 2) return owners;
  // Most lines name a few distinct owners: compared pairwise (no set, no lowercase copies) unless two could be equal.
  if (owners.length <= 8) {
    let clash = false;
    for (let i = 1; i < owners.length && !clash; i++)
      for (let j = 0; j < i; j++)
        if (owners[i]!.length === owners[j]!.length && owners[i]!.toLowerCase() === owners[j]!.toLowerCase()) {
          clash = true;
          break;
        }
    if (!clash) return owners;
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const o of owners) {
    const k = o.toLowerCase();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(o);
  }
  return exact(out);
}

function checkPattern(
  rule: CodeownersRule,
  a: number,
  b: number,
  line: string,
  dialect: Dialect,
  problem: (
    line: number,
    start: number,
    end: number,
    severity: ProblemSeverity,
    messageId: string,
    data?: Record<string, string | number>,
  ) => void,
): void {
  const p = rule.pattern.text;
  if (!p) return;
  const { line: ln } = rule;
  if (p.length > MAX_PATTERN_LENGTH) {
    problem(ln, a, Math.min(b, a + 64), 'error', 'longPattern', { length: p.length, max: MAX_PATTERN_LENGTH });
    rule.skipped = 'pattern too long';
    rule.effectiveOwners = [];
    return;
  }
  if (p.includes('***')) {
    problem(ln, a, b, 'error', 'invalidPattern', { pattern: p, suggestion: p.replace(/\*{3,}/g, '**') });
    rule.skipped = 'invalid pattern';
    rule.effectiveOwners = [];
    return;
  }
  if (dialect !== 'gitlab' && p.startsWith('!')) {
    problem(ln, a, b, 'error', 'negation', { pattern: p, platform: dialect === 'github' ? 'GitHub' : 'Bitbucket' });
    rule.skipped = 'negation is not supported';
    rule.effectiveOwners = [];
    return;
  }
  if (dialect !== 'gitlab' && p.startsWith('\\#')) {
    problem(ln, a, b, 'warning', 'escapedHash', { pattern: p });
    rule.skipped = 'escaped leading #';
    rule.effectiveOwners = [];
    return;
  }
  if (p === '/') problem(ln, a, b, 'warning', 'rootSlash');
  // Both need a `[` (tested first: most patterns have none).
  if (dialect !== 'gitlab' && p.includes('[') && SECTION_LIKE.test(p)) {
    problem(ln, a, line.length, 'warning', 'gitlabSection', { pattern: p });
  } else if (dialect !== 'gitlab' && p.includes('[') && CLASS_LIKE.test(p)) {
    problem(ln, a, b, 'warning', 'literalBrackets', { pattern: p });
  }
  if (rule.owners.length === 0 && !rule.comment && p.startsWith('@') && ownerKind(p, dialect) !== 'invalid') {
    problem(ln, a, b, 'warning', 'ownerOnlyLine', { pattern: p });
  }
  if (dialect !== 'gitlab' && p.includes('#')) {
    problem(ln, a, b, 'warning', 'hashInPattern', { pattern: p });
  }
}
