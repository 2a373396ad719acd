// The owner of every tracked file (repoOwnership), updated incrementally after an edit of a few CODEOWNERS lines, and
// the files each rule's pattern matches. Memoised in the AnalysisCache by CODEOWNERS version and file list.

import { BoundedMap, type AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import { codeownersAnalysis, type CodeownersAnalysis } from './analysis';
import { FileIndex, isOwned, sameMatch } from './matcher';
import type { CodeownersRule } from './parse';

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

export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
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
