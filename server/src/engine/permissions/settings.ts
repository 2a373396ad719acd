// The Claude Code settings stack of a workspace, every scope parsed with positions (formats §1.1–1.2):
// Managed (the machine's managed-settings.json + managed-settings.d/*.json, or — when the machine has none, as in
// CI — the repository-held Managed source the policy names), Local (.claude/settings.local.json), Project
// (.claude/settings.json) and User (only when the front end passes a user file). Each file is validated the way
// the tool treats it (seen with the real CLI through cc-oracle): strict JSON; in a user/project/local file a
// syntax error or a wrong-typed value drops the whole file, a list of the wrong type drops that list, one bad rule
// drops that rule; a managed file is validated leniently (a bad value is stripped where it sits).

import type * as jsonc from 'jsonc-parser';
import type { Snapshot } from '../host';
import type { Range } from '../types';
import { parseJson, rangeAt, type ParsedJson } from './json';
import { CLAUDE_KEYS, PERMISSIONS_KEYS, typeError, type TypeSpec } from './schema';

export type ClaudeScope = 'managed' | 'cli' | 'local' | 'project' | 'user';
/** Highest first. */
export const SCOPE_ORDER: readonly ClaudeScope[] = ['managed', 'cli', 'local', 'project', 'user'];

export const DEFAULT_MANAGED_SOURCE = '.governance/managed/claude-managed-settings.json';

export interface SettingsProblem {
  code:
    | 'syntax'
    | 'comment'
    | 'trailing-comma'
    | 'depth'
    | 'duplicate-key'
    | 'not-object'
    | 'type'
    | 'enum'
    | 'unknown-key'
    | 'unreadable';
  pointer: string;
  message: string;
  range: Range;
  /** What the tool does: drops the whole file, drops this value (key or list), drops one entry, or nothing. */
  drops: 'file' | 'value' | 'entry' | 'none';
}

export interface SettingsFile {
  scope: ClaudeScope;
  /** machine = the OS managed file; dropin = managed-settings.d; source = the repository-held Managed source. */
  origin: 'machine' | 'dropin' | 'source' | 'workspace' | 'user' | 'cli';
  /** Root-relative path inside the workspace, else absolute (`/` separators). */
  file: string;
  /** Whether `file` is root-relative (a finding can point at it). */
  inWorkspace: boolean;
  abs: string;
  parsed: ParsedJson;
  problems: SettingsProblem[];
  /** The tool ignores the whole file. */
  dropped: boolean;
  /** The value the tool uses (invalid parts removed). */
  value: Record<string, unknown>;
  /** Where single `/` rule paths are anchored (formats §1.4): the project root, or ~/.claude for the user file. */
  anchor: string;
  /** Version token for memoisation. */
  version: string;
}

export interface StackOptions {
  /** The policy's Managed source path (root-relative). */
  managedSource?: string;
  /** Override the machine managed file (absolute); null = none. Default: snapshot.managedSettingsPath. */
  managedPath?: string | null;
  /** Override the user file (absolute); null = none. Default: snapshot.userSettingsPath. */
  userPath?: string | null;
  /** Home folder for `~/` rules and the user anchor. */
  home?: string;
}

export interface SettingsStack {
  root: string;
  home: string;
  /** Every file in effect order: managed (machine, drop-ins, or the source), local, project, user. */
  files: SettingsFile[];
  /** The repository's Managed source, parsed (also when the machine file is the one in effect). */
  managedSource?: SettingsFile;
  managedSourcePath: string;
  /** Whether the managed scope in effect is the repository's source (no machine managed file). */
  managedFromSource: boolean;
  version: string;
}

export function posix(p: string): string {
  return p.replace(/\\/g, '/');
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function relOrAbs(root: string, abs: string): { file: string; inWorkspace: boolean } {
  const r = posix(root).replace(/\/$/, '');
  const a = posix(abs);
  return a.startsWith(r + '/') ? { file: a.slice(r.length + 1), inWorkspace: true } : { file: a, inWorkspace: false };
}

/** Parse and validate one Claude settings text. */
export function loadSettingsText(
  text: string,
  meta: {
    scope: ClaudeScope;
    origin: SettingsFile['origin'];
    file: string;
    inWorkspace: boolean;
    abs: string;
    anchor: string;
    version: string;
  },
): SettingsFile {
  const parsed = parseJson(text);
  const problems: SettingsProblem[] = parsed.problems.map((p) => ({
    code: p.code,
    pointer: '',
    message: p.message,
    range: p.range,
    drops: p.fatal ? 'file' : 'none',
  }));
  const managed = meta.scope === 'managed';
  let value: Record<string, unknown> = {};
  if (parsed.value) value = validate(parsed, parsed.value, managed, problems);
  const dropped = problems.some((p) => p.drops === 'file') || !parsed.value;
  return { ...meta, parsed, problems, dropped, value: dropped ? {} : value };
}

function validate(
  parsed: ParsedJson,
  raw: Record<string, unknown>,
  managed: boolean,
  problems: SettingsProblem[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const add = (
    code: SettingsProblem['code'],
    path: (string | number)[],
    message: string,
    drops: SettingsProblem['drops'],
    key = false,
  ) => problems.push({ code, pointer: '/' + path.join('/'), message, range: rangeAt(parsed, path, key), drops });
  for (const [k, v] of Object.entries(raw)) {
    const spec = CLAUDE_KEYS[k];
    if (!spec) {
      if (!k.startsWith('_') && !k.startsWith('//'))
        add('unknown-key', [k], `unknown key "${k}": Claude Code ignores it`, 'none', true);
      out[k] = v;
      continue;
    }
    const err = typeError(spec, v);
    if (err) {
      add(spec.t === 'enum' ? 'enum' : 'type', [k], `"${k}" ${err}`, managed ? 'value' : 'file');
      continue;
    }
    if (k === 'permissions') {
      out[k] = validatePermissions(v as Record<string, unknown>, managed, add);
    } else if (k === 'env') {
      const env: Record<string, string> = {};
      for (const [name, val] of Object.entries(v as Record<string, unknown>)) {
        if (typeof val === 'string') env[name] = val;
        else if (typeof val === 'number' || typeof val === 'boolean') {
          add('type', [k, name], `env value "${name}" must be a string (write "${String(val)}")`, 'none');
          env[name] = String(val);
        } else add('type', [k, name], `env value "${name}" must be a string`, 'value');
      }
      out[k] = env;
    } else out[k] = v;
  }
  return out;
}

type Add = (
  code: SettingsProblem['code'],
  path: (string | number)[],
  message: string,
  drops: SettingsProblem['drops'],
  key?: boolean,
) => void;

function validatePermissions(p: Record<string, unknown>, managed: boolean, add: Add): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    const spec: TypeSpec | undefined = PERMISSIONS_KEYS[k];
    if (!spec) {
      add(
        'unknown-key',
        ['permissions', k],
        `unknown key "permissions.${k}": Claude Code ignores it (the schema allows only allow, ask, deny, additionalDirectories, defaultMode, disableBypassPermissionsMode, disableAutoMode)`,
        'none',
        true,
      );
      continue;
    }
    const err = typeError(spec, v);
    if (err) {
      // Seen with the real CLI: a bad enum drops a project/local/user file whole; a non-list drops that list.
      const drops = spec.t === 'enum' && !managed ? 'file' : 'value';
      add(spec.t === 'enum' ? 'enum' : 'type', ['permissions', k], `"permissions.${k}" ${err}`, drops);
      continue;
    }
    if (spec.t === 'string[]') {
      const list: unknown[] = [];
      (v as unknown[]).forEach((item, i) => {
        if (typeof item === 'string') list.push(item);
        else
          add(
            'type',
            ['permissions', k, i],
            `"permissions.${k}" entries must be strings; this one is skipped`,
            'entry',
          );
      });
      out[k] = list;
    } else out[k] = v;
  }
  return out;
}

/** Load a settings file from the snapshot (root-relative) or an absolute path; undefined when it does not exist. */
export function loadSettingsFile(
  snapshot: Snapshot,
  where: { rel?: string; abs?: string },
  meta: { scope: ClaudeScope; origin: SettingsFile['origin']; anchor: string },
): SettingsFile | undefined {
  const abs = where.abs ? posix(where.abs) : posix(snapshot.root).replace(/\/$/, '') + '/' + where.rel;
  const r = where.rel !== undefined ? snapshot.read(where.rel) : snapshot.readAbsolute(abs);
  const loc = where.rel !== undefined ? { file: where.rel, inWorkspace: true } : relOrAbs(snapshot.root, abs);
  const version =
    where.rel !== undefined ? snapshot.version(where.rel) : r.ok ? `${r.size}:${hash(r.text)}` : 'missing';
  if (!r.ok) {
    if (r.reason === 'missing' || r.reason === 'directory') return undefined;
    const f = loadSettingsText('', { ...meta, ...loc, abs, version });
    f.problems = [
      { code: 'unreadable', pointer: '', message: r.message, range: f.parsed.lines.range(0, 0), drops: 'file' },
    ];
    f.dropped = true;
    return f;
  }
  return loadSettingsText(r.text, { ...meta, ...loc, abs, version });
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** The machine's managed-settings.d drop-ins: `*.json`, hidden files ignored, alphabetical (formats §1.2). */
export function dropInNames(snapshot: Snapshot, managedPath: string): string[] {
  const dir = dirname(posix(managedPath)) + '/managed-settings.d';
  const names = snapshot.listAbsolute?.(dir) ?? [];
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort()
    .map((n) => dir + '/' + n);
}

export function loadStack(snapshot: Snapshot, options: StackOptions = {}): SettingsStack {
  const root = posix(snapshot.root).replace(/\/$/, '');
  const home = posix(options.home ?? '~');
  const files: SettingsFile[] = [];
  const managedPath =
    options.managedPath === undefined ? snapshot.managedSettingsPath : (options.managedPath ?? undefined);
  if (managedPath) {
    const main = loadSettingsFile(
      snapshot,
      { abs: managedPath },
      { scope: 'managed', origin: 'machine', anchor: root },
    );
    if (main) files.push(main);
    for (const d of dropInNames(snapshot, managedPath)) {
      const f = loadSettingsFile(snapshot, { abs: d }, { scope: 'managed', origin: 'dropin', anchor: root });
      if (f) files.push(f);
    }
  }
  const sourcePath = options.managedSource ?? DEFAULT_MANAGED_SOURCE;
  const managedSource = loadSettingsFile(
    snapshot,
    { rel: sourcePath },
    { scope: 'managed', origin: 'source', anchor: root },
  );
  const managedFromSource = files.length === 0 && managedSource !== undefined;
  if (managedFromSource) files.push(managedSource);
  const local = loadSettingsFile(
    snapshot,
    { rel: '.claude/settings.local.json' },
    { scope: 'local', origin: 'workspace', anchor: root },
  );
  if (local) files.push(local);
  const project = loadSettingsFile(
    snapshot,
    { rel: '.claude/settings.json' },
    { scope: 'project', origin: 'workspace', anchor: root },
  );
  if (project) files.push(project);
  const userPath = options.userPath === undefined ? snapshot.userSettingsPath : (options.userPath ?? undefined);
  if (userPath) {
    const user = loadSettingsFile(
      snapshot,
      { abs: userPath },
      { scope: 'user', origin: 'user', anchor: dirname(posix(userPath)) },
    );
    if (user) files.push(user);
  }
  const version = [...files, ...(managedSource && !managedFromSource ? [managedSource] : [])]
    .map((f) => `${f.file}@${f.version}`)
    .join('|');
  return {
    root,
    home,
    files,
    ...(managedSource ? { managedSource } : {}),
    managedSourcePath: sourcePath,
    managedFromSource,
    version,
  };
}

/** The jsonc node of a rule string: `permissions.<list>[index]`. */
export function ruleNode(f: SettingsFile, list: string, index: number): jsonc.Node | undefined {
  if (!f.parsed.tree) return undefined;
  const perms = f.parsed.tree.children?.filter((p) => p.children?.[0]?.value === 'permissions').pop()?.children?.[1];
  const l = perms?.children?.filter((p) => p.children?.[0]?.value === list).pop()?.children?.[1];
  return l?.type === 'array' ? l.children?.[index] : undefined;
}
