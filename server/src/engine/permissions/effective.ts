// The effective permission set (formats §1.1, §1.3, §1.4, checked against the real CLI with cc-oracle): the lists
// of every scope concatenated; deny → ask → allow, first match decides, specificity does not matter;
// allowManagedPermissionRulesOnly (read only from managed settings) makes every other scope's rules dead; the
// permission mode is the highest scope's defaultMode (bypassPermissions and auto are ignored from project and local
// files, bypass is off when any scope disables it); reads inside the working folder need no rule; a Read deny
// also blocks edits of the path. Explaining a call is in explain.ts, shadowed rules in shadows.ts.

import type * as jsonc from 'jsonc-parser';
import type { Range } from '../types';
import { parseRule, READ_TOOLS, EDIT_TOOLS, type ParsedRule, type RuleList } from './rules';
import { SCOPE_ORDER, type ClaudeScope, type SettingsFile, type SettingsStack } from './settings';

export const LISTS: readonly RuleList[] = ['deny', 'ask', 'allow'];

export interface PermRule {
  id: number;
  text: string;
  list: RuleList;
  file: SettingsFile;
  scope: ClaudeScope;
  /** Index in its list. */
  index: number;
  range: Range;
  /** 1-based line. */
  line: number;
  parsed: ParsedRule;
  status: 'live' | 'dead' | 'overridden';
  reason?: string;
  /** The rule that always wins over this one (status overridden). */
  by?: PermRule;
}

export interface Setting<T> {
  value: T;
  file?: SettingsFile;
  range?: Range;
}

export interface Effective {
  stack: SettingsStack;
  rules: PermRule[];
  byList: Record<RuleList, PermRule[]>;
  /** allowManagedPermissionRulesOnly in effect, and where it is set. */
  managedOnly?: Setting<true>;
  /** The mode sessions start in. */
  mode: Setting<string>;
  /** Every mode value a file asks for, and whether the tool honours it. */
  modeRequests: { file: SettingsFile; value: string; range: Range; honoured: boolean; why?: string }[];
  bypassDisabled?: Setting<true>;
  additionalDirectories: string[];
  cwd: string;
  home: string;
  /** Computed on demand: which rules are overridden (shadowed) by another. */
  shadowsComputed: boolean;
}

function findProp(obj: jsonc.Node | undefined, key: string): jsonc.Node | undefined {
  if (obj?.type !== 'object') return undefined;
  let found: jsonc.Node | undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) found = p.children[1];
  return found;
}

/** Whether a rule whose text starts with tool name `rawTool` can take part in deciding a call of `tool`. */
function relevantTo(rawTool: string, tool: string): boolean {
  if (rawTool === tool || rawTool.includes('*')) return true;
  if (tool === 'Agent' && rawTool === 'Task') return true;
  if (tool === 'Bash' || tool === 'PowerShell') return rawTool === 'Read' || rawTool === 'Edit';
  if (READ_TOOLS.has(tool)) return rawTool === 'Read';
  if (EDIT_TOOLS.has(tool)) return rawTool === 'Edit' || rawTool === 'Read';
  if (tool.startsWith('mcp__')) return rawTool.startsWith('mcp__');
  return false;
}

/**
 * The effective permission set of a stack. With `onlyFor` (a tool name), only the rules that can decide a call of
 * that tool are parsed — what a one-shot `explain` needs; the set is then partial (no table, no shadows).
 */
export function computeEffective(stack: SettingsStack, options: { onlyFor?: string } = {}): Effective {
  const rules: PermRule[] = [];
  const byList: Record<RuleList, PermRule[]> = { deny: [], ask: [], allow: [] };
  let managedOnly: Setting<true> | undefined;
  let bypassDisabled: Setting<true> | undefined;
  const files = [...stack.files].sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope));
  for (const f of files) {
    if (f.dropped) continue;
    if (f.scope === 'managed' && f.value.allowManagedPermissionRulesOnly === true && !managedOnly) {
      const n = findProp(f.parsed.tree, 'allowManagedPermissionRulesOnly');
      managedOnly = {
        value: true,
        file: f,
        ...(n ? { range: f.parsed.lines.range(n.offset, n.offset + n.length) } : {}),
      };
    }
    const perms = f.value.permissions as Record<string, unknown> | undefined;
    if (perms?.disableBypassPermissionsMode === 'disable' && !bypassDisabled) {
      const n = findProp(findProp(f.parsed.tree, 'permissions'), 'disableBypassPermissionsMode');
      bypassDisabled = {
        value: true,
        file: f,
        ...(n ? { range: f.parsed.lines.range(n.offset, n.offset + n.length) } : {}),
      };
    }
  }
  let id = 0;
  for (const f of files) {
    const permsNode = findProp(f.parsed.tree, 'permissions');
    const perms = f.value.permissions as Record<string, unknown> | undefined;
    for (const list of LISTS) {
      const arr = findProp(permsNode, list);
      if (arr?.type !== 'array') continue;
      const kept = perms && Array.isArray(perms[list]);
      let index = -1;
      for (const node of arr.children ?? []) {
        index++;
        if (node.type !== 'string') continue;
        const text = String(node.value);
        if (options.onlyFor !== undefined) {
          const open = text.indexOf('(');
          if (!relevantTo((open === -1 ? text : text.slice(0, open)).trim(), options.onlyFor)) continue;
        }
        const parsed = parseRule(text, list);
        const range = f.parsed.lines.range(node.offset, node.offset + node.length);
        const r: PermRule = {
          id: id++,
          text,
          list,
          file: f,
          scope: f.scope,
          index,
          range,
          line: range.start.line + 1,
          parsed,
          status: 'live',
        };
        if (f.dropped) {
          r.status = 'dead';
          r.reason = `Claude Code ignores the whole file ${f.file} (${f.problems.find((p) => p.drops === 'file')?.message ?? 'invalid'})`;
        } else if (!kept) {
          r.status = 'dead';
          r.reason = `the "${list}" list is invalid, so Claude Code drops it`;
        } else if (parsed.skipped) {
          r.status = 'dead';
          r.reason = `Claude Code skips this entry: the rule ${parsed.problems[0]?.message ?? 'is malformed'}`;
        } else if (parsed.matcher.kind === 'never') {
          r.status = 'dead';
          r.reason = `the rule ${parsed.problems[0]?.message ?? 'never matches'}`;
        } else if (managedOnly && f.scope !== 'managed') {
          r.status = 'dead';
          r.reason = `allowManagedPermissionRulesOnly in ${managedOnly.file!.file} makes managed settings the only source of permission rules`;
        }
        rules.push(r);
        byList[list].push(r);
      }
    }
  }
  // The mode: the highest scope that sets one the tool honours.
  const modeRequests: Effective['modeRequests'] = [];
  let mode: Setting<string> | undefined;
  for (const f of files) {
    if (f.dropped) continue;
    const v = (f.value.permissions as Record<string, unknown> | undefined)?.defaultMode;
    if (typeof v !== 'string') continue;
    const n = findProp(findProp(f.parsed.tree, 'permissions'), 'defaultMode');
    const range = n ? f.parsed.lines.range(n.offset, n.offset + n.length) : f.parsed.lines.range(0, 0);
    let honoured = true;
    let why: string | undefined;
    if ((v === 'bypassPermissions' || v === 'auto') && (f.scope === 'project' || f.scope === 'local')) {
      honoured = false;
      why = `Claude Code ignores defaultMode "${v}" from ${f.scope} settings`;
    } else if (v === 'bypassPermissions' && bypassDisabled) {
      honoured = false;
      why = `bypass mode is disabled by ${bypassDisabled.file!.file}`;
    }
    if (honoured && !mode) mode = { value: v === 'manual' ? 'default' : v, file: f, range };
    else if (honoured && mode) {
      honoured = false;
      why = `${mode.file!.file} (${mode.file!.scope}) sets defaultMode "${mode.value}", which wins`;
    }
    modeRequests.push({ file: f, value: v, range, honoured, ...(why ? { why } : {}) });
  }
  const additionalDirectories: string[] = [];
  for (const f of files) {
    if (f.dropped) continue;
    const dirs = (f.value.permissions as Record<string, unknown> | undefined)?.additionalDirectories;
    if (Array.isArray(dirs))
      for (const d of dirs)
        if (typeof d === 'string') additionalDirectories.push(resolvePath(d, stack.root, stack.home));
  }
  return {
    stack,
    rules,
    byList,
    ...(managedOnly ? { managedOnly } : {}),
    mode: mode ?? { value: 'default' },
    modeRequests,
    ...(bypassDisabled ? { bypassDisabled } : {}),
    additionalDirectories,
    cwd: stack.root,
    home: stack.home,
    shadowsComputed: false,
  };
}

/** Resolve a call's path argument: `~/` → home, relative → the working folder; normalised, `/` separators. */
export function resolvePath(p: string, cwd: string, home: string): string {
  let s = p.replace(/\\/g, '/');
  if (s === '~' || s.startsWith('~/')) s = home + s.slice(1);
  else if (!s.startsWith('/') && !/^[A-Za-z]:\//.test(s)) s = cwd + '/' + s;
  const out: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}
