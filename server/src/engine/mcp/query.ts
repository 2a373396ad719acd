// Questions the editor asks of the mcp surface: which server is under the cursor, and its registry entry.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import type { ResolvedPolicy } from '../policy/types';
import type { Position } from '../types';
import { claudeStatus, matches, registryOf, type ClaudeStatus, type McpServer } from './index';
import type { Match } from './registry';

export interface ServerInfo {
  server: McpServer;
  match?: Match;
  /** The registry file as the policy names it, or undefined when the policy names none. */
  registry?: string;
  /** Why the registry could not be used. */
  registryProblem?: string;
  /** Whether Claude Code starts it (Claude Code servers only). */
  claude?: ClaudeStatus;
}

function inside(p: Position, r: { start: Position; end: Position }): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

/** The server whose name is at `position` in the MCP config `rel`. */
export function serverAt(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  rel: string,
  position: Position,
): ServerInfo | undefined {
  const hit = matches(snapshot, cache, policy).find(
    (m) => m.server.file === rel && inside(position, m.server.nameRange),
  );
  if (!hit) return undefined;
  const st = claudeStatus(snapshot, cache, policy, hit.server);
  const claude = st ? { claude: st } : {};
  const reg = registryOf(snapshot, cache, policy);
  if (reg.state === 'none') return { server: hit.server, ...claude };
  if (reg.state === 'unreadable')
    return { server: hit.server, registry: reg.file, registryProblem: reg.message, ...claude };
  return { server: hit.server, registry: reg.registry.file, ...(hit.match ? { match: hit.match } : {}), ...claude };
}
