// Helpers for messages and fixes of the ownership rules.

import { BoundedMap, type AnalysisCache } from '../cache';
import { policyGlob } from '../glob';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import { codeownersAnalysis, explainPath, type CodeownersAnalysis, type PathOwnership } from './analysis';
import type { Dialect, CodeownersRule } from './parse';
import { compilePattern } from './pattern';
import { policyOwnership } from './policy-ownership';
import { repoOwnership } from './repo-ownership';

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
