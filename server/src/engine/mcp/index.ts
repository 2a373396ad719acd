// The mcp surface: every client's MCP config in one model, the org registry, and what each server is granted.
// Analyses are memoised in the AnalysisCache, keyed by the versions of the files they read.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { claudeEffective } from '../permissions/index';
import type { PermRule } from '../permissions/effective';
import type { ResolvedPolicy } from '../policy/types';
import type { McpServer } from './config';
import { allServers } from './configs';
import { matchServer, parseRegistry, type Match, type Registry } from './registry';
import { claudeNeverStarts } from './claude';

export * from './config';
export * from './configs';
export * from './registry';
export * from './claude';

export interface McpPolicy {
  enabled?: boolean;
  registry?: string;
}

export function mcpPolicy(policy: ResolvedPolicy): McpPolicy {
  return policy.mcp;
}

/** Where the registry is: root-relative when set by the team's policy or inside the root, else absolute. */
export function registryLocation(
  snapshot: Snapshot,
  policy: ResolvedPolicy,
): { file: string; abs: string; inWorkspace: boolean } | undefined {
  const p = mcpPolicy(policy).registry;
  if (typeof p !== 'string' || !p) return undefined;
  const origin = policy.origin('/mcp/registry')?.file;
  const source = policy.sources.find((x) => x.path === origin);
  const root = snapshot.root.replace(/\\/g, '/').replace(/\/$/, '');
  let abs: string;
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) abs = p.replace(/\\/g, '/');
  else if (origin && source?.kind === 'floor') {
    // Set by an org floor: relative to the floor file (kept root-relative with `../`, or absolute).
    const dir = origin.slice(0, origin.lastIndexOf('/') + 1);
    abs = normalize(origin.startsWith('/') || /^[A-Za-z]:\//.test(origin) ? dir + p : `${root}/${dir}${p}`);
  } else abs = normalize(root + '/' + p.replace(/^\.\//, ''));
  if (abs.startsWith(root + '/')) return { file: abs.slice(root.length + 1), abs, inWorkspace: true };
  // Shown like a policy floor: relative when beside the repository, absolute when far away.
  const up = root.split('/').filter(Boolean);
  const to = abs.split('/').filter(Boolean);
  let k = 0;
  while (k < up.length && k < to.length && up[k] === to[k]) k++;
  const rel = '../'.repeat(up.length - k) + to.slice(k).join('/');
  return { file: rel.startsWith('../../../') ? abs : rel, abs, inWorkspace: false };
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return '/' + out.join('/');
}

export type RegistryState =
  | { state: 'none' }
  | { state: 'unreadable'; file: string; inWorkspace: boolean; message: string }
  | { state: 'ok'; registry: Registry };

/** The org registry the policy names (memoised). */
export function registryOf(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): RegistryState {
  const loc = registryLocation(snapshot, policy);
  if (!loc) return { state: 'none' };
  const r = loc.inWorkspace ? snapshot.read(loc.file) : snapshot.readAbsolute(loc.abs);
  const deps = [loc.file, r.ok ? `${r.size}:${r.text.length}:${hash(r.text)}` : r.reason].join('\0');
  return cache.memo('mcp/registry', deps, (): RegistryState => {
    if (!r.ok) return { state: 'unreadable', file: loc.file, inWorkspace: loc.inWorkspace, message: r.message };
    return { state: 'ok', registry: parseRegistry(loc.file, loc.inWorkspace, r.text) };
  });
}

function hash(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return String(h);
}

/** Each server with its registry match (undefined when the registry does not list it). */
export function matches(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
): { server: McpServer; match?: Match }[] {
  const reg = registryOf(snapshot, cache, policy);
  const servers = allServers(snapshot, cache);
  if (reg.state !== 'ok') return servers.map((server) => ({ server }));
  return servers.map((server) => {
    const match = matchServer(reg.registry, server);
    return match ? { server, match } : { server };
  });
}

/** A Claude Code allow rule that auto-approves an MCP tool (`mcp__srv__tool`) or a whole server (`mcp__srv`). */
export interface ClaudeGrant {
  server: string;
  tool: string;
  rule: PermRule;
}

export function claudeGrants(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): ClaudeGrant[] {
  const e = claudeEffective(snapshot, cache, policy, { shadows: false });
  const out: ClaudeGrant[] = [];
  for (const r of e.byList.allow) {
    if (r.status === 'dead' || !r.file.inWorkspace) continue;
    const m = r.parsed.matcher;
    if (m.kind === 'mcp-server') out.push({ server: m.server, tool: '*', rule: r });
    else if (m.kind === 'tool' && m.tool.startsWith('mcp__')) {
      const rest = m.tool.slice(5);
      const i = rest.indexOf('__');
      if (i > 0) out.push({ server: rest.slice(0, i), tool: rest.slice(i + 2), rule: r });
    }
  }
  return out;
}

/** Whether a tool is approved by a registry entry's `x-approvedTools` (`*` approves every tool). */
export function toolApproved(approved: readonly string[] | undefined, tool: string): boolean {
  if (!approved) return false;
  if (approved.includes('*')) return true;
  return tool !== '*' && approved.includes(tool);
}

/** Every grant of an MCP tool the registry does not approve (for mcp/unapproved-tool and the rollout stages). */
export interface UnapprovedGrant {
  server: McpServer;
  entryName: string;
  tool: string;
  how: string;
  file: string;
  path?: (string | number)[];
  rule?: PermRule;
}

export function unapprovedGrants(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): UnapprovedGrant[] {
  const out: UnapprovedGrant[] = [];
  // A server Claude Code never starts grants nothing (other clients' servers are always counted).
  const never = claudeNeverStarts(snapshot, cache, policy);
  const ms = matches(snapshot, cache, policy).filter((m) => !never(m.server));
  for (const { server, match } of ms) {
    if (!match) continue;
    for (const g of server.grants) {
      if (!toolApproved(match.entry.approvedTools, g.tool))
        out.push({ server, entryName: match.entry.name, tool: g.tool, how: g.how, file: server.file, path: g.path });
    }
  }
  const claude = ms.filter((m) => m.server.client === 'claude-code' && m.match);
  for (const g of claudeGrants(snapshot, cache, policy)) {
    const m = claude.find((x) => x.server.name === g.server);
    if (!m?.match) continue;
    if (!toolApproved(m.match.entry.approvedTools, g.tool)) {
      out.push({
        server: m.server,
        entryName: m.match.entry.name,
        tool: g.tool,
        how: `allow rule ${g.rule.text}`,
        file: g.rule.file.file,
        rule: g.rule,
      });
    }
  }
  return out;
}
