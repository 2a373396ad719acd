// Symlinked governance files (CLAUDE.md → CONTRIBUTING.md, CLAUDE.md → AGENTS.md). What an agent reads through the
// link is the target's text, and a change to that text is a change to the target: CODEOWNERS matches the changed
// path, never the name it is read under. So a linked file is protected only if its target is owned, and the
// ownership the rules judge for it is the target's. The messages say so (`symlinkTo`), so that nobody adds a line for
// the link and believes the file protected. A dangling link is the host's to report (workspace/unreadable).

import type { AnalysisCache } from '../cache';
import { policyGlob } from '../glob';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import type { Fix } from '../types';
import { codeownersAnalysis, explainPath, type CodeownersAnalysis, type PathOwnership } from './analysis';
import { appendFix } from './fixes';
import { deadAfterAppend, decision, globToPattern } from './messages';
import { policyOwnership, type PolicyGlob, type PolicyOwnership, type PolicyPath } from './policy-ownership';

/** A path's ownership as the rules judge it: the target's when the path is a symlink to another repository file. */
export interface JudgedOwnership extends PathOwnership {
  /** The path is a symlink: the root-relative path of the file it resolves to, whose ownership this is. */
  symlinkTo?: string;
}

export interface JudgedPolicyPath extends PolicyPath {
  ownership: JudgedOwnership;
}

const LINKS = new WeakMap<Snapshot, { governance: Snapshot['governance']; links: Map<string, string> }>();

/** Symlinked governance files of the snapshot: link path → target path (both root-relative). */
export function symlinks(snapshot: Snapshot): ReadonlyMap<string, string> {
  const hit = LINKS.get(snapshot);
  if (hit && hit.governance === snapshot.governance) return hit.links;
  const links = new Map<string, string>();
  for (const g of snapshot.governance) if (g.symlinkTo && g.symlinkTo !== g.path) links.set(g.path, g.symlinkTo);
  LINKS.set(snapshot, { governance: snapshot.governance, links });
  return links;
}

/** The ownership that protects what is read at `path`: its own, or its target's when it is a symlink. */
export function judgedOwnership(
  snapshot: Snapshot,
  a: CodeownersAnalysis,
  path: string,
  own?: PathOwnership,
): JudgedOwnership {
  const target = symlinks(snapshot).get(path);
  if (target === undefined) return own ?? explainPath(a, path);
  return { ...explainPath(a, target), path, symlinkTo: target };
}

const JUDGED = new WeakMap<
  PolicyOwnership,
  { snapshot: Snapshot; links: ReadonlyMap<string, string>; judged: JudgedPolicy }
>();

export interface JudgedPolicy extends PolicyOwnership {
  mustOwn: (PolicyGlob & { paths: JudgedPolicyPath[] })[];
  owners: (PolicyGlob & { paths: JudgedPolicyPath[]; required: string[] })[];
  teamsOnly: (PolicyGlob & { paths: JudgedPolicyPath[] })[];
  all: Map<string, JudgedPolicyPath>;
}

/** policyOwnership, with every symlinked path judged by its target's ownership. */
export function judgedPolicyOwnership(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): JudgedPolicy {
  const pol = policyOwnership(snapshot, cache, policy);
  const links = symlinks(snapshot);
  if (!links.size || ![...links.keys()].some((l) => pol.all.has(l))) return pol;
  const hit = JUDGED.get(pol);
  if (hit && hit.snapshot === snapshot && hit.links === links) return hit.judged;
  const a = codeownersAnalysis(snapshot, cache, policy);
  const all = new Map<string, JudgedPolicyPath>();
  for (const [p, pp] of pol.all) {
    const target = links.get(p);
    if (target === undefined) {
      all.set(p, pp);
      continue;
    }
    // The target's explanation: the policy's when it names the target too, else resolved here.
    const ownership = pol.all.get(target)?.ownership ?? explainPath(a, target);
    all.set(p, { ...pp, ownership: { ...ownership, path: p, symlinkTo: target } });
  }
  const map = <G extends PolicyGlob>(g: G): G => ({ ...g, paths: g.paths.map((p) => all.get(p.path) ?? p) });
  const judged: JudgedPolicy = {
    mustOwn: pol.mustOwn.map(map),
    owners: pol.owners.map(map),
    teamsOnly: pol.teamsOnly.map(map),
    all,
  };
  JUDGED.set(pol, { snapshot, links, judged });
  return judged;
}

/** `` `CLAUDE.md` `` or `` `CLAUDE.md` (a symlink to `AGENTS.md`) `` */
export function pathText(p: { path: string; ownership: JudgedOwnership }): string {
  return p.ownership.symlinkTo ? `\`${p.path}\` (a symlink to \`${p.ownership.symlinkTo}\`)` : `\`${p.path}\``;
}

/** For a message that puts `{path}` in backticks: `CLAUDE.md` → `AGENTS.md` for a symlink. */
export function linkedPath(p: { path: string; ownership: JudgedOwnership }): string {
  return p.ownership.symlinkTo ? `${p.path}\` → \`${p.ownership.symlinkTo}` : p.path;
}

/** decision(), saying whose ownership was judged when the path is a symlink. */
export function judgedDecision(po: JudgedOwnership): string {
  if (!po.symlinkTo) return decision(po);
  return `what agents read there is \`${po.symlinkTo}\`, whose ownership is what counts: ${decision(po)}`;
}

/**
 * The CODEOWNERS patterns a fix should add for the paths flagged under one glob: a line for each target the symlinks
 * among them resolve to, and one for the glob when some of them are not symlinks. So a CLAUDE.md glob whose every match
 * links to `AGENTS.md` gets `/AGENTS.md` alone, but one that also matches real CLAUDE.md files gets both lines.
 * Empty when one of them has no CODEOWNERS pattern (a glob with braces, …): a fix that left some paths unowned would
 * be no fix.
 */
export function fixPatterns(glob: string, paths: readonly { ownership: JudgedOwnership }[]): string[] {
  const targets = new Set<string>();
  let plain = !paths.length;
  for (const p of paths) {
    if (p.ownership.symlinkTo) targets.add(p.ownership.symlinkTo);
    else plain = true;
  }
  // The glob's line covers a target it matches.
  const inGlob = plain ? policyGlob(glob) : () => false;
  const out = new Set<string>();
  for (const g of plain ? [glob, ...[...targets].filter((t) => !inGlob(t))] : targets) {
    const pattern = globToPattern(g);
    if (pattern === undefined) return [];
    out.add(pattern);
  }
  return [...out];
}

/**
 * The fix that appends a line giving `owners` to each of `patterns` (from fixPatterns) and deletes the lines they
 * leave dead: "Add a CODEOWNERS line <what>", or "Add CODEOWNERS lines <what>" for several. None without patterns.
 */
export function appendPatternsFix(
  ctx: { snapshot: Snapshot; cache: AnalysisCache; policy: ResolvedPolicy },
  a: CodeownersAnalysis,
  patterns: readonly string[],
  owners: readonly string[],
  what: string,
): Fix | undefined {
  if (!patterns.length) return undefined;
  return appendFix(
    a,
    `Add ${patterns.length > 1 ? 'CODEOWNERS lines' : 'a CODEOWNERS line'} ${what}`,
    patterns.map((p) => `${p} ${owners.join(' ')}`),
    true,
    deadAfterAppend(ctx.snapshot, ctx.cache, ctx.policy, patterns),
  );
}
