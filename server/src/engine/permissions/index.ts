// The permissions surface: the Claude Code settings stack, the effective permission set, Gemini CLI layers.
// Analyses are memoised in the AnalysisCache, keyed by the versions of the settings files and the policy.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import { computeEffective, computeShadows, type Effective } from './effective';
import { DEFAULT_MANAGED_SOURCE, dropInNames, loadStack, type StackOptions } from './settings';

export * from './effective';
export * from './settings';
export { parseRule, TOOL_NAMES, type ParsedRule, type RuleList } from './rules';
export { parseToolCall } from './call';

export interface PermissionsOptions {
  managedPath?: string | null;
  userPath?: string | null;
  home?: string;
}

/** Home for `~/` rules when the front end gives none: derived from the user file, else a placeholder. */
export function homeOf(snapshot: Snapshot, options: PermissionsOptions): string {
  if (options.home) return options.home.replace(/\\/g, '/');
  const user = options.userPath === undefined ? snapshot.userSettingsPath : options.userPath ?? undefined;
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
  const managedPath = options.managedPath === undefined ? snapshot.managedSettingsPath : options.managedPath ?? undefined;
  const userPath = options.userPath === undefined ? snapshot.userSettingsPath : options.userPath ?? undefined;
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
  return cache.memo('permissions/effective', deps, () => {
    const opts: StackOptions = { managedSource: source, managedPath: managedPath ?? null, userPath: userPath ?? null, home };
    const e = computeEffective(loadStack(snapshot, opts));
    computeShadows(e);
    return e;
  });
}
