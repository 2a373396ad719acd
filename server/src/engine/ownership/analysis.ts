// The ownership analyses the rules, the CLI and the editor share, memoised in the AnalysisCache:
//   codeownersAnalysis  which CODEOWNERS the platform reads, parsed and indexed   (that file's version, the file list)
//   repoOwnership       the owner of every tracked file, per-rule win counts      (+ snapshot.filesVersion)  repo-ownership.ts
//   policyOwnership     the paths the policy protects and who owns them           (+ policy.version)  policy-ownership.ts
// Helpers for messages and fixes are in messages.ts.
// A keystroke in CLAUDE.md changes none of these keys, so it costs nothing here.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { BITBUCKET_CODEOWNERS_LOCATIONS, CODEOWNERS_LOCATIONS, GITLAB_CODEOWNERS_LOCATIONS } from '../kinds';
import type { ResolvedPolicy } from '../policy/types';
import { LineIndex } from '../text';
import type { ReadResult } from '../types';
import { OwnershipMatcher, type Resolution } from './matcher';
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
export function optionalSectionsOf(a: CodeownersAnalysis, deciding: readonly number[]): string[] {
  const out: string[] = [];
  for (const d of deciding) {
    const rule = a.parsed.rules[d]!;
    const sec = a.parsed.sections[rule.section];
    if (sec?.optional && rule.effectiveOwners.length && !out.includes(sec.name)) out.push(sec.name);
  }
  return out;
}
