// The rule framework: one module per rule, with metadata next to the check function.

import type { Snapshot } from './host';
import type { ResolvedPolicy } from './policy/types';
import type { AnalysisCache } from './cache';
import type { FileKind, Finding, Fix, Range, RelatedLocation, Severity, Surface } from './types';

export interface RuleMeta {
  /** `prefix/name`, e.g. `owners/unowned-path`. The doc page is `docs/rules/<prefix>/<name>.md`. */
  id: string;
  surface: Surface;
  defaultSeverity: Severity;
  /** One line: what the rule checks. */
  description: string;
  /** Whether the rule offers fixes (quick fixes or proposals). */
  fixable: boolean;
  /** Message templates by messageId; `{name}` placeholders are filled from `data`. */
  messages: Record<string, string>;
  /**
   * The file kinds whose content the rule reads. The language server re-runs a rule only when one of these
   * changes, when the file list changes ('files'), or when the policy changes (always). Omit = every change.
   */
  dependsOn?: Array<FileKind | 'files' | 'managed' | 'user'>;
}

/**
 * What a rule reports. Never mutated after `report()`: a rule may keep a Report and report the same object again on a
 * later run when nothing it was made from changed (the engine then reuses the Finding it made from it).
 */
export interface Report {
  messageId: string;
  /** Placeholders of the message template. */
  data?: Record<string, string | number>;
  file: string;
  range: Range;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** A rule may report some findings at a lower severity than its default (e.g. lenient YAML = warning).
   * The policy's `rules` severity, when set, wins. */
  severity?: Severity;
  /** Extra machine-readable facts. */
  extra?: Record<string, unknown>;
}

export interface RuleContext {
  readonly snapshot: Snapshot;
  readonly policy: ResolvedPolicy;
  /** Memoised analyses shared by rules and kept across runs (the language server keeps one per workspace). */
  readonly cache: AnalysisCache;
  /** Every registered rule id (all of them, not only those running): for rules that must know the others. */
  readonly ruleIds: ReadonlySet<string>;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Fill `{name}` placeholders. Unknown placeholders are left as they are. */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  if (!data) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export const DOCS_BASE_URL = 'https://github.com/governance-flywheel/governance-flywheel/blob/main/';

export function docsUrl(ruleId: string): string {
  return DOCS_BASE_URL + docsPath(ruleId);
}

export type { Finding };
