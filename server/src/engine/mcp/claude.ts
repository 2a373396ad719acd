// Whether Claude Code starts each MCP server of the repository, asks each developer first, or never starts it — and
// why. Read from the permissions surface's settings model (not parsed twice) and the Claude `.mcp.json` files of the
// mcp model. What Claude Code does (formats §1.5–1.7, and read in the pinned Claude Code 2.1.330 with cc-oracle):
//
// 1. A `managed-mcp.json` (the machine's, beside its managed settings; or, when the machine has no managed settings,
//    the one beside the repository's Managed source) has exclusive control: only its servers load.
// 2. `deniedMcpServers` merges from every scope (managed, local, project, user); a match by `serverName` (exact),
//    `serverCommand` (the exact argv) or `serverUrl` (`*` wildcards, host case-insensitive, a pattern without a path
//    matches any path) blocks the server, also an organization-provided one.
// 3. `allowedMcpServers`: read only from managed settings when a managed file sets `allowManagedMcpServersOnly: true`,
//    else merged from every scope. Undefined everywhere = every server passes; `[]` = none. A stdio server must match
//    a `serverCommand` entry when the list has one, a remote server a `serverUrl` entry when the list has one, else a
//    `serverName` entry. Servers of `managed-mcp.json` need no entry.
// 4. Only for the project's `.mcp.json`: `disabledMcpjsonServers` (any scope; names compared after Claude Code's
//    normalisation, every character outside `[A-Za-z0-9_-]` read as `_`) rejects the server; else
//    `enabledMcpjsonServers` (the exact name) or `enableAllProjectMcpServers: true` approves it — from the committed
//    `.claude/settings.json` only once the developer trusted the folder; else an interactive session asks each
//    developer — but print mode (`claude -p`, headless) starts such a pending server without asking (cc-oracle).
//
// A server whose command, arguments or URL hold a `${VAR}` reference is never judged "never" by a command or URL
// entry: the value is only known on the developer's machine. Nested `.mcp.json` files (a plugin's, a sub-project's)
// get steps 1–3 only.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { globMatch } from '../permissions/bash';
import type { Effective } from '../permissions/effective';
import { claudeEffective, managedSourcePath } from '../permissions/index';
import type { SettingsFile } from '../permissions/settings';
import { rangeAt } from '../permissions/json';
import type { ResolvedPolicy } from '../policy/types';
import type { Range } from '../types';
import { mcpConfigs } from './configs';
import { isReference, type McpServer } from './config';

export type ClaudeStart = 'starts' | 'asks' | 'never';

/** A place in a settings file: root-relative when `inWorkspace`, else absolute. */
export interface SettingAt {
  file: string;
  range: Range;
  inWorkspace: boolean;
}

export interface ClaudeStatus {
  start: ClaudeStart;
  /** Why, in words (plain text; code spans in backticks). */
  why: string;
  /** The setting that decides, when one does. */
  at?: SettingAt;
  /** The server is named in `enabledMcpjsonServers` (where). */
  enabledByName?: SettingAt;
}

const NAME_RE = /^[A-Za-z0-9_-]+$/;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '' : p.slice(0, i);
}

/** The key of a server in the map `claudeStatuses` returns. */
export function statusKey(s: McpServer): string {
  return s.file + '\0' + s.name;
}

function at(f: SettingsFile, path: (string | number)[]): SettingAt {
  return { file: f.file, range: rangeAt(f.parsed, path), inWorkspace: f.inWorkspace };
}

function where(f: SettingsFile): string {
  return f.inWorkspace ? f.file : `the ${f.scope} settings (${f.file})`;
}

/** Claude Code's server-name normalisation (used for `disabledMcpjsonServers`). */
function normalName(n: string): string {
  return n.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** A `serverUrl` pattern: `*` anywhere; scheme and host case-insensitive; no path = any path. */
export function urlPatternMatches(pattern: string, url: string): boolean {
  const split = (u: string): [string, string] => {
    const m = /^([^:/]*:\/\/[^/?#]*)(.*)$/.exec(u.trim());
    return m ? [m[1]!, m[2]!] : [u.trim(), ''];
  };
  const [po, pp] = split(pattern);
  const [uo, up] = split(url);
  if (!globMatch(po, uo, true)) return false;
  return pp === '' || globMatch(pp, up);
}

type Entry = { entry: Record<string, unknown>; file: SettingsFile; index: number; list: string };

function entriesOf(files: readonly SettingsFile[], list: string): Entry[] {
  const out: Entry[] = [];
  for (const f of files) {
    const v = f.value[list];
    if (!Array.isArray(v)) continue;
    v.forEach((entry, index) => {
      if (isObj(entry)) out.push({ entry, file: f, index, list });
    });
  }
  return out;
}

type Verdict = 'yes' | 'no' | 'unknown';

function argvOf(s: McpServer): string[] | undefined {
  if (s.transport !== 'stdio' || !s.command) return undefined;
  return [s.command, ...s.args];
}

function byCommand(e: Record<string, unknown>, s: McpServer): Verdict {
  const cmd = e.serverCommand;
  if (!Array.isArray(cmd)) return 'no';
  const argv = argvOf(s);
  if (!argv) return 'no';
  if (argv.some(isReference) || cmd.some((a) => typeof a === 'string' && isReference(a))) return 'unknown';
  return cmd.length === argv.length && cmd.every((a, i) => a === argv[i]) ? 'yes' : 'no';
}

function byUrl(e: Record<string, unknown>, s: McpServer): Verdict {
  const p = e.serverUrl;
  if (typeof p !== 'string' || !s.url || s.transport === 'stdio') return 'no';
  if (isReference(s.url) || isReference(p)) return 'unknown';
  return urlPatternMatches(p, s.url) ? 'yes' : 'no';
}

function describe(e: Record<string, unknown>): string {
  if (typeof e.serverName === 'string') return `{"serverName": ${JSON.stringify(e.serverName)}}`;
  if (Array.isArray(e.serverCommand)) return `{"serverCommand": ${JSON.stringify(e.serverCommand)}}`;
  if (typeof e.serverUrl === 'string') return `{"serverUrl": ${JSON.stringify(e.serverUrl)}}`;
  return 'an entry';
}

export interface ManagedMcp {
  /** Root-relative when in the workspace, else absolute. */
  file: string;
  inWorkspace: boolean;
}

/** The `managed-mcp.json` in effect, if any. */
export function managedMcpFile(
  snapshot: Snapshot,
  policy: ResolvedPolicy,
  /** claudeEffective(…, { shadows: false }), which the caller already has. */
  e: Effective,
): ManagedMcp | undefined {
  const machine = snapshot.managedSettingsPath?.replace(/\\/g, '/');
  if (machine) {
    const p = dirOf(machine) + '/managed-mcp.json';
    const r = snapshot.readAbsolute(p);
    if (r.ok) return { file: p, inWorkspace: false };
  }
  if (e.stack.files.some((f) => f.origin === 'machine' || f.origin === 'dropin')) return undefined;
  const dir = dirOf(managedSourcePath(policy));
  const rel = (dir ? dir + '/' : '') + 'managed-mcp.json';
  return snapshot.fileSet.has(rel) ? { file: rel, inWorkspace: true } : undefined;
}

/** For every Claude Code server of the repository: whether Claude Code starts it, asks, or never starts it. */
export function claudeStatuses(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
): Map<string, ClaudeStatus> {
  const e = claudeEffective(snapshot, cache, policy, { shadows: false });
  const configs = mcpConfigs(snapshot, cache);
  const managedMcp = managedMcpFile(snapshot, policy, e);
  const deps = [
    e.stack.version,
    snapshot.filesVersion,
    managedMcp?.file ?? '-',
    ...configs.map((c) => c.file + '@' + snapshot.version(c.file)),
  ].join('\0');
  return cache.memo('mcp/claude-statuses', deps, () => {
    const out = new Map<string, ClaudeStatus>();
    const files = e.stack.files.filter((f) => !f.dropped);
    const managed = files.filter((f) => f.scope === 'managed');
    const denied = entriesOf(files, 'deniedMcpServers');
    const onlyManaged = managed.find((f) => f.value.allowManagedMcpServersOnly === true);
    const allowFiles = onlyManaged ? managed : files;
    const allowDefined = allowFiles.filter(
      (f) =>
        Array.isArray(f.value.allowedMcpServers) ||
        // Claude Code fails closed: an invalid managed allowlist is an empty one.
        (f.scope === 'managed' && f.problems.some((p) => p.pointer === '/allowedMcpServers' && p.drops !== 'none')),
    );
    const allowed = entriesOf(allowFiles, 'allowedMcpServers');
    for (const c of configs) {
      if (c.client !== 'claude-code') continue;
      const isManagedMcp = managedMcp?.inWorkspace === true && c.file === managedMcp.file;
      const isProject = c.file === '.mcp.json';
      for (const s of c.servers) {
        const st = statusOf(s, {
          isManagedMcp,
          isProject,
          managedMcp,
          denied,
          allowDefined,
          allowed,
          onlyManaged,
          files,
        });
        if (st) out.set(statusKey(s), st);
      }
    }
    return out;
  });
}

interface Ctx {
  isManagedMcp: boolean;
  isProject: boolean;
  managedMcp: ManagedMcp | undefined;
  denied: Entry[];
  allowDefined: SettingsFile[];
  allowed: Entry[];
  onlyManaged: SettingsFile | undefined;
  files: SettingsFile[];
}

function statusOf(s: McpServer, c: Ctx): ClaudeStatus | undefined {
  if (c.managedMcp && !c.isManagedMcp) {
    const m = c.managedMcp.inWorkspace ? c.managedMcp.file : `the machine's ${c.managedMcp.file}`;
    return {
      start: 'never',
      why: `${m} has exclusive control over MCP servers: only its servers load`,
    };
  }
  for (const d of c.denied) {
    const name = d.entry.serverName;
    const hit =
      typeof name === 'string'
        ? name === s.name
          ? 'yes'
          : 'no'
        : 'serverCommand' in d.entry
          ? byCommand(d.entry, s)
          : byUrl(d.entry, s);
    if (hit === 'yes')
      return {
        start: 'never',
        why: `denied by the \`deniedMcpServers\` entry ${describe(d.entry)} in ${where(d.file)}`,
        at: at(d.file, ['deniedMcpServers', d.index]),
      };
  }
  if (!c.isManagedMcp && c.allowDefined.length) {
    const v = allowVerdict(s, c.allowed);
    if (v === 'no') {
      const f = c.allowDefined[0]!;
      const whose = c.onlyManaged
        ? `the managed allowlist in ${where(f)} (\`allowManagedMcpServersOnly\`)`
        : `\`allowedMcpServers\` in ${where(f)}`;
      const how =
        s.transport === 'stdio'
          ? c.allowed.some((a) => Array.isArray(a.entry.serverCommand))
            ? 'no `serverCommand` entry is its exact command line'
            : 'no `serverName` entry names it'
          : c.allowed.some((a) => typeof a.entry.serverUrl === 'string')
            ? 'no `serverUrl` entry matches its URL'
            : 'no `serverName` entry names it';
      return {
        start: 'never',
        why: `not on ${whose}: ${c.allowed.length ? how : 'the list is empty'}`,
        at: at(f, ['allowedMcpServers']),
      };
    }
  }
  if (c.isManagedMcp)
    return { start: 'starts', why: 'delivered by the organization in managed-mcp.json: no developer approval needed' };
  if (!c.isProject) return undefined;
  for (const f of c.files) {
    const list = f.value.disabledMcpjsonServers;
    if (!Array.isArray(list)) continue;
    const i = list.findIndex((n) => typeof n === 'string' && normalName(n) === normalName(s.name));
    if (i >= 0)
      return {
        start: 'never',
        why: `rejected by \`disabledMcpjsonServers\` in ${where(f)}`,
        at: at(f, ['disabledMcpjsonServers', i]),
      };
  }
  let byName: { f: SettingsFile; i: number } | undefined;
  for (const f of c.files) {
    const list = f.value.enabledMcpjsonServers;
    if (!Array.isArray(list)) continue;
    const i = list.findIndex((n) => n === s.name);
    if (i >= 0) {
      byName = { f, i };
      break;
    }
  }
  const trust = (f: SettingsFile) =>
    f.scope === 'project' || f.scope === 'local' ? ', once the developer trusts the folder' : '';
  if (byName) {
    const a = at(byName.f, ['enabledMcpjsonServers', byName.i]);
    return {
      start: 'starts',
      why: `enabled by name in \`enabledMcpjsonServers\` in ${where(byName.f)}${trust(byName.f)}`,
      at: a,
      enabledByName: a,
    };
  }
  const all = c.files.find((f) => f.value.enableAllProjectMcpServers === true);
  if (all)
    return {
      start: 'starts',
      why: `\`enableAllProjectMcpServers\` in ${where(all)} approves every server of .mcp.json${trust(all)}`,
      at: at(all, ['enableAllProjectMcpServers']),
    };
  return {
    start: 'asks',
    why: 'neither `enabledMcpjsonServers` nor `enableAllProjectMcpServers` approves it, so an interactive session asks each developer first; `claude -p` (headless) starts it without asking',
  };
}

function allowVerdict(s: McpServer, allowed: Entry[]): Verdict {
  if (!allowed.length) return 'no';
  const strong =
    s.transport === 'stdio'
      ? allowed.filter((a) => Array.isArray(a.entry.serverCommand))
      : allowed.filter((a) => typeof a.entry.serverUrl === 'string');
  if (strong.length) {
    let unknown = false;
    for (const a of strong) {
      const v = s.transport === 'stdio' ? byCommand(a.entry, s) : byUrl(a.entry, s);
      if (v === 'yes') return 'yes';
      if (v === 'unknown') unknown = true;
    }
    return unknown ? 'unknown' : 'no';
  }
  return allowed.some((a) => a.entry.serverName === s.name && NAME_RE.test(s.name)) ? 'yes' : 'no';
}

/** The status of one server (undefined: not a Claude Code server, or one whose start is not modelled). */
export function claudeStatus(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  s: McpServer,
): ClaudeStatus | undefined {
  if (s.client !== 'claude-code') return undefined;
  return claudeStatuses(snapshot, cache, policy).get(statusKey(s));
}

/** A test for the servers Claude Code never starts, computed once (other clients' servers: false). */
export function claudeNeverStarts(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
): (s: McpServer) => boolean {
  const map = claudeStatuses(snapshot, cache, policy);
  return (s) => s.client === 'claude-code' && map.get(statusKey(s))?.start === 'never';
}
