// Who owns a path: last match wins (per section on GitLab, where a file's owners are the union of each section's
// last match and a `!` exclusion takes the file out of its section for good).
//
// Fast without testing every rule against every path: each rule sits in one bucket — a trie of literal leading
// directories for anchored rules, a map of literal segment names for floating ones, a map of extensions for
// `*.ext`, or the few rules that can match anything. A path is tested only against the rules of the buckets its
// own segments reach, newest first, and stops at the first match. The candidates that come from a directory are
// computed once per directory, and a rule that owns a whole directory (`/src/`, `docs/`, `*`) cuts off every
// older candidate below it.

import type { CodeownersRule, Dialect, ParsedCodeowners } from './parse';
import { exact } from './exact';
import { compilePattern, type CompiledPattern } from './pattern';

interface TrieNode {
  /** Created with the first child: most nodes are leaves. */
  children: Map<string, TrieNode> | undefined;
  rules: number[];
}

interface DirInfo {
  /** Candidate rule indices from the directory's segments, newest first, all above `cutoff`. */
  cands: number[];
  /** A rule that owns every file of this directory (or -1): older rules never win here. */
  cutoff: number;
  /** The trie node of the directory's path, when anchored rules go that deep. */
  node: TrieNode | undefined;
}

export interface Resolution {
  /** The deciding rule of each section (indices into `parsed.rules`), ascending. Empty: no rule matches. */
  deciding: number[];
  /** The effective owners (union over sections, first spelling kept, case-insensitive). */
  owners: string[];
  /**
   * GitLab: every deciding rule that names owners is in an optional section (`^[Name]`), so no approval is required:
   * the path has owners but is not owned in the sense that matters (someone must approve). False elsewhere.
   */
  optional: boolean;
}

/** Whether a path is owned: some owner's approval is required (not only owners of optional GitLab sections). */
export function isOwned(r: Resolution): boolean {
  return r.owners.length > 0 && !r.optional;
}

const NONE: readonly number[] = [];
const EMPTY: Resolution = Object.freeze({ deciding: [], owners: [], optional: false });

function extOf(seg: string): string | undefined {
  const i = seg.lastIndexOf('.');
  return i === -1 || i === seg.length - 1 ? undefined : seg.slice(i + 1);
}

/** Merge two lists sorted descending into one, without duplicates. */
function mergeDesc(a: number[], b: number[]): number[] {
  if (!b.length) return a;
  if (!a.length) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : -1;
    const y = j < b.length ? b[j]! : -1;
    const v = x >= y ? x : y;
    if (x === v) i++;
    if (y === v) j++;
    if (out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** Whether two rules match exactly the same paths (owners aside): same pattern, section, negation, skipped. */
export function sameMatch(a: CodeownersRule, b: CodeownersRule): boolean {
  return (
    a === b ||
    (a.pattern.text === b.pattern.text && a.section === b.section && a.negated === b.negated && a.skipped === b.skipped)
  );
}

function sameMatching(a: readonly CodeownersRule[], b: readonly CodeownersRule[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameMatch(a[i]!, b[i]!)) return false;
  return true;
}

export class OwnershipMatcher {
  readonly dialect: Dialect;
  readonly rules: readonly CodeownersRule[];
  /** Compiled pattern by rule index; undefined for a line the platform skips. */
  readonly compiled: readonly (CompiledPattern | undefined)[];
  private readonly trie: TrieNode;
  private readonly segMap: Map<string, number[]>;
  private readonly extMap: Map<string, number[]>;
  private always: number[];
  /** Patterns that could not be compiled (rule index, reason). */
  readonly compileErrors: { rule: number; message: string }[];
  private readonly dirs: Map<string, DirInfo>;
  private readonly ignoreAll: boolean;
  /** GitLab: several sections or exclusions, so every candidate is looked at. */
  private readonly sectioned: boolean;
  private readonly useCutoff: boolean;

  /** Compiled patterns (or the compile error) by pattern text, for the next version of the file to reuse. */
  private readonly byText: Map<string, CompiledPattern | string>;

  /**
   * `previous`: the matcher of an earlier version of the same file (same dialect); its compiled patterns are reused
   * by pattern text, so an edit of one line compiles one pattern, not 2,000. Compiling is pure, so this is exact.
   * When every rule matches as the previous version's rule at the same index did (an edit of owners or comments), the
   * whole index is shared with it: which rules match a path depends only on that, never on owners.
   */
  constructor(
    readonly parsed: ParsedCodeowners,
    options: { ignoreAll?: boolean; previous?: OwnershipMatcher } = {},
  ) {
    this.dialect = parsed.dialect;
    this.rules = parsed.rules;
    this.sectioned = parsed.dialect === 'gitlab';
    this.useCutoff = !this.sectioned;
    this.ignoreAll = options.ignoreAll === true;
    const prev = options.previous;
    if (
      prev &&
      prev.dialect === this.dialect &&
      prev.ignoreAll === this.ignoreAll &&
      sameMatching(prev.rules, this.rules)
    ) {
      this.compiled = prev.compiled;
      this.trie = prev.trie;
      this.segMap = prev.segMap;
      this.extMap = prev.extMap;
      this.always = prev.always;
      this.compileErrors = prev.compileErrors;
      this.dirs = prev.dirs;
      this.byText = prev.byText;
      return;
    }
    this.trie = { children: undefined, rules: [] };
    this.segMap = new Map();
    this.extMap = new Map();
    this.always = [];
    this.compileErrors = [];
    this.dirs = new Map();
    this.byText = new Map();
    const compiled: (CompiledPattern | undefined)[] = [];
    for (const r of parsed.rules) {
      if (r.skipped || options.ignoreAll) {
        compiled.push(undefined);
        continue;
      }
      let c: CompiledPattern | string | undefined = this.byText.get(r.pattern.text);
      if (c === undefined && options.previous?.dialect === parsed.dialect)
        c = options.previous.byText.get(r.pattern.text);
      if (c === undefined) {
        try {
          c = compilePattern(r.pattern.text, parsed.dialect);
        } catch (err) {
          c = err instanceof Error ? err.message : String(err);
        }
      }
      this.byText.set(r.pattern.text, c);
      if (typeof c === 'string') {
        // A pattern no engine can compile (RE2's size limit): it matches nothing, and owners/syntax says so.
        this.compileErrors.push({ rule: r.index, message: c });
        compiled.push(undefined);
        continue;
      }
      compiled.push(c);
      if (c.matchesNothing) continue;
      if (c.anchorPrefix.length) {
        let node = this.trie;
        for (const s of c.anchorPrefix) {
          let next = node.children?.get(s);
          if (!next) {
            next = { children: undefined, rules: [] };
            (node.children ??= new Map()).set(s, next);
          }
          node = next;
        }
        node.rules.push(r.index);
      } else if (c.requiredSegment !== undefined) {
        push(this.segMap, c.requiredSegment, r.index);
      } else if (c.requiredExt !== undefined) {
        push(this.extMap, c.requiredExt, r.index);
      } else {
        this.always.push(r.index);
      }
    }
    this.compiled = compiled;
    // Bucket lists newest first: each was filled in file order, and rule i has index i (parseCodeowners numbers the
    // rules as it keeps them, and a reused rule only at its own place), so reversing sorts it.
    const sortDesc = (xs: number[]) => exact(xs.reverse());
    const walk = (n: TrieNode) => {
      n.rules = sortDesc(n.rules);
      if (n.children) for (const c of n.children.values()) walk(c);
    };
    walk(this.trie);
    for (const [k, xs] of this.segMap) this.segMap.set(k, sortDesc(xs));
    for (const [k, xs] of this.extMap) this.extMap.set(k, sortDesc(xs));
    this.always = sortDesc(this.always);
  }

  /**
   * Does this rule own every file of a directory (GitHub/Bitbucket)? Only asked about the rules a directory's own
   * last segment brings in: an anchored literal rule from the directory's trie node (its prefix is exactly the
   * directory), or a floating literal rule from that segment's name, so any such "subtree" rule covers it.
   */
  private covers(ruleIndex: number): boolean {
    const c = this.compiled[ruleIndex];
    if (!c || this.rules[ruleIndex]!.negated) return false;
    return c.everything || c.subtree !== undefined;
  }

  private dirInfo(dir: string): DirInfo {
    const hit = this.dirs.get(dir);
    if (hit) return hit;
    let info: DirInfo;
    if (dir === '') {
      let cutoff = -1;
      if (this.useCutoff)
        for (const r of this.always)
          if (this.compiled[r]?.everything && !this.rules[r]!.negated) cutoff = Math.max(cutoff, r);
      info = { cands: this.always.filter((r) => r > cutoff), cutoff, node: this.trie };
    } else {
      const slash = dir.lastIndexOf('/');
      info = this.childInfo(this.dirInfo(slash === -1 ? '' : dir.slice(0, slash)), dir.slice(slash + 1));
    }
    this.dirs.set(dir, info);
    return info;
  }

  /** The candidates of the directory `seg` inside the directory whose candidates are `parent`. */
  private childInfo(parent: DirInfo, seg: string): DirInfo {
    const node = parent.node?.children?.get(seg);
    let added: number[] = node?.rules ?? [];
    const bySeg = this.segMap.get(seg);
    if (bySeg) added = mergeDesc(added, bySeg);
    const ext = extOf(seg);
    const byExt = ext === undefined ? undefined : this.extMap.get(ext);
    if (byExt) added = mergeDesc(added, byExt);
    let cutoff = parent.cutoff;
    if (!added.length) return { cands: parent.cands, cutoff, node };
    if (this.useCutoff) {
      for (const r of added)
        if (r > cutoff && (node?.rules.includes(r) || bySeg?.includes(r)) && this.covers(r)) cutoff = r;
    }
    const merged = mergeDesc(parent.cands, added);
    return { cands: exact(cutoff === -1 ? merged : merged.filter((r) => r > cutoff)), cutoff, node };
  }

  /** The directories of the last path given to `decidingRuleInOrder`, root first: paths (`a/b` for `a/b/c.ts`). */
  private chainDirs: string[] = [];
  /** Their candidates. */
  private chainInfos: DirInfo[] = [];

  /**
   * The candidates of the directory of `path` (its first `dirLen` characters), reached from the last path's
   * directories: the deepest of them that holds it is kept, those below it are replaced by its own. Nothing is added
   * to the matcher's cache. `path` does not start with `/`.
   */
  private chainInfo(path: string, dirLen: number): DirInfo {
    if (dirLen === 0) return this.dirInfo('');
    const dirs = this.chainDirs;
    const infos = this.chainInfos;
    let k = dirs.length;
    while (k > 0) {
      const d = dirs[k - 1]!;
      if (d.length <= dirLen && path.startsWith(d) && (d.length === dirLen || path[d.length] === '/')) break;
      k--;
    }
    if (k > 0 && dirs[k - 1]!.length === dirLen) {
      dirs.length = k;
      infos.length = k;
      return infos[k - 1]!;
    }
    dirs.length = k;
    infos.length = k;
    let info = k > 0 ? infos[k - 1]! : this.dirInfo('');
    for (let from = k > 0 ? dirs[k - 1]!.length + 1 : 0; from <= dirLen;) {
      const slash = path.indexOf('/', from);
      const end = slash === -1 || slash > dirLen ? dirLen : slash;
      info = this.childInfo(info, path.slice(from, end));
      dirs.push(path.slice(0, end));
      infos.push(info);
      from = end + 1;
    }
    return info;
  }

  /** The rules that can match a file (from its basename) on top of its directory's candidates, newest first. */
  private baseCandidates(info: DirInfo, base: string): number[] {
    let extra: number[] = [];
    const node = info.node?.children?.get(base);
    if (node?.rules.length) extra = node.rules;
    const bySeg = this.segMap.get(base);
    if (bySeg) extra = mergeDesc(extra, bySeg);
    const ext = extOf(base);
    const byExt = ext === undefined ? undefined : this.extMap.get(ext);
    if (byExt) extra = mergeDesc(extra, byExt);
    return extra;
  }

  private lastDir: string | undefined;
  private lastInfo: DirInfo | undefined;

  /**
   * GitHub/Bitbucket fast path: the index of the rule that decides for a path, or -1. No allocation per call;
   * consecutive paths of one directory (a sorted file list) share the directory's candidates.
   */
  decidingRule(path: string): number {
    if (this.sectioned) {
      const d = this.resolve(path).deciding;
      return d.length ? d[d.length - 1]! : -1;
    }
    const slash = path.lastIndexOf('/');
    let info: DirInfo;
    const dirLen = slash === -1 ? 0 : slash;
    const last = this.lastDir;
    if (last !== undefined && last.length === dirLen && path.startsWith(last) && (dirLen === 0 || path[dirLen] === '/'))
      info = this.lastInfo!;
    else {
      const dir = slash === -1 ? '' : path.slice(0, slash);
      info = this.dirInfo(dir);
      this.lastDir = dir;
      this.lastInfo = info;
    }
    return this.decide(path, slash, info);
  }

  /**
   * `decidingRule` for the paths of a pass in git's order (`flywheel owners --all | --unowned`): a path's directory
   * is reached from the last path's directories (consecutive paths of a sorted list share most of them) instead of
   * being looked up and kept in the matcher's cache of directories, which a pass that never comes back to a directory
   * would only fill (22,000 directories at 50,000 files). Same answer as `decidingRule` in any order; fast in git's.
   */
  decidingRuleInOrder(path: string): number {
    // GitLab's sections and a path with a leading `/` (never one git lists) take the general way.
    if (this.sectioned || path.charCodeAt(0) === 0x2f) return this.decidingRule(path);
    const slash = path.lastIndexOf('/');
    return this.decide(path, slash, this.chainInfo(path, slash === -1 ? 0 : slash));
  }

  /** The deciding rule of a path (its last `/` at `slash`) among its directory's candidates and its name's. */
  private decide(path: string, slash: number, info: DirInfo): number {
    const base = slash === -1 ? path : path.slice(slash + 1);
    const a = info.cands;
    const b = info.node?.children?.get(base)?.rules ?? NONE;
    const c = this.segMap.get(base) ?? NONE;
    const ext = extOf(base);
    const d = ext === undefined ? NONE : (this.extMap.get(ext) ?? NONE);
    const cutoff = info.cutoff;
    const compiled = this.compiled;
    // Most files bring no candidates of their own name (b, c): the directory's list alone, or with the extension's.
    if (b.length === 0 && c.length === 0) {
      let ia = 0;
      let id = 0;
      for (;;) {
        const x = ia < a.length ? a[ia]! : -1;
        const w = id < d.length ? d[id]! : -1;
        const r = x >= w ? x : w;
        if (r <= cutoff) return cutoff;
        if (x === r) ia++;
        if (w === r) id++;
        if (compiled[r]!.test(path)) return r;
      }
    }
    let ia = 0;
    let ib = 0;
    let ic = 0;
    let id = 0;
    for (;;) {
      const x = ia < a.length ? a[ia]! : -1;
      const y = ib < b.length ? b[ib]! : -1;
      const z = ic < c.length ? c[ic]! : -1;
      const w = id < d.length ? d[id]! : -1;
      const r = Math.max(x, y, z, w);
      if (r <= cutoff) return cutoff;
      if (x === r) ia++;
      if (y === r) ib++;
      if (z === r) ic++;
      if (w === r) id++;
      if (compiled[r]!.test(path)) return r;
    }
  }

  /** Who owns a root-relative path (it need not exist). */
  resolve(path: string): Resolution {
    const slash = path.lastIndexOf('/');
    const info = this.dirInfo(slash === -1 ? '' : path.slice(0, slash));
    const extra = this.baseCandidates(info, path.slice(slash + 1));
    const cands = info.cands;
    const cutoff = info.cutoff;
    if (!this.sectioned) {
      let i = 0;
      let j = 0;
      while (i < cands.length || j < extra.length) {
        const x = i < cands.length ? cands[i]! : -1;
        const y = j < extra.length ? extra[j]! : -1;
        const r = x >= y ? x : y;
        if (r <= cutoff) break;
        if (x === r) i++;
        if (y === r) j++;
        if (this.compiled[r]!.test(path)) return this.resolution([r]);
      }
      return cutoff >= 0 ? this.resolution([cutoff]) : EMPTY;
    }
    const winners = new Map<number, number>();
    const excluded = new Set<number>();
    for (const r of mergeDesc(cands, extra)) {
      const rule = this.rules[r]!;
      if (excluded.has(rule.section) || (winners.has(rule.section) && !rule.negated)) continue;
      if (!this.compiled[r]!.test(path)) continue;
      if (rule.negated) excluded.add(rule.section);
      else winners.set(rule.section, r);
    }
    for (const s of excluded) winners.delete(s);
    if (!winners.size) return EMPTY;
    return this.resolution([...winners.values()].sort((a, b) => a - b));
  }

  /** The resolution made of these deciding rules (ascending): their owners, united case-insensitively. */
  resolution(deciding: number[]): Resolution {
    const sections = this.parsed.sections;
    const inOptional = (r: number): boolean => {
      const rule = this.rules[r]!;
      return rule.effectiveOwners.length > 0 && sections[rule.section]?.optional === true;
    };
    if (deciding.length === 1) {
      const r = deciding[0]!;
      return { deciding, owners: this.rules[r]!.effectiveOwners, optional: inOptional(r) };
    }
    const seen = new Set<string>();
    const owners: string[] = [];
    let required = false;
    for (const r of deciding) {
      const rule = this.rules[r]!;
      if (rule.effectiveOwners.length && !inOptional(r)) required = true;
      for (const o of rule.effectiveOwners) {
        const k = o.toLowerCase();
        if (seen.has(k)) continue;
        seen.add(k);
        owners.push(o);
      }
    }
    return { deciding, owners, optional: owners.length > 0 && !required };
  }

  /** Every rule that matches a path (exclusions included), ascending: for "which earlier lines it overrides". */
  matching(path: string): number[] {
    const segs = path.split('/');
    let cands = this.always;
    let node: TrieNode | undefined = this.trie;
    for (const s of segs) {
      node = node?.children?.get(s);
      if (node?.rules.length) cands = mergeDesc(cands, node.rules);
      const bySeg = this.segMap.get(s);
      if (bySeg) cands = mergeDesc(cands, bySeg);
      const ext = extOf(s);
      const byExt = ext === undefined ? undefined : this.extMap.get(ext);
      if (byExt) cands = mergeDesc(cands, byExt);
    }
    return cands.filter((r) => this.compiled[r]!.test(path)).reverse();
  }

  /** Up to `limit` indices (into `files`) of files this rule matches. */
  filesMatching(ruleIndex: number, files: FileIndex, limit: number): number[] {
    const c = this.compiled[ruleIndex];
    if (!c || c.matchesNothing) return [];
    const out: number[] = [];
    const consider = (i: number) => {
      if (c.test(files.paths[i]!)) out.push(i);
      return out.length >= limit;
    };
    if (c.anchorPrefix.length) {
      const prefix = c.anchorPrefix.join('/');
      for (let i = files.lowerBound(prefix); i < files.paths.length && files.paths[i]!.startsWith(prefix); i++)
        if (consider(i)) break;
    } else if (c.requiredSegment !== undefined) {
      for (const i of files.withSegment(c.requiredSegment)) if (consider(i)) break;
    } else if (c.requiredExt !== undefined) {
      for (const i of files.withExt(c.requiredExt)) if (consider(i)) break;
    } else {
      for (let i = 0; i < files.paths.length; i++) if (consider(i)) break;
    }
    return out;
  }
}

function push(map: Map<string, number[]>, key: string, v: number): void {
  const xs = map.get(key);
  if (xs) xs.push(v);
  else map.set(key, [v]);
}

/**
 * A sorted file list with lazily built indices: file name → files, and directory segment → runs of files (files of
 * one directory sit together in the sorted list, so a directory's segments are indexed once, not once per file).
 */
export class FileIndex {
  readonly paths: readonly string[];
  private byBase?: Map<string, number[]>;
  private byDirSeg?: Map<string, [number, number][]>;
  private readonly segCache = new Map<string, number[]>();
  private readonly extCache = new Map<string, number[]>();

  constructor(paths: readonly string[]) {
    const sorted = [...paths];
    sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.paths = sorted;
  }

  lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.paths.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.paths[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private build(): void {
    const byBase = new Map<string, number[]>();
    const byDirSeg = new Map<string, [number, number][]>();
    const paths = this.paths;
    let runDir: string | undefined;
    let runStart = 0;
    const closeRun = (end: number) => {
      if (runDir === undefined || runDir === '') return;
      const seen = new Set<string>();
      for (const seg of runDir.split('/')) {
        if (seen.has(seg)) continue;
        seen.add(seg);
        const xs = byDirSeg.get(seg);
        if (xs) xs.push([runStart, end]);
        else byDirSeg.set(seg, [[runStart, end]]);
      }
    };
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i]!;
      const slash = p.lastIndexOf('/');
      const base = slash === -1 ? p : p.slice(slash + 1);
      const xs = byBase.get(base);
      if (xs) xs.push(i);
      else byBase.set(base, [i]);
      const dirLen = slash === -1 ? 0 : slash;
      if (
        runDir === undefined ||
        runDir.length !== dirLen ||
        !p.startsWith(runDir) ||
        (dirLen > 0 && p[dirLen] !== '/')
      ) {
        closeRun(i);
        runDir = p.slice(0, dirLen);
        runStart = i;
      }
    }
    closeRun(paths.length);
    this.byBase = byBase;
    this.byDirSeg = byDirSeg;
  }

  /** Files with a segment (directory or file name) equal to `seg`, ascending. */
  withSegment(seg: string): readonly number[] {
    let out = this.segCache.get(seg);
    if (!out) {
      if (!this.byBase) this.build();
      const set = new Set<number>(this.byBase!.get(seg) ?? []);
      for (const [a, b] of this.byDirSeg!.get(seg) ?? []) for (let i = a; i < b; i++) set.add(i);
      out = [...set].sort((x, y) => x - y);
      this.segCache.set(seg, out);
    }
    return out;
  }

  /** Files with a segment whose extension (after its last `.`) is `ext`, ascending. */
  withExt(ext: string): readonly number[] {
    let out = this.extCache.get(ext);
    if (!out) {
      if (!this.byBase) this.build();
      const set = new Set<number>();
      for (const [name, xs] of this.byBase!) if (extOf(name) === ext) for (const i of xs) set.add(i);
      for (const [name, runs] of this.byDirSeg!)
        if (extOf(name) === ext) for (const [a, b] of runs) for (let i = a; i < b; i++) set.add(i);
      out = [...set].sort((x, y) => x - y);
      this.extCache.set(ext, out);
    }
    return out;
  }
}
