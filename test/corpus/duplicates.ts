// What "the same finding twice" means, for the assertions over the corpus, examples/ and the rule fixtures:
// - the same rule, file, range and message (a repeated report);
// - one problem reported by two rules, in the cases where one rule's finding already says it all:
//   broken frontmatter YAML (conventions/frontmatter) and a finding derived from the values it could not read
//   (conventions/not-loaded, a conventions/broken-reference frontmatter path); a CODEOWNERS pattern owners/syntax
//   explains and owners/no-match; an invalid managed value permissions/managed-blast-radius lists the cost of and
//   settings/invalid; a missing script in a ratified rule flywheel/stale-rule reports and conventions/broken-reference;
// - two parse errors of one file at one position (jsonc-parser reports a trailing comma twice) or on one YAML line.

import type { Finding } from '../../server/src/engine/index';

const where = (f: Finding) =>
  `${f.file}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;

/** Findings that repeat another: same rule, file, range and message. */
export function duplicatesOf(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const f of findings) {
    const key = `${f.ruleId} ${where(f)} ${f.message}`;
    if (seen.has(key)) dups.push(key);
    seen.add(key);
  }
  return dups;
}

const PARSE_ERRORS: ReadonlySet<string> = new Set([
  'settings/invalid syntax',
  'settings/invalid gemini',
  'policy/invalid syntax',
  'conventions/frontmatter yaml',
]);

/** One problem reported twice: by two rules (the pairs above), or as two parse errors at one place. */
export function overlapsOf(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  const show = (f: Finding) => `${f.ruleId}/${f.messageId ?? ''} ${where(f)}`;
  const id = (f: Finding) => `${f.ruleId} ${f.messageId ?? ''}`;
  const brokenYaml = new Set(findings.filter((f) => id(f) === 'conventions/frontmatter yaml').map((f) => f.file));
  const line = (f: Finding) => `${f.file}:${f.range.start.line}`;
  const syntaxLines = new Set(findings.filter((f) => f.ruleId === 'owners/syntax').map(line));
  const staleScripts = new Set(findings.filter((f) => id(f) === 'flywheel/stale-rule script').map(line));
  const blast = new Set(findings.filter((f) => f.ruleId === 'permissions/managed-blast-radius').map(where));
  const parseAt = new Map<string, Finding>();
  for (const f of findings) {
    if (
      brokenYaml.has(f.file) &&
      (id(f) === 'conventions/not-loaded noMatch' || id(f) === 'conventions/broken-reference missingPath')
    )
      out.push(`${show(f)}: the frontmatter is broken YAML (conventions/frontmatter says so)`);
    if (f.ruleId === 'owners/no-match' && syntaxLines.has(line(f)))
      out.push(`${show(f)}: owners/syntax explains this pattern`);
    if (f.ruleId === 'settings/invalid' && blast.has(where(f)))
      out.push(`${show(f)}: permissions/managed-blast-radius reports this value`);
    if (id(f) === 'conventions/broken-reference missingScript' && staleScripts.has(line(f)))
      out.push(`${show(f)}: flywheel/stale-rule reports this script`);
    if (PARSE_ERRORS.has(id(f))) {
      // JSON: one per position; YAML: one per line.
      const key = `${f.ruleId} ${f.ruleId === 'conventions/frontmatter' ? line(f) : `${line(f)}:${f.range.start.character}`}`;
      const before = parseAt.get(key);
      if (before) out.push(`${show(f)}: a second parse error where ${show(before)} is`);
      else parseAt.set(key, f);
    }
  }
  return out;
}
