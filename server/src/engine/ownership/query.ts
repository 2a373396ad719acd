// The ownership query API for the editor (hover, code lens, completion) and the CLI. Every answer comes from the
// memoised analyses in ./analysis.ts, so asking again after a keystroke elsewhere costs nothing.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import { codeownersAnalysis } from './analysis';
import { judgedOwnership } from './links';
import { repoOwnership } from './repo-ownership';
import type { Dialect } from './parse';

export interface OwnerResult {
  path: string;
  owners: string[];
  /** 1-based CODEOWNERS line that decides, or null when no line matches. */
  line: number | null;
  pattern: string | null;
  /** 1-based lines that match too but are overridden by the deciding line. */
  overridden: number[];
  /** The CODEOWNERS file the platform reads (root-relative), or null. */
  codeowners: string | null;
  dialect: Dialect;
  /** GitLab: the section of the deciding line (absent for the default section and other dialects). */
  section?: string;
  /** GitLab, when several sections decide (owners are their union): every deciding line, ascending. */
  decidedBy?: { line: number; pattern: string; section: string }[];
  /** GitLab: true when the owners are only those of optional sections (`^[Name]`): no approval is required. */
  optional?: true;
  /** The path is a symlinked governance file (CLAUDE.md → AGENTS.md): the owners and lines are those of this target,
   * whose ownership is what protects the text read through the link. */
  symlinkTo?: string;
}

/** A root-relative path with `/` separators and no leading `./` or `/`. */
export function normalizePath(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\/{2,}/g, '/');
  return s;
}

/** Who owns each path (existing or not), which line decides, and which earlier lines it overrides. A symlinked
 * governance file is answered with its target's ownership (`symlinkTo`). */
export function ownersOf(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  paths: string[],
): OwnerResult[] {
  const a = codeownersAnalysis(snapshot, cache, policy);
  return paths.map((raw) => {
    const path = normalizePath(raw);
    const po = judgedOwnership(snapshot, a, path);
    const result: OwnerResult = {
      path,
      owners: [...po.owners],
      line: po.rule ? po.rule.line + 1 : null,
      pattern: po.rule ? (po.rule.negated ? '!' : '') + po.rule.pattern.text : null,
      overridden: po.overridden.map((r) => r.line + 1),
      codeowners: a.choice.path,
      dialect: a.choice.dialect,
    };
    if (po.rule && po.rule.section > 0) result.section = a.parsed.sections[po.rule.section]!.name;
    if (po.optional) result.optional = true;
    if (po.symlinkTo !== undefined) result.symlinkTo = po.symlinkTo;
    if (po.deciding.length > 1) {
      result.decidedBy = po.deciding.map((i) => {
        const r = a.parsed.rules[i]!;
        return { line: r.line + 1, pattern: r.pattern.text, section: a.parsed.sections[r.section]!.name };
      });
    }
    return result;
  });
}

/** What a CODEOWNERS line's pattern matches among the tracked files, and for how many it decides. */
export function patternInfo(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  line: number,
): { pattern: string; matches: number; wins: number; examples: string[] } | undefined {
  const a = codeownersAnalysis(snapshot, cache, policy);
  const rule = a.parsed.rules.find((r) => r.line === line);
  if (!rule) return undefined;
  const repo = repoOwnership(snapshot, cache, policy);
  const deps = `${a.choice.path}|${a.choice.path ? snapshot.version(a.choice.path) : ''}|${snapshot.filesVersion}|${a.choice.dialect}`;
  const matched = cache.memo(`ownership:pattern:${line}`, deps, () =>
    a.matcher.filesMatching(rule.index, repo.files, Number.MAX_SAFE_INTEGER),
  );
  return {
    pattern: (rule.negated ? '!' : '') + rule.pattern.text,
    matches: matched.length,
    wins: repo.wins[rule.index] ?? 0,
    examples: matched.slice(0, 5).map((i) => repo.files.paths[i]!),
  };
}

/** Owner completions: the policy's offline snapshot of valid owners (`ownership.knownOwners`), then the owners
 * the policy requires, without duplicates (case-insensitive). */
export function ownerCompletions(policy: ResolvedPolicy): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (o: string) => {
    const k = o.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    out.push(o);
  };
  for (const o of policy.ownership.knownOwners ?? []) add(o);
  for (const req of Object.values(policy.ownership.owners ?? {})) for (const o of req) add(o);
  return out;
}
