// The paths the policy protects and who owns them (policyOwnership), memoised in the AnalysisCache by CODEOWNERS
// version, file list and policy version.

import type { AnalysisCache } from '../cache';
import { policyGlob } from '../glob';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import {
  codeownersAnalysis,
  explainPath,
  optionalSectionsOf,
  type CodeownersAnalysis,
  type PathOwnership,
} from './analysis';
import type { FileIndex } from './matcher';
import { diffRules, repoOwnership, sameStrings } from './repo-ownership';

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
