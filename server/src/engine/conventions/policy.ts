// The conventions policy, compiled: RE2 patterns (re2js: linear time, so a hostile pattern cannot hang the
// server), scopes (file kinds or globs), and the post-validation hook that turns an invalid pattern into a
// `policy/invalid` finding.

import { BoundedMap } from '../cache';
import { policyGlob } from '../glob';
import { RE2JS } from 're2js';
import type { GovernanceFile } from '../types';
import { addPolicyPostValidator } from '../policy/load';
import type { Json } from '../policy/merge';
import type { ConventionsPolicy } from '../policy/sections/conventions';

/** A pattern whose compiled program is larger than this is refused (a 10,000-fold repetition, say). */
const MAX_PROGRAM_SIZE = 20_000;
const MAX_PATTERN_LENGTH = 4096;

const compiled = new BoundedMap<string, RE2JS | string>(10_000);

/** Compile an RE2 pattern; a string is the error. Leading `(?i)`/`(?s)`/`(?m)` flags are RE2 syntax too. */
export function compileRe2(pattern: string): RE2JS | string {
  const hit = compiled.get(pattern);
  if (hit !== undefined) return hit;
  let result: RE2JS | string;
  if (pattern.length > MAX_PATTERN_LENGTH) result = `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  else {
    try {
      const re = RE2JS.compile(pattern, RE2JS.MULTILINE);
      result = re.programSize() > MAX_PROGRAM_SIZE ? 'the pattern is too complex (its RE2 program is too large)' : re;
    } catch (err) {
      result = `not a valid RE2 pattern: ${(err as Error).message} (RE2 has no backreferences or lookaround)`;
    }
  }
  if (compiled.size > 500) compiled.clear();
  compiled.set(pattern, result);
  return result;
}

/** Every match of `re` in `text` as [start, end) UTF-16 offsets (empty matches skipped, at most `limit`). */
export function re2Matches(re: RE2JS, text: string, limit = 200): [number, number][] {
  const out: [number, number][] = [];
  const m = re.matcher(text);
  while (out.length < limit && m.find()) {
    const s = m.start();
    const e = m.end();
    if (e > s) out.push([s, e]);
  }
  return out;
}

function isObj(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Post-validation: every `pattern` of `conventions.prohibited` and `conventions.requiredRules` must compile. */
export function validateConventionPatterns(
  value: Record<string, Json>,
): { pointer: string; error: string; drop: string }[] {
  const out: { pointer: string; error: string; drop: string }[] = [];
  const conv = value.conventions;
  if (!isObj(conv)) return out;
  for (const key of ['prohibited', 'requiredRules'] as const) {
    const list = conv[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (!isObj(entry) || typeof entry.pattern !== 'string') return;
      const r = compileRe2(entry.pattern);
      if (typeof r === 'string')
        out.push({ pointer: `/conventions/${key}/${i}/pattern`, error: r, drop: `/conventions/${key}/${i}` });
    });
  }
  return out;
}
addPolicyPostValidator(validateConventionPatterns);

const KIND_NAME = /^[a-z]+(-[a-z]+)*$/;
const globMatcher = policyGlob;

/** Whether a scope entry is a file kind (`agents-md`) rather than a glob. */
export function isKindName(entry: string): boolean {
  return KIND_NAME.test(entry) && !entry.includes('.');
}

/** Whether a governance file (under any of its names) falls in a scope of kinds and globs. */
export function inScope(g: GovernanceFile, scope: readonly string[]): boolean {
  const names = [g.path, ...(g.aliases ?? [])];
  for (const s of scope) {
    if (isKindName(s)) {
      if (g.kind === s) return true;
    } else if (names.some(globMatcher(s))) return true;
  }
  return false;
}

export function globMatches(glob: string, path: string): boolean {
  return globMatcher(glob)(path);
}

export function conventionsPolicy(p: { conventions: ConventionsPolicy }): ConventionsPolicy {
  return p.conventions ?? {};
}
