// The permissions surface: the Claude Code settings stack, the effective permission set, Gemini CLI layers.
// Analyses are memoised in the AnalysisCache, keyed by the versions of the settings files and the policy.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import type { Range } from '../types';
import { computeEffective, LISTS, type Effective } from './effective';
import { loadGeminiStack, type GeminiStack } from './gemini';
import { parseRule, type ParsedRule, type RuleList } from './rules';
import { computeShadows } from './shadows';
import {
  DEFAULT_MANAGED_SOURCE,
  dropInNames,
  loadSettingsFile,
  loadStack,
  type SettingsFile,
  type StackOptions,
} from './settings';

export * from './effective';
export * from './explain';
export * from './shadows';
export * from './settings';
export { parseRule, pathMatches, TOOL_NAMES, type ParsedRule, type RuleList } from './rules';
export * from './gemini';
export { parseToolCall } from './call';

export interface PermissionsOptions {
  /** Compute which rules are overridden (default true; `explain` alone does not need it). */
  shadows?: boolean;
  /** Only the rules that can decide a call of this tool (a one-shot `explain`; implies no shadows). */
  onlyFor?: string;
  managedPath?: string | null;
  userPath?: string | null;
  home?: string;
}

/** Home for `~/` rules when the front end gives none: derived from the user file, else a placeholder. */
export function homeOf(snapshot: Snapshot, options: PermissionsOptions): string {
  if (options.home) return options.home.replace(/\\/g, '/');
  const user = options.userPath === undefined ? snapshot.userSettingsPath : (options.userPath ?? undefined);
  const m = user?.replace(/\\/g, '/').match(/^(.*)\/\.claude\/[^/]+$/);
  return m ? m[1]! : '/~';
}

export function managedSourcePath(policy: ResolvedPolicy): string {
  const p = policy.permissions?.managedSource;
  return typeof p === 'string' && p ? p.replace(/^\.\//, '') : DEFAULT_MANAGED_SOURCE;
}

function absVersion(snapshot: Snapshot, abs: string | undefined): string {
  if (!abs) return '-';
  const r = snapshot.readAbsolute(abs);
  return r.ok ? `${r.size}:${r.text.length}:${r.text.slice(0, 64)}:${r.text.slice(-64)}` : r.reason;
}

/** The settings stack + effective permission set of a workspace (memoised), shadows computed. */
export function claudeEffective(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  options: PermissionsOptions = {},
): Effective {
  const source = managedSourcePath(policy);
  const managedPath =
    options.managedPath === undefined ? snapshot.managedSettingsPath : (options.managedPath ?? undefined);
  const userPath = options.userPath === undefined ? snapshot.userSettingsPath : (options.userPath ?? undefined);
  const home = homeOf(snapshot, options);
  const dropIns = managedPath ? dropInNames(snapshot, managedPath) : [];
  const deps = [
    policy.version,
    source,
    home,
    snapshot.version(source),
    snapshot.version('.claude/settings.json'),
    snapshot.version('.claude/settings.local.json'),
    managedPath ?? '-',
    absVersion(snapshot, managedPath),
    ...dropIns.map((d) => d + absVersion(snapshot, d)),
    userPath ?? '-',
    absVersion(snapshot, userPath),
  ].join('\0');
  const key = options.onlyFor === undefined ? 'permissions/effective' : `permissions/effective-for:${options.onlyFor}`;
  const e = cache.memo(key, deps, () => {
    const opts: StackOptions = {
      managedSource: source,
      managedPath: managedPath ?? null,
      userPath: userPath ?? null,
      home,
    };
    return computeEffective(
      loadStack(snapshot, opts),
      options.onlyFor === undefined ? {} : { onlyFor: options.onlyFor },
    );
  });
  if (options.shadows !== false && options.onlyFor === undefined) computeShadows(e);
  return e;
}

/**
 * Every Claude settings file to check: each one in the workspace (root and nested .claude/ folders, the Managed
 * source and other managed-settings files kept in the repository) and the machine's managed and user files in
 * effect. Memoised.
 */
export function allClaudeFiles(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  options: PermissionsOptions = {},
): SettingsFile[] {
  const e = claudeEffective(snapshot, cache, policy, options);
  const kinds = snapshot.byKind('claude-settings', 'claude-settings-local', 'claude-managed-settings');
  const deps = [
    e.stack.version,
    snapshot.filesVersion,
    ...kinds.map((g) => g.path + '@' + snapshot.version(g.path)),
  ].join('\0');
  return cache.memo('permissions/all-files', deps, () => {
    const out: SettingsFile[] = [];
    const seen = new Set<string>();
    for (const f of [...e.stack.files, ...(e.stack.managedSource ? [e.stack.managedSource] : [])]) {
      if (seen.has(f.file)) continue;
      seen.add(f.file);
      out.push(f);
    }
    for (const g of kinds) {
      if (seen.has(g.path)) continue;
      seen.add(g.path);
      const scope = g.kind === 'claude-settings' ? 'project' : g.kind === 'claude-settings-local' ? 'local' : 'managed';
      const dir = g.path.includes('/.claude/') ? g.path.slice(0, g.path.indexOf('/.claude/')) : '';
      const anchor = e.stack.root + (dir ? '/' + dir : '');
      const f = loadSettingsFile(
        snapshot,
        { rel: g.path },
        { scope, origin: scope === 'managed' ? 'source' : 'workspace', anchor },
      );
      if (f) out.push(f);
    }
    return out;
  });
}

/** Rules of a file (parsed), for files outside the effective stack. */
export function rulesOfFile(
  f: SettingsFile,
): { text: string; list: RuleList; index: number; range: Range; parsed: ParsedRule }[] {
  const out: { text: string; list: RuleList; index: number; range: Range; parsed: ParsedRule }[] = [];
  const tree = f.parsed.tree;
  if (tree?.type !== 'object') return out;
  const perms = tree.children?.filter((p) => p.children?.[0]?.value === 'permissions').pop()?.children?.[1];
  for (const list of LISTS) {
    const arr = perms?.children?.filter((p) => p.children?.[0]?.value === list).pop()?.children?.[1];
    if (arr?.type !== 'array') continue;
    arr.children?.forEach((n, index) => {
      if (n.type !== 'string') return;
      out.push({
        text: String(n.value),
        list,
        index,
        range: f.parsed.lines.range(n.offset, n.offset + n.length),
        parsed: parseRule(String(n.value), list),
      });
    });
  }
  return out;
}

/** The Gemini stack of the workspace (memoised). */
export function geminiStack(snapshot: Snapshot, cache: AnalysisCache): GeminiStack {
  const deps = snapshot.version('.gemini/settings.json');
  return cache.memo('permissions/gemini', deps, () => loadGeminiStack(snapshot));
}
