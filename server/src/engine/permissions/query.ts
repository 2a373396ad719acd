// Queries for the editor (the language server imports these): the status of the permission rule under the cursor
// in a settings file (hover), and the tool names a rule can start with (completion).

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import { allClaudeFiles, claudeEffective, rulesOfFile, type PermissionsOptions } from './index';

export { TOOL_NAMES } from './rules';

export interface RuleStatus {
  rule: string;
  list: 'allow' | 'ask' | 'deny';
  scope: string;
  status: 'live' | 'dead' | 'overridden';
  reason: string;
  by?: { rule: string; file: string; line: number; scope: string };
}

/**
 * The permission rule string at `offset` (UTF-16, in the file's text) of settings file `file` (root-relative, or
 * absolute for the machine's files), with its status in the effective permission set; undefined when the offset
 * is not inside a rule string.
 */
export function ruleStatusAt(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  file: string,
  offset: number,
  options: PermissionsOptions = {},
): RuleStatus | undefined {
  const norm = file.replace(/\\/g, '/').replace(/^\.\//, '');
  const e = claudeEffective(snapshot, cache, policy, options);
  const inStack = e.rules.find(
    (r) =>
      r.file.file === norm &&
      offsetIn(r.file.parsed.lines.offsetAt(r.range.start), r.file.parsed.lines.offsetAt(r.range.end), offset),
  );
  if (inStack) {
    const r = inStack;
    const out: RuleStatus = {
      rule: r.text,
      list: r.list,
      scope: r.scope,
      status: r.status,
      reason:
        r.reason ??
        (r.status === 'live'
          ? `live: checked ${r.list === 'deny' ? 'first' : r.list === 'ask' ? 'after every deny rule' : 'after every deny and ask rule'}, in every scope`
          : ''),
    };
    if (r.by) out.by = { rule: r.by.text, file: r.by.file.file, line: r.by.line, scope: r.by.scope };
    else if (r.status === 'dead' && e.managedOnly && r.scope !== 'managed' && e.managedOnly.file) {
      out.by = {
        rule: 'allowManagedPermissionRulesOnly',
        file: e.managedOnly.file.file,
        line: (e.managedOnly.range?.start.line ?? 0) + 1,
        scope: 'managed',
      };
    }
    return out;
  }
  const f = allClaudeFiles(snapshot, cache, policy, options).find((x) => x.file === norm);
  if (!f) return undefined;
  const hit = rulesOfFile(f).find((r) =>
    offsetIn(f.parsed.lines.offsetAt(r.range.start), f.parsed.lines.offsetAt(r.range.end), offset),
  );
  if (!hit) return undefined;
  const sourceOnly = e.stack.managedSource?.file === f.file;
  return {
    rule: hit.text,
    list: hit.list,
    scope: f.scope,
    status: hit.parsed.skipped || hit.parsed.matcher.kind === 'never' || f.dropped ? 'dead' : 'live',
    reason: f.dropped
      ? `Claude Code ignores this whole file (${f.problems.find((p) => p.drops === 'file')?.message ?? 'invalid'})`
      : (hit.parsed.problems[0]?.message ??
        (sourceOnly
          ? 'in the Managed source: enforced once deployed as managed-settings.json (this machine uses its own managed file)'
          : `read when Claude Code starts in ${f.file.replace(/\/?\.claude\/[^/]+$/, '') || 'the workspace root'}`)),
  };
}

function offsetIn(start: number, end: number, offset: number): boolean {
  return offset >= start && offset <= end;
}
