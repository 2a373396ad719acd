// The engine: run every enabled rule over a workspace snapshot and a resolved policy.
// One library, two front ends: the language server (server/src/lsp) and the CLI (server/src/cli).

import type { Snapshot } from './host';
import type { ResolvedPolicy } from './policy/types';
import { AnalysisCache } from './cache';
import { formatMessage, type Report, type Rule, type RuleContext } from './rule';
import { RULES } from './rules/index';
import { applySuppressions } from './suppress';
import type { Finding, Severity } from './types';

export { AnalysisCache } from './cache';
export { RULES, ruleById } from './rules/index';
export type { Snapshot } from './host';
export type { Finding, Fix, FileEdit, Range, Position, Severity, Surface, FileKind } from './types';
export type { ResolvedPolicy } from './policy/types';

export interface CheckOptions {
  /** Run only the rules for which this returns true (the language server's incremental re-check). */
  filter?: (rule: Rule) => boolean;
  /** Rules to run instead of the registry (tests). */
  rules?: readonly Rule[];
}

/** The severity a rule runs at under a policy, or 'off'. */
export function effectiveSeverity(rule: Rule, policy: ResolvedPolicy): Severity | 'off' {
  return policy.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
}

/** Every registered rule id, handed to the rules (the suppression rule names them) so no rule imports the registry. */
const REGISTERED_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));

/** The finding made from each Report object (reports and findings are never mutated once made). */
const keptFindings = new WeakMap<Report, Finding>();

/** Run the rules; findings are sorted by file, then position, then rule id. Never throws for a rule's bug:
 * a rule that throws yields a `workspace/internal-error` finding naming it. */
export function check(
  snapshot: Snapshot,
  policy: ResolvedPolicy,
  cache: AnalysisCache = new AnalysisCache(),
  options: CheckOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const rules = options.rules ?? RULES;
  for (const rule of rules) {
    if (options.filter && !options.filter(rule)) continue;
    const sev = effectiveSeverity(rule, policy);
    if (sev === 'off') continue;
    const policySet = policy.rules[rule.meta.id] !== undefined;
    const ctx: RuleContext = {
      snapshot,
      policy,
      cache,
      ruleIds: REGISTERED_IDS,
      report(r) {
        const severity = policySet ? sev : (r.severity ?? sev);
        // A rule that reports the very same Report object again (it kept it because nothing it depends on changed)
        // gets the very same Finding: no message to format, nothing to allocate, and the language server sees an
        // identical object (it compares and converts findings by identity first).
        const kept = keptFindings.get(r);
        if (kept && kept.ruleId === rule.meta.id && kept.severity === severity) {
          findings.push(kept);
          return;
        }
        const template = rule.meta.messages[r.messageId];
        const at = anchorOf(snapshot, r);
        const finding: Finding = {
          ruleId: rule.meta.id,
          severity,
          surface: rule.meta.surface,
          file: at.file,
          range: at.range,
          message: template === undefined ? r.messageId : formatMessage(template, r.data),
          messageId: r.messageId,
        };
        if (r.related?.length) finding.related = r.related;
        if (r.fixes?.length) finding.fixes = r.fixes;
        if (r.extra) finding.data = r.extra;
        keptFindings.set(r, finding);
        findings.push(finding);
      },
    };
    try {
      rule.check(ctx);
    } catch (err) {
      findings.push({
        ruleId: 'workspace/internal-error',
        severity: 'error',
        surface: 'workspace',
        file: '.',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `Rule ${rule.meta.id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}. This is a bug in Governance Flywheel; the other rules still ran.`,
        messageId: 'internal',
      });
    }
  }
  return sortFindings(applySuppressions(snapshot, findings, policy, cache));
}

/** The repository root as a location: a finding about the repository as a whole (no file, no region). */
export const REPOSITORY_ROOT = '.';

/**
 * Where a finding is shown. A finding about a file that does not exist (no CODEOWNERS, no PR template: "create
 * it") is not shown against that missing file — code scanning and the editor would show it against nothing. It is
 * anchored where the requirement comes from: the policy file in the workspace that set it (its first related
 * location inside the workspace), else the repository root, a location without a region (`.`).
 */
function anchorOf(snapshot: Snapshot, r: Report): { file: string; range: Finding['range'] } {
  const file = r.file;
  if (file === REPOSITORY_ROOT || isAbsolutePath(file) || snapshot.exists(file)) return { file, range: r.range };
  const source = r.related?.find((x) => !isAbsolutePath(x.file) && !x.file.includes(':') && snapshot.exists(x.file));
  if (source) return { file: source.file, range: source.range };
  return { file: REPOSITORY_ROOT, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

function isAbsolutePath(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[/]/.test(file);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
