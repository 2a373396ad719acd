// What an invalid value in a managed settings file costs: Claude Code drops the whole file, the permissions object, a
// deny/ask list, the bypass-mode lock or allowManagedPermissionRulesOnly, and with it the protections listed here.
// permissions/managed-blast-radius reports such a problem with its cost; settings/invalid leaves it to that rule
// (one problem, one finding).

import { rulesOfFile } from './index';
import type { SettingsFile, SettingsProblem } from './settings';

export interface BlastRadius {
  /** What Claude Code drops: "the whole file", "the whole deny list", … */
  scope: string;
  /** The protections lost (never empty). */
  lost: string[];
}

/** The protections a problem of a managed settings file drops, or undefined when it drops none. */
export function blastRadius(f: SettingsFile, p: SettingsProblem): BlastRadius | undefined {
  if (f.scope !== 'managed') return undefined;
  const raw = (f.parsed.value?.permissions ?? {}) as Record<string, unknown>;
  let scope: string | undefined;
  let lost: string[] = [];
  if (p.drops === 'file') {
    scope = 'the whole file';
    lost = rulesOfFile(f)
      .filter((r) => r.list !== 'allow')
      .map((r) => `${r.list} ${r.text}`);
    if (f.parsed.text.includes('disableBypassPermissionsMode')) lost.push('the bypass-mode lock');
    if (f.parsed.text.includes('allowManagedPermissionRulesOnly')) lost.push('allowManagedPermissionRulesOnly');
  } else if (p.drops === 'value' && p.pointer === '/permissions') {
    scope = 'the whole permissions object';
    lost = ['every deny and ask rule in it'];
  } else if (p.drops === 'value' && (p.pointer === '/permissions/deny' || p.pointer === '/permissions/ask')) {
    const list = p.pointer.slice(13);
    scope = `the whole ${list} list`;
    const v = raw[list];
    lost = typeof v === 'string' ? [`${list} ${v}`] : [`every ${list} rule`];
  } else if (p.drops === 'value' && p.pointer === '/permissions/disableBypassPermissionsMode') {
    scope = 'the bypass-mode lock';
    lost = ['bypass mode stays available (--dangerously-skip-permissions)'];
  } else if (p.drops === 'value' && p.pointer === '/allowManagedPermissionRulesOnly') {
    scope = 'allowManagedPermissionRulesOnly';
    lost = ['rules from every other scope apply again'];
  }
  return scope && lost.length ? { scope, lost } : undefined;
}
