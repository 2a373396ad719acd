// The ownership analyses the rules, the CLI and the editor share, memoised in the AnalysisCache:
//   codeownersAnalysis  which CODEOWNERS the platform reads, parsed and indexed   (that file's version, the file list)
//   repoOwnership       the owner of every tracked file, per-rule win counts      (+ snapshot.filesVersion)
//   policyOwnership     the paths the policy protects and who owns them           (+ policy.version)
// A keystroke in CLAUDE.md changes none of these keys, so it costs nothing here.

import { BoundedMap, type AnalysisCache } from '../cache';
import { policyGlob } from '../glob';
import type { Snapshot } from '../host';
import { BITBUCKET_CODEOWNERS_LOCATIONS, CODEOWNERS_LOCATIONS, GITLAB_CODEOWNERS_LOCATIONS } from '../kinds';
import type { ResolvedPolicy } from '../policy/types';
import { LineIndex } from '../text';
import type { ReadResult } from '../types';
import { FileIndex, isOwned, OwnershipMatcher, sameMatch, type Resolution } from './matcher';
import { compilePattern } from './pattern';
import { parseCodeowners, type CodeownersRule, type Dialect, type ParsedCodeowners } from './parse';

/** GitHub ignores a CODEOWNERS file of 3 MB or more entirely. */
export const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;

export const PLATFORM_NAME: Record<Dialect, string> = { github: 'GitHub', gitlab: 'GitLab', bitbucket: 'Bitbucket' };

export function locationsOf(platform: Dialect): readonly string[] {
  return platform === 'gitlab'
    ? GITLAB_CODEOWNERS_LOCATIONS
    : platform === 'bitbucket'
      ? BITBUCKET_CODEOWNERS_LOCATIONS
      : CODEOWNERS_LOCATIONS;
}

export interface CodeownersChoice {
  /** The platform whose rules apply (policy `ownership.dialect`, else from the files' locations). */
  dialect: Dialect;
  /** Whether the dialect comes from the policy. */
  fromPolicy: boolean;
  /** The file the platform reads (root-relative), or null when there is none. */
  path: string | null;
  /** The other CODEOWNERS files, which the platform never reads. */
  ignored: { path: string; reason: 'shadowed' | 'location' }[];
}

export function chooseCodeowners(snapshot: Snapshot, policy: ResolvedPolicy): CodeownersChoice {
  const present = snapshot.byKind('codeowners').map((g) => g.path);
  const has = new Set(present);
  let dialect: Dialect = 'github';
  const fromPolicy = policy.ownership.dialect !== undefined;
  if (policy.ownership.dialect) dialect = policy.ownership.dialect;
  else if (!has.has('.github/CODEOWNERS') && has.has('.gitlab/CODEOWNERS')) dialect = 'gitlab';
  else if (!has.has('.github/CODEOWNERS') && has.has('.bitbucket/CODEOWNERS')) dialect = 'bitbucket';
  const locations = locationsOf(dialect);
  const path = locations.find((l) => has.has(l)) ?? null;
  const ignored = present
    .filter((p) => p !== path)
    .map((p): { path: string; reason: 'shadowed' | 'location' } => ({
      path: p,
      reason: locations.includes(p) ? 'shadowed' : 'location',
    }));
  return { dialect, fromPolicy, path, ignored };
}

export interface CodeownersAnalysis {
  choice: CodeownersChoice;
  /** The read result of the chosen file (undefined when there is none). */
  read?: ReadResult;
  /** The file's text ('' when unreadable). */
  text: string;
  lines: LineIndex;
  /** The platform ignores the whole file (3 MB or more, or unreadable). */
  ignoredWhole: 'too-large' | 'unreadable' | undefined;
  parsed: ParsedCodeowners;
  matcher: OwnershipMatcher;
}

const EMPTY_TEXT = '';

export function codeownersAnalysis(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
): CodeownersAnalysis {
  const choice = chooseCodeowners(snapshot, policy);
  const deps = `${choice.dialect}|${choice.path ?? ''}|${choice.path ? snapshot.version(choice.path) : ''}|${choice.ignored.map((i) => i.path).join(',')}`;
  return cache.memo('ownership:codeowners', deps, () => {
    let read: ReadResult | undefined;
    let text = EMPTY_TEXT;
    let ignoredWhole: CodeownersAnalysis['ignoredWhole'];
    if (choice.path) {
      read = snapshot.read(choice.path);
      if (read.ok) {
        text = read.text;
        if (read.size >= MAX_CODEOWNERS_BYTES && choice.dialect === 'github') ignoredWhole = 'too-large';
      } else {
        ignoredWhole = read.reason === 'too-large' ? 'too-large' : 'unreadable';
      }
    }
    const last = lastAnalysis.get(cache);
    const parsed = parseCodeowners(
      text,
      choice.dialect,
      last && last.choice.path === choice.path ? { text: last.text, parsed: last.parsed } : undefined,
    );
    const previous = last?.matcher;
    const matcher = new OwnershipMatcher(parsed, {
      ignoreAll: ignoredWhole !== undefined,
      ...(previous ? { previous } : {}),
    });
    const analysis: CodeownersAnalysis = {
      choice,
      ...(read ? { read } : {}),
      text,
      lines: new LineIndex(text),
      ignoredWhole,
      parsed,
      matcher,
    };
    lastAnalysis.set(cache, analysis);
    return analysis;
  });
}

/** The last CODEOWNERS analysis per cache: the next version reuses its compiled patterns. */
const lastAnalysis = new WeakMap<AnalysisCache, CodeownersAnalysis>();

export interface RepoOwnership {
  files: FileIndex;
  /** Per file (index into files.paths): the deciding rule with the highest index, or -1. */
  primary: Int32Array;
  /** Per file: has an owner. */
  owned: Uint8Array;
  /** Per rule: the number of files it decides. */
  wins: Uint32Array;
  unownedCount: number;
  /** GitLab (one deciding rule per section): every deciding rule of file i is `rules[start[i]]…rules[start[i + 1] - 1]`,
   * ascending. */
  deciding?: { start: Uint32Array; rules: Int32Array };
}

/** The deciding rules of file i (indices, ascending): GitLab's per-section list, else the one deciding rule. */
export function decidingOf(repo: RepoOwnership, i: number): ArrayLike<number> {
  if (repo.deciding) return repo.deciding.rules.subarray(repo.deciding.start[i], repo.deciding.start[i + 1]);
  const d = repo.primary[i]!;
  return d >= 0 ? [d] : [];
}

/** The files the platform sees: git's tracked files, or every file outside git. */
export function platformFiles(snapshot: Snapshot): readonly string[] {
  return snapshot.tracked ? [...snapshot.tracked] : snapshot.files;
}

/** The platform's file list, sorted and indexed; rebuilt only when the file list changes. */
export function fileIndex(snapshot: Snapshot, cache: AnalysisCache): FileIndex {
  return cache.memo(
    'ownership:files',
    `${snapshot.filesVersion}|${snapshot.tracked ? 't' : 'f'}`,
    () => new FileIndex(platformFiles(snapshot)),
  );
}

/** The last resolution per cache, with the analysis it was made with: the next version of the file starts from it. */
const lastRepo = new WeakMap<AnalysisCache, { analysis: CodeownersAnalysis; repo: RepoOwnership }>();

/**
 * The owner of every tracked file, computed once per CODEOWNERS version and file list and shared by every rule, the
 * CLI and the editor. After an edit of a few lines it is updated from the previous version's result
 * (`resolveIncremental`) instead of resolving every file again.
 */
export function repoOwnership(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): RepoOwnership {
  const a = codeownersAnalysis(snapshot, cache, policy);
  const deps = `${a.choice.dialect}|${a.choice.path ?? ''}|${a.choice.path ? snapshot.version(a.choice.path) : ''}|${snapshot.filesVersion}|${snapshot.tracked ? 't' : 'f'}`;
  return cache.memo('ownership:repo', deps, () => {
    const files = fileIndex(snapshot, cache);
    const prev = lastRepo.get(cache);
    const repo = (prev && resolveIncremental(prev.analysis, prev.repo, a, files)) ?? resolveAll(a, files);
    lastRepo.set(cache, { analysis: a, repo });
    return repo;
  });
}

/** Resolve every file from scratch. */
export function resolveAll(a: CodeownersAnalysis, files: FileIndex): RepoOwnership {
  const n = files.paths.length;
  const primary = new Int32Array(n);
  if (a.choice.dialect !== 'gitlab') {
    for (let i = 0; i < n; i++) primary[i] = a.matcher.decidingRule(files.paths[i]!);
    return tally(a, files, primary);
  }
  const owned = new Uint8Array(n);
  const lists = new DecidingBuilder(n);
  for (let i = 0; i < n; i++) {
    const r = a.matcher.resolve(files.paths[i]!);
    lists.add(r.deciding);
    if (isOwned(r)) owned[i] = 1;
  }
  return gitlabRepo(a, files, lists.done(), owned);
}

/** Builds the per-file deciding lists of a GitLab resolution, file by file. */
class DecidingBuilder {
  private readonly start: Uint32Array;
  private rules: Int32Array;
  private n = 0;
  private len = 0;
  constructor(files: number) {
    this.start = new Uint32Array(files + 1);
    this.rules = new Int32Array(Math.max(16, files));
  }
  add(deciding: ArrayLike<number>): void {
    if (this.len + deciding.length > this.rules.length) {
      const grown = new Int32Array(Math.max(this.rules.length * 2, this.len + deciding.length));
      grown.set(this.rules);
      this.rules = grown;
    }
    for (let k = 0; k < deciding.length; k++) this.rules[this.len++] = deciding[k]!;
    this.start[++this.n] = this.len;
  }
  done(): { start: Uint32Array; rules: Int32Array } {
    return { start: this.start, rules: this.rules.subarray(0, this.len) };
  }
}

/** GitLab: primary, wins and the unowned count from the deciding lists and the owned flags. */
function gitlabRepo(
  a: CodeownersAnalysis,
  files: FileIndex,
  deciding: { start: Uint32Array; rules: Int32Array },
  owned: Uint8Array,
): RepoOwnership {
  const n = files.paths.length;
  const primary = new Int32Array(n);
  const wins = new Uint32Array(a.parsed.rules.length);
  let unownedCount = 0;
  for (let i = 0; i < n; i++) {
    const s = deciding.start[i]!;
    const e = deciding.start[i + 1]!;
    primary[i] = e > s ? deciding.rules[e - 1]! : -1;
    for (let k = s; k < e; k++) wins[deciding.rules[k]!]!++;
    if (!owned[i]) unownedCount++;
  }
  return { files, primary, owned, wins, unownedCount, deciding };
}

/** GitHub/Bitbucket: owned, wins and the unowned count from the deciding rule of each file. */
function tally(a: CodeownersAnalysis, files: FileIndex, primary: Int32Array): RepoOwnership {
  const n = files.paths.length;
  const rules = a.parsed.rules;
  const owned = new Uint8Array(n);
  const wins = new Uint32Array(rules.length);
  let unownedCount = 0;
  for (let i = 0; i < n; i++) {
    const d = primary[i]!;
    if (d >= 0) wins[d]!++;
    if (d >= 0 && rules[d]!.effectiveOwners.length) owned[i] = 1;
    else unownedCount++;
  }
  return { files, primary, owned, wins, unownedCount };
}

/** More changed lines than this (old and new together) and a full resolve is as cheap: no incremental update. */
export const INCREMENTAL_MAX_CHANGED = 16;

/**
 * The changed span of two rule lists: the longest common prefix and suffix of rules that match alike (owners are left out, they
 * do not change which rule decides). Old rules [prefix, oldLen - suffix) became new rules [prefix, newLen - suffix);
 * the others map one to one, in order.
 */
export function diffRules(
  before: readonly CodeownersRule[],
  after: readonly CodeownersRule[],
): { prefix: number; suffix: number } {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && sameMatch(before[prefix]!, after[prefix]!)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && sameMatch(before[before.length - 1 - suffix]!, after[after.length - 1 - suffix]!))
    suffix++;
  return { prefix, suffix };
}

/**
 * Update a resolution after an edit (GitHub/Bitbucket, where one rule decides: the last one that matches). A file that
 * no removed and no added rule matches is matched by the same unchanged rules as before, at shifted indices that keep
 * their order, so its deciding rule is the old one, shifted. Only the files a removed or an added rule matches are
 * resolved again. Undefined when this does not apply (another dialect or file list, the whole file ignored before or
 * now, too many changed lines): resolve everything then.
 */
export function resolveIncremental(
  before: CodeownersAnalysis,
  old: RepoOwnership,
  a: CodeownersAnalysis,
  files: FileIndex,
): RepoOwnership | undefined {
  if (old.files !== files || before.choice.dialect !== a.choice.dialect) return undefined;
  if (before.ignoredWhole || a.ignoredWhole) return undefined;
  const oldRules = before.parsed.rules;
  const newRules = a.parsed.rules;
  const { prefix, suffix } = diffRules(oldRules, newRules);
  const oldEnd = oldRules.length - suffix;
  const newEnd = newRules.length - suffix;
  if (oldEnd - prefix + (newEnd - prefix) > INCREMENTAL_MAX_CHANGED) return undefined;
  if (a.choice.dialect === 'gitlab') return gitlabIncremental(before, old, a, files, prefix, oldEnd, newEnd);
  const shift = newRules.length - oldRules.length;
  const n = files.paths.length;
  const primary = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = old.primary[i]!;
    primary[i] = d < prefix ? d : d >= oldEnd ? d + shift : -2; // -2: decided by a removed rule (matched below)
  }
  const affected = new Uint8Array(n);
  for (let r = prefix; r < oldEnd; r++) for (const i of before.matcher.filesMatching(r, files, n)) affected[i] = 1;
  for (let r = prefix; r < newEnd; r++) for (const i of a.matcher.filesMatching(r, files, n)) affected[i] = 1;
  for (let i = 0; i < n; i++) if (affected[i]) primary[i] = a.matcher.decidingRule(files.paths[i]!);
  return tally(a, files, primary);
}

/**
 * resolveIncremental on GitLab, where each section has a deciding rule and exclusions (`!`) count. Which rules decide
 * for a file depends only on the rules that match it (patterns, sections, exclusions), never on owners: a file that no
 * removed or added rule matches keeps its deciding rules (indices shifted) and only whether it is owned is read again
 * from their owners now (an owners edit, or a section's default owners edited, changes nothing else). The other files
 * are resolved again.
 */
function gitlabIncremental(
  before: CodeownersAnalysis,
  old: RepoOwnership,
  a: CodeownersAnalysis,
  files: FileIndex,
  prefix: number,
  oldEnd: number,
  newEnd: number,
): RepoOwnership | undefined {
  const prev = old.deciding;
  if (!prev) return undefined;
  const newRules = a.parsed.rules;
  const shift = newRules.length - before.parsed.rules.length;
  const n = files.paths.length;
  const affected = new Uint8Array(n);
  for (let r = prefix; r < oldEnd; r++) for (const i of before.matcher.filesMatching(r, files, n)) affected[i] = 1;
  for (let r = prefix; r < newEnd; r++) for (const i of a.matcher.filesMatching(r, files, n)) affected[i] = 1;
  const owned = new Uint8Array(n);
  const lists = new DecidingBuilder(n);
  const mapped: number[] = [];
  for (let i = 0; i < n; i++) {
    if (affected[i]) {
      const res = a.matcher.resolve(files.paths[i]!);
      lists.add(res.deciding);
      if (isOwned(res)) owned[i] = 1;
      continue;
    }
    mapped.length = 0;
    for (let k = prev.start[i]!; k < prev.start[i + 1]!; k++) {
      const d = prev.rules[k]!;
      const m = d < prefix ? d : d + shift;
      mapped.push(m);
      const rule = newRules[m]!;
      if (rule.effectiveOwners.length && !a.parsed.sections[rule.section]?.optional) owned[i] = 1;
    }
    lists.add(mapped);
  }
  return gitlabRepo(a, files, lists.done(), owned);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Up to 50 indices (into the file list) of the files a rule's pattern matches, ascending. Kept by pattern text for as
 * long as the file list stays the same, so after an edit only the new or changed patterns are matched again.
 */
export const MATCH_SAMPLE = 50;
export function patternMatches(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  ruleIndex: number,
): readonly number[] {
  return patternMatcher(snapshot, cache, policy)(ruleIndex);
}

/**
 * `patternMatches` for many rules of one CODEOWNERS version: the analysis, the file list and the table by pattern text
 * are looked up once, not per rule.
 */
export function patternMatcher(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
): (ruleIndex: number) => readonly number[] {
  const a = codeownersAnalysis(snapshot, cache, policy);
  const files = fileIndex(snapshot, cache);
  const byText = cache.memo(
    'ownership:pattern-matches',
    `${a.choice.dialect}|${a.ignoredWhole ?? ''}|${snapshot.filesVersion}|${snapshot.tracked ? 't' : 'f'}`,
    () => new BoundedMap<string, readonly number[]>(20_000),
  );
  return (ruleIndex) => {
    const rule = a.parsed.rules[ruleIndex]!;
    if (rule.skipped || !a.matcher.compiled[ruleIndex]) return [];
    let m = byText.get(rule.pattern.text);
    if (!m) {
      m = a.matcher.filesMatching(ruleIndex, files, MATCH_SAMPLE);
      byText.set(rule.pattern.text, m);
    }
    return m;
  };
}

/** Per rule: the index of one tracked file it matches, or -1 (only looked for when the rule decides for no file). */
export function ruleFirstMatches(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): Int32Array {
  const a = codeownersAnalysis(snapshot, cache, policy);
  const repo = repoOwnership(snapshot, cache, policy);
  const deps = `${a.choice.dialect}|${a.choice.path ?? ''}|${a.choice.path ? snapshot.version(a.choice.path) : ''}|${snapshot.filesVersion}|${snapshot.tracked ? 't' : 'f'}`;
  return cache.memo('ownership:first-match', deps, () => {
    const firstMatch = new Int32Array(a.parsed.rules.length).fill(-1);
    const matches = patternMatcher(snapshot, cache, policy);
    for (const rule of a.parsed.rules) {
      if (repo.wins[rule.index]! > 0 || rule.skipped) continue;
      const m = matches(rule.index);
      if (m.length) firstMatch[rule.index] = m[0]!;
    }
    return firstMatch;
  });
}

/** Resolve one path with the analysis (and the lines involved). */
export interface PathOwnership extends Resolution {
  path: string;
  /** The deciding rule shown first: the last deciding line in the file. */
  rule: CodeownersRule | undefined;
  /** Rules that match but lose (overridden), ascending. */
  overridden: CodeownersRule[];
  /** GitLab: the names of the optional sections (`^[Name]`) whose lines decide for the path with owners. */
  optionalSections: string[];
}

export function explainPath(a: CodeownersAnalysis, path: string): PathOwnership {
  const r = a.matcher.resolve(path);
  const rules = a.parsed.rules;
  const rule = r.deciding.length ? rules[r.deciding[r.deciding.length - 1]!] : undefined;
  const deciding = new Set(r.deciding);
  const winningSections = new Set(r.deciding.map((d) => rules[d]!.section));
  const overridden = a.matcher
    .matching(path)
    .filter(
      (i) =>
        !deciding.has(i) &&
        !rules[i]!.negated &&
        winningSections.has(rules[i]!.section) &&
        i < Math.max(...r.deciding.filter((d) => rules[d]!.section === rules[i]!.section)),
    )
    .map((i) => rules[i]!);
  return { ...r, path, rule, overridden, optionalSections: optionalSectionsOf(a, r.deciding) };
}

/** GitLab: the names of the optional sections whose deciding lines (indices, ascending) name owners. */
function optionalSectionsOf(a: CodeownersAnalysis, deciding: readonly number[]): string[] {
  const out: string[] = [];
  for (const d of deciding) {
    const rule = a.parsed.rules[d]!;
    const sec = a.parsed.sections[rule.section];
    if (sec?.optional && rule.effectiveOwners.length && !out.includes(sec.name)) out.push(sec.name);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Policy paths

/** A path the policy protects: an existing file, or a sentinel standing for files that do not exist yet. */
export interface PolicyPath {
  path: string;
  exists: boolean;
  ownership: PathOwnership;
}

export interface PolicyGlob {
  glob: string;
  /** JSON pointer of the policy value (for related locations). */
  pointer: string;
  paths: PolicyPath[];
}

export interface PolicyOwnership {
  mustOwn: PolicyGlob[];
  /** `owners`: glob → required owners. */
  owners: (PolicyGlob & { required: string[] })[];
  /** `teamsOnly` globs (empty when teamsOnly is true or unset). */
  teamsOnly: PolicyGlob[];
  /** Every path the policy names, existing or not. */
  all: Map<string, PolicyPath>;
}

export { policyGlob };

/**
 * Indices of the files that can match a policy glob, without testing every file: an exact path is one binary search,
 * a literal leading directory a range of the sorted list; other globs look at every file.
 */
function* candidateFiles(glob: string, files: FileIndex): Iterable<number> {
  const segs = glob.split('/');
  const literal = (s: string) => s !== '' && !/[*?[\]{}()!+@\\]/.test(s);
  let prefix = '';
  for (const s of segs.slice(0, -1)) {
    if (!literal(s)) break;
    prefix += s + '/';
  }
  if (literal(glob.replace(/\//g, 'x'))) {
    const i = files.lowerBound(glob);
    if (files.paths[i] === glob) yield i;
  } else if (prefix) {
    for (let i = files.lowerBound(prefix); i < files.paths.length && files.paths[i]!.startsWith(prefix); i++) yield i;
  } else {
    // Every literal segment must occur in a matching path: a substring test first, the glob only after.
    const needles = segs.filter(literal);
    for (let i = 0; i < files.paths.length; i++) {
      const p = files.paths[i]!;
      if (needles.every((n) => p.includes(n))) yield i;
    }
  }
}

/** A concrete path that stands for "a file matching this glob that does not exist yet". */
export function sentinelOf(glob: string): string | undefined {
  let g = glob.replace(/^(\*\*\/)+/, '');
  g = g.replace(/\/\*\*$/, '/new-file');
  g = g.replace(/(^|\/)\*\*\//g, '$1');
  g = g.replace(/\{([^,}]*)[^}]*\}/g, '$1');
  g = g.replace(/\[!?\^?([^\]])[^\]]*\]/g, '$1');
  g = g.replace(/[*?]/g, 'x');
  if (!g || g.startsWith('!') || g.includes('**')) return undefined;
  return policyGlob(glob)(g) ? g : undefined;
}

export function policyOwnership(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): PolicyOwnership {
  const a = codeownersAnalysis(snapshot, cache, policy);
  const repo = repoOwnership(snapshot, cache, policy);
  const deps = `${a.choice.path ?? ''}|${a.choice.path ? snapshot.version(a.choice.path) : ''}|${snapshot.filesVersion}|${policy.version}`;
  // Which paths each policy glob names depends on the policy and the file list only, not on CODEOWNERS: kept across
  // CODEOWNERS edits, so a keystroke there only explains those paths again.
  const named = cache.memo(
    'ownership:policy-paths',
    `${snapshot.filesVersion}|${snapshot.tracked ? 't' : 'f'}|${policy.version}`,
    () => {
      const byGlob = new Map<string, { path: string; exists: boolean }[]>();
      return (glob: string) => {
        let hit = byGlob.get(glob);
        if (!hit) {
          const m = policyGlob(glob);
          hit = [];
          for (const i of candidateFiles(glob, repo.files)) {
            const f = repo.files.paths[i]!;
            if (m(f)) hit.push({ path: f, exists: true });
          }
          const s = sentinelOf(glob);
          if (s !== undefined && !hit.some((p) => p.path === s)) hit.push({ path: s, exists: snapshot.fileSet.has(s) });
          byGlob.set(glob, hit);
        }
        return hit;
      };
    },
  );
  return cache.memo('ownership:policy', deps, () => {
    const all = new Map<string, PolicyPath>();
    const prev = lastPolicy.get(cache);
    const reuse =
      prev && prev.policyVersion === policy.version && prev.filesVersion === snapshot.filesVersion
        ? keptExplanations(prev.analysis, a)
        : undefined;
    const explained = new Map<string, Explained>();
    const pathFor = (p: string, exists: boolean): PolicyPath => {
      let pp = all.get(p);
      if (!pp) {
        let e = reuse?.(prev!.explained.get(p), p);
        if (!e) {
          const ownership = explainPath(a, p);
          e = { ownership, matching: a.matcher.matching(p) };
        }
        explained.set(p, e);
        pp = { path: p, exists, ownership: e.ownership };
        all.set(p, pp);
      }
      return pp;
    };
    const expand = (glob: string, pointer: string): PolicyGlob => ({
      glob,
      pointer,
      paths: named(glob).map((n) => pathFor(n.path, n.exists)),
    });
    const o = policy.ownership;
    const mustOwn = (o.mustOwn ?? []).map((g, i) => expand(g, `/ownership/mustOwn/${i}`));
    const owners = Object.entries(o.owners ?? {}).map(([g, req]) => ({
      ...expand(g, `/ownership/owners/${g.replace(/~/g, '~0').replace(/\//g, '~1')}`),
      required: req,
    }));
    const teamsOnly = Array.isArray(o.teamsOnly)
      ? o.teamsOnly.map((g, i) => expand(g, `/ownership/teamsOnly/${i}`))
      : [];
    lastPolicy.set(cache, {
      analysis: a,
      policyVersion: policy.version,
      filesVersion: snapshot.filesVersion,
      explained,
    });
    return { mustOwn, owners, teamsOnly, all };
  });
}

/** A policy path's explanation and every rule that matches it (indices, descending). */
interface Explained {
  ownership: PathOwnership;
  matching: readonly number[];
}

/** The explanations of the last policyOwnership per cache: after an edit of CODEOWNERS most are still right. */
const lastPolicy = new WeakMap<
  AnalysisCache,
  { analysis: CodeownersAnalysis; policyVersion: string; filesVersion: string; explained: Map<string, Explained> }
>();

/**
 * Which explanations of the previous CODEOWNERS version still hold for this one. Which rules match and decide for a
 * path depends on the rules that match it, never on owners, so that part holds when no removed or added rule
 * (diffRules' changed span) matches the path; its rule indices and objects are mapped to the new version's (lines
 * above the span keep their index, lines below shift) and its owners are read again from the deciding rules when one
 * of them changed owners (its own, or on GitLab its section's defaults). Undefined (explain everything) when the
 * whole file was or is ignored, or the dialect or file changed.
 */
function keptExplanations(
  before: CodeownersAnalysis,
  a: CodeownersAnalysis,
): ((e: Explained | undefined, path: string) => Explained | undefined) | undefined {
  if (before === a) return (e) => e;
  if (
    before.choice.dialect !== a.choice.dialect ||
    before.choice.path !== a.choice.path ||
    before.ignoredWhole ||
    a.ignoredWhole
  )
    return undefined;
  const oldRules = before.parsed.rules;
  const newRules = a.parsed.rules;
  const { prefix, suffix } = diffRules(oldRules, newRules);
  const oldEnd = oldRules.length - suffix;
  const shift = newRules.length - oldRules.length;
  const changed: { test(p: string): boolean }[] = [];
  for (let r = prefix; r < oldEnd; r++) {
    const c = before.matcher.compiled[r];
    if (c) changed.push(c);
  }
  for (let r = prefix; r < newRules.length - suffix; r++) {
    const c = a.matcher.compiled[r];
    if (c) changed.push(c);
  }
  const map = (i: number) => (i < prefix ? i : i + shift);
  return (e, path) => {
    if (!e) return undefined;
    let same = shift === 0;
    let owners = true;
    for (const i of e.matching) {
      if (i >= prefix && i < oldEnd) return undefined;
      const o = oldRules[i]!;
      const m = newRules[map(i)]!;
      if (o === m) continue;
      same = false;
      if (owners && !sameStrings(o.effectiveOwners, m.effectiveOwners)) owners = false;
    }
    for (const c of changed) if (c.test(path)) return undefined;
    if (same) return e;
    const po = e.ownership;
    const deciding = po.deciding.map(map);
    // Which rules decide does not depend on owners; the owners are those of the deciding rules now.
    const fresh = a.matcher.resolution(deciding);
    const resolution = owners ? { ...fresh, owners: po.owners } : fresh;
    const rule = po.rule ? newRules[map(po.rule.index)] : undefined;
    const ownership: PathOwnership = {
      ...resolution,
      path: po.path,
      rule,
      overridden: po.overridden.map((r) => newRules[map(r.index)]!),
      optionalSections: optionalSectionsOf(a, deciding),
    };
    return { ownership, matching: e.matching.map(map) };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for messages and fixes

/** "line 12 (`/src/`)", or "no line" */
export function lineRef(rule: CodeownersRule | undefined): string {
  return rule ? `line ${rule.line + 1} (\`${rule.negated ? '!' : ''}${rule.pattern.text}\`)` : 'no line';
}

/** "lines 3 and 7", "line 3", "no earlier line" */
export function linesList(rules: readonly CodeownersRule[], max = 6): string {
  if (!rules.length) return 'no earlier line';
  const nums = rules.map((r) => r.line + 1);
  const shown = nums.slice(0, max);
  const more = nums.length > max ? ` and ${nums.length - max} more` : '';
  if (shown.length === 1) return `line ${shown[0]}${more}`;
  return `lines ${shown.slice(0, -1).join(', ')}${more ? ', ' + shown[shown.length - 1] + more : ' and ' + shown[shown.length - 1]}`;
}

/** Which line decides a path and which earlier lines it overrides, as a sentence fragment. */
export function decision(po: PathOwnership): string {
  if (!po.rule) return 'no CODEOWNERS line matches it';
  if (po.optional) {
    const names = po.optionalSections.map((n) => `\`^[${n}]\``).join(', ');
    const s = po.optionalSections.length > 1 ? 's' : '';
    return `${lineRef(po.rule)} decides, but only in optional section${s} ${names}, so no owner's approval is required`;
  }
  const unowns = po.owners.length === 0 ? ' and un-owns it (no owners on that line)' : '';
  return `${lineRef(po.rule)} decides${unowns}${po.overridden.length ? `, overriding ${linesList(po.overridden)}` : ''}`;
}

/** Owners as text. */
export function ownersText(owners: readonly string[]): string {
  return owners.length ? owners.join(' ') : 'no owner';
}

/** A catch-all pattern: one that matches every path. */
export function isCatchAll(rule: CodeownersRule | undefined, a: CodeownersAnalysis): boolean {
  return rule !== undefined && a.matcher.compiled[rule.index]?.everything === true;
}

/** A CODEOWNERS pattern for a policy glob (for fixes); undefined when CODEOWNERS cannot express it. */
export function globToPattern(glob: string): string | undefined {
  let g = glob;
  let floating = false;
  while (g.startsWith('**/')) {
    g = g.slice(3);
    floating = true;
  }
  let dir = false;
  if (g.endsWith('/**')) {
    g = g.slice(0, -3);
    dir = true;
  }
  if (!g || /[{}[\]!]/.test(g) || g.includes('**')) return undefined;
  const esc = g.replace(/ /g, '\\ ');
  if (floating && !esc.includes('/')) return dir ? `${esc}/` : esc;
  if (floating) return `**/${esc}${dir ? '/' : ''}`;
  return `/${esc}${dir ? '/' : ''}`;
}

/** Lowercased owners, for comparisons (owners are case-insensitive on every platform). */
export function ownerKey(o: string): string {
  return o.toLowerCase();
}

/** The owners the policy requires for a path (union over the `owners` globs that match it). */
export function requiredOwnersFor(policy: ResolvedPolicy, path: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const [g, req] of Object.entries(policy.ownership.owners ?? {})) {
    if (!policyGlob(g)(path)) continue;
    for (const o of req) {
      if (seen.has(ownerKey(o))) continue;
      seen.add(ownerKey(o));
      out.push(o);
    }
  }
  return out;
}

/** Owners to propose in a fix for a path: the policy's required owners, else whoever owns the CODEOWNERS file. */
export function proposedOwnersFor(a: CodeownersAnalysis, policy: ResolvedPolicy, path: string): string[] {
  const req = requiredOwnersFor(policy, path);
  if (req.length) return req;
  if (a.choice.path) {
    const self = explainPath(a, a.choice.path);
    if (self.owners.length && !isCatchAll(self.rule, a)) return self.owners;
  }
  return [];
}

/** Where a new CODEOWNERS file goes for a dialect. */
export function defaultCodeownersPath(dialect: Dialect): string {
  return dialect === 'gitlab'
    ? '.gitlab/CODEOWNERS'
    : dialect === 'bitbucket'
      ? '.bitbucket/CODEOWNERS'
      : '.github/CODEOWNERS';
}

/**
 * The lines an appended line with one of these patterns would leave deciding nothing (GitHub, Bitbucket): each decides
 * for some tracked files or policy paths now, and the new line, being last, would match every one of them. A fix that
 * appends the line deletes these too, which changes no resolution and leaves no owners/shadowed-rule behind.
 */
export function deadAfterAppend(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  patterns: readonly string[],
): number[] {
  const a = codeownersAnalysis(snapshot, cache, policy);
  if (a.choice.dialect === 'gitlab' || a.ignoredWhole || !patterns.length) return [];
  const tests: ((p: string) => boolean)[] = [];
  for (const p of patterns) {
    try {
      const c = compilePattern(p, a.choice.dialect);
      tests.push((x) => c.test(x));
    } catch {
      // not a pattern we can match: it overrides nothing
    }
  }
  const repo = repoOwnership(snapshot, cache, policy);
  const pol = policyOwnership(snapshot, cache, policy);
  const lost = new Uint32Array(a.parsed.rules.length);
  const alive = new Uint8Array(a.parsed.rules.length);
  // The files the patterns match depend on the file list only: kept by pattern set while it stays, so a fix offered
  // again after a CODEOWNERS keystroke does not test every file again.
  const byPatterns = cache.memo(
    'ownership:append-matches',
    `${a.choice.dialect}|${snapshot.filesVersion}|${snapshot.tracked ? 't' : 'f'}`,
    () => new BoundedMap<string, Uint32Array>(1_000),
  );
  const key = patterns.join('\n');
  let hits = byPatterns.get(key);
  if (!hits) {
    const paths = repo.files.paths;
    const found: number[] = [];
    for (let i = 0; i < paths.length; i++) if (tests.some((t) => t(paths[i]!))) found.push(i);
    hits = Uint32Array.from(found);
    byPatterns.set(key, hits);
  }
  for (const i of hits) {
    const d = repo.primary[i]!;
    if (d >= 0) lost[d]!++;
  }
  for (const pp of pol.all.values())
    for (const d of pp.ownership.deciding) if (!tests.some((t) => t(pp.path))) alive[d] = 1;
  const out: number[] = [];
  for (let d = 0; d < lost.length; d++) if (lost[d]! > 0 && lost[d] === repo.wins[d] && !alive[d]) out.push(d);
  return out;
}
