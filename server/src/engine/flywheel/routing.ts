// Routing: which file a signal's proposal changes, by route. Convention proposals go to the convention file that
// applies to the related files (the nearest one the signal's agent reads), and — one rule, every agent — to the other
// agents' convention files that apply there too.

import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import { ownersOf } from '../ownership/query';
import { managedSourcePath } from '../permissions/index';
import type { ResolvedPolicy } from '../policy/types';
import type { FlywheelPolicy, Route } from './policy';
import type { Agent, Signal } from './signal';

/** The convention file name each agent reads in a folder (Cursor and Copilot read AGENTS.md too). */
const AGENT_FILE: Record<Agent, string> = {
  claude: 'CLAUDE.md',
  gemini: 'GEMINI.md',
  codex: 'AGENTS.md',
  copilot: 'AGENTS.md',
  cursor: 'AGENTS.md',
  other: 'AGENTS.md',
};
const FOLDER_FILES = ['CLAUDE.md', 'AGENTS.md', 'GEMINI.md'];
/** Read for the whole repository, so mirrors of a root-level rule. */
const ROOT_FILES = ['.github/copilot-instructions.md', '.cursorrules'];

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const join = (d: string, f: string) => (d ? `${d}/${f}` : f);

function deepestCommonDir(paths: string[]): string {
  if (!paths.length) return '';
  let parts = dirOf(paths[0]!).split('/').filter(Boolean);
  for (const p of paths.slice(1)) {
    const q = dirOf(p).split('/').filter(Boolean);
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/');
}

/** The convention files a convention proposal changes: the nearest file of the signal's agent above the related
 * files (else the nearest of any agent, else the agent's file at the root), and the other agents' files beside it. */
export function conventionTargets(snapshot: Snapshot, signal: Signal, explicit?: string): { target: string; targets: string[] } {
  const exists = (p: string) => snapshot.fileSet.has(p);
  const real = (p: string) => snapshot.governance.find((g) => g.path === p)?.symlinkTo;
  let target = explicit;
  if (!target) {
    const own = AGENT_FILE[signal.agent];
    let d: string | undefined = deepestCommonDir(signal.files.map((f) => f.path));
    while (d !== undefined && !target) {
      if (exists(join(d, own))) target = join(d, own);
      else target = FOLDER_FILES.map((f) => join(d!, f)).find(exists);
      d = d === '' ? undefined : dirOf(d);
    }
    target ??= own;
  }
  const d = dirOf(target);
  const candidates = [...FOLDER_FILES.map((f) => join(d, f)), ...(d === '' ? ROOT_FILES : [])];
  const targets = [target];
  for (const c of candidates) {
    if (c === target || !exists(c)) continue;
    const to = real(c);
    // A symlink to a file already in the list is the same file.
    if (to !== undefined && (targets.includes(to) || to === target)) continue;
    if (targets.some((t) => real(t) === c)) continue;
    targets.push(c);
  }
  return { target, targets };
}

/** A file name from a summary: `Run the billing migrations` → `run-the-billing-migrations`. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return s || 'untitled';
}

const COMMAND_DIR: Record<Agent, string> = {
  claude: '.claude/commands',
  gemini: '.claude/commands',
  codex: '.claude/commands',
  other: '.claude/commands',
  cursor: '.cursor/commands',
  copilot: '.github/prompts',
};

/** The default target of a route (undefined: the route needs `--target`). */
export function defaultTarget(route: Route, signal: Signal, policy: ResolvedPolicy, fp: FlywheelPolicy, name?: string): string | undefined {
  switch (route) {
    case 'command':
      return `${COMMAND_DIR[signal.agent]}/${name ?? slug(signal.summary)}${signal.agent === 'copilot' ? '.prompt.md' : '.md'}`;
    case 'playbook':
      return `docs/playbooks/${name ?? slug(signal.summary)}.md`;
    case 'managed-deny':
      return managedSourcePath(policy);
    case 'registry': {
      const mcp = (policy.mcp ?? {}) as Record<string, unknown>;
      return fp.registry ?? (typeof mcp.registry === 'string' ? mcp.registry : undefined);
    }
    case 'hook':
      return '.claude/settings.json';
    default:
      return undefined;
  }
}

/** Who ratifies a proposal: `flywheel.ratifiers` for its route when the policy names them, else the winning
 * CODEOWNERS owners of each target (GitHub, GitLab or Bitbucket, as the ownership surface resolves them). */
export function ownersForTargets(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
  fp: FlywheelPolicy,
  route: Route,
  targets: readonly string[],
): string[] {
  const named = fp.ratifiers[route];
  if (named?.length) return [...named];
  const out: string[] = [];
  for (const r of ownersOf(snapshot, cache, policy, [...targets])) for (const o of r.owners) if (!out.includes(o)) out.push(o);
  return out;
}
