// The boundary surface: the paths no agent may read (policy `boundary.exclude`) against each agent's own mechanism
// (policy `boundary.agents`): Claude Code — `Read` deny rules in the Managed source (Project: a weaker warning),
// read through the permissions surface's settings model; Cursor — `.cursorignore`; Gemini CLI — `.geminiignore`
// (and `context.fileFiltering.customIgnoreFilePaths`); Gemini Code Assist — `.aiexclude`; Cody — the org's
// `cody.contextFilters` (RE2, repo-level, formats §4); Copilot — content exclusion lives in GitHub's settings.
// A glob is covered when every sample path it stands for is excluded by the agent's mechanism.

import ignore from 'ignore';
import { RE2JS } from 're2js';
import type { AnalysisCache } from '../cache';
import type { Snapshot } from '../host';
import {
  claudeEffective,
  geminiStack,
  getPath,
  managedSourcePath,
  parseRule,
  pathMatches,
  rulesOfFile,
  type SettingsFile,
} from '../permissions/index';
import { parseJson, rangeAt, type ParsedJson } from '../permissions/json';
import type { ResolvedPolicy } from '../policy/types';
import type { Range } from '../types';

export const AGENTS = ['claude-code', 'cursor', 'gemini-cli', 'gemini-code-assist', 'cody', 'copilot'] as const;
export type Agent = (typeof AGENTS)[number];

export const AGENT_NAMES: Record<Agent, string> = {
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  'gemini-cli': 'Gemini CLI',
  'gemini-code-assist': 'Gemini Code Assist',
  cody: 'Cody',
  copilot: 'GitHub Copilot',
};

export const IGNORE_FILE: Partial<Record<Agent, string>> = {
  cursor: '.cursorignore',
  'gemini-cli': '.geminiignore',
  'gemini-code-assist': '.aiexclude',
};

export interface BoundaryPolicy {
  exclude?: string[];
  agents?: string[];
  codyContextFilters?: string;
  repoName?: string;
}

export function boundaryPolicy(policy: ResolvedPolicy): BoundaryPolicy {
  return policy.boundary;
}

/** Why a boundary glob can never match a path of the repository, or undefined. */
export function globProblem(glob: string): string | undefined {
  const g = glob.trim();
  if (!g) return 'an empty pattern matches nothing';
  if (g.startsWith('!')) return 'a negation ("!") re-includes paths; a boundary lists only what to exclude';
  if (/(^|\/)\.\.(\/|$)/.test(g))
    return 'a ".." segment: paths are relative to the repository root, so it matches nothing';
  if (/^[A-Za-z]:[\\/]|^~/.test(g))
    return 'an absolute or home path: boundary paths are relative to the repository root';
  if (g.includes('\\')) return 'a backslash: patterns use "/" separators';
  let depth = 0;
  for (const c of g) {
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
  }
  if (depth > 0) return 'an unclosed "[" character class matches nothing';
  return undefined;
}

/** Paths a gitignore-style glob stands for: a few samples, at the top level and nested. */
export function samplesOf(glob: string): string[] {
  let g = glob.trim().replace(/^\/+/, '');
  const anchored = glob.trim().startsWith('/') || g.replace(/\/+$/, '').includes('/');
  if (g.endsWith('/')) g += '**';
  const variants = (mode: 0 | 1): string => {
    let s = g
      .replace(/^\*\*\//, mode ? 'a/b/' : '')
      .replace(/\/\*\*$/, mode ? '/a/b/file.txt' : '/file')
      .replace(/\/\*\*\//g, mode ? '/a/b/' : '/')
      .replace(/\*\*/g, 'x')
      .replace(/\[!?\^?([^\]])[^\]]*\]/g, '$1')
      .replace(/\?/g, 'x');
    s = s.replace(/(^|\/)\*/g, '$1x').replace(/\*/g, mode ? '.local' : '');
    return s;
  };
  const out = new Set([variants(0), variants(1)]);
  if (!anchored) for (const s of [...out]) out.add('nested/' + s);
  return [...out].filter((s) => s && !s.endsWith('/'));
}

export interface Gap {
  agent: Agent;
  glob: string;
  /** Index of the glob in the policy's boundary.exclude. */
  index: number;
  /** The file whose line is missing (root-relative). */
  file: string;
  /** The line (or rule) that would cover it. */
  missing: string;
  /** Covered, but only where a developer can override it (Claude Code Project settings). */
  weaker?: boolean;
  /** The mechanism is switched off (respectGeminiIgnore: false). */
  note?: string;
}

function covers(ig: ReturnType<typeof ignore>, samples: string[]): boolean {
  try {
    return samples.every((s) => ig.ignores(s));
  } catch {
    return false;
  }
}

function ignoreOf(snapshot: Snapshot, files: string[]): { ig: ReturnType<typeof ignore>; text: string } {
  const ig = ignore();
  let text = '';
  for (const f of files) {
    const r = snapshot.read(f);
    if (!r.ok) continue;
    try {
      ig.add(r.text);
    } catch {
      // A line the library cannot read covers nothing.
    }
    if (!text) text = r.text;
  }
  return { ig, text };
}

/** Whether Read deny rules of a settings file cover every sample. */
function readDenyCovers(f: SettingsFile | undefined, samples: string[], root: string, home: string): boolean {
  if (!f) return false;
  const rules = rulesOfFile(f).filter(
    (r) => r.list === 'deny' && r.parsed.matcher.kind === 'path' && r.parsed.matcher.access === 'read',
  );
  return samples.every((s) =>
    rules.some(
      (r) =>
        r.parsed.matcher.kind === 'path' &&
        pathMatches(r.parsed.matcher, `${root}/${s}`, { cwd: root, home, anchor: f.anchor }),
    ),
  );
}

/** The Read rule that covers a glob, checked against its own samples. */
export function readRuleFor(glob: string, root: string, home: string): string | undefined {
  const g = glob.trim().replace(/^\/+/, '').replace(/\/$/, '/**');
  const anchored = g.includes('/') && !g.startsWith('**/');
  for (const text of [anchored ? `Read(./${g})` : `Read(./**/${g.replace(/^\*\*\//, '')})`, `Read(./${g})`]) {
    const p = parseRule(text, 'deny');
    const m = p.matcher;
    if (m.kind !== 'path' || p.problems.length) continue;
    if (samplesOf(glob).every((s) => pathMatches(m, `${root}/${s}`, { cwd: root, home, anchor: root }))) return text;
  }
  return undefined;
}

/** Every excluded path an agent can read (memoised). */
export function boundaryGaps(snapshot: Snapshot, cache: AnalysisCache, policy: ResolvedPolicy): Gap[] {
  const bp = boundaryPolicy(policy);
  const globs = Array.isArray(bp.exclude) ? bp.exclude : [];
  const agents = (Array.isArray(bp.agents) ? bp.agents : []).filter((a): a is Agent =>
    (AGENTS as readonly string[]).includes(a),
  );
  if (!globs.length || !agents.length) return [];
  const e = claudeEffective(snapshot, cache, policy, { shadows: false });
  const ignoreFiles = ['.cursorignore', '.geminiignore', '.aiexclude'];
  const deps = [
    policy.version,
    e.stack.version,
    snapshot.version('.gemini/settings.json'),
    ...ignoreFiles.map((f) => snapshot.version(f)),
  ].join('\0');
  return cache.memo('boundary/gaps', deps, () => {
    const out: Gap[] = [];
    const root = e.stack.root;
    const home = e.home;
    const project = e.stack.files.filter((f) => f.scope === 'project' || f.scope === 'local');
    globs.forEach((glob, index) => {
      if (globProblem(glob)) return;
      const samples = samplesOf(glob);
      for (const agent of agents) {
        if (agent === 'claude-code') {
          if (readDenyCovers(e.stack.managedSource, samples, root, home)) continue;
          const rule = readRuleFor(glob, root, home) ?? `Read(./${glob.replace(/^\/+/, '')})`;
          const weaker = project.some((f) => readDenyCovers(f, samples, root, home));
          out.push({
            agent,
            glob,
            index,
            file: managedSourcePath(policy),
            missing: rule,
            ...(weaker ? { weaker } : {}),
          });
        } else if (agent === 'cursor' || agent === 'gemini-code-assist') {
          const file = IGNORE_FILE[agent]!;
          if (covers(ignoreOf(snapshot, [file]).ig, samples)) continue;
          out.push({ agent, glob, index, file, missing: glob });
        } else if (agent === 'gemini-cli') {
          const g = geminiStack(snapshot, cache);
          const custom = getPath(g.merged, 'context.fileFiltering.customIgnoreFilePaths');
          const extra = Array.isArray(custom)
            ? custom.filter((x): x is string => typeof x === 'string' && !x.startsWith('/'))
            : [];
          const off = getPath(g.merged, 'context.fileFiltering.respectGeminiIgnore') === false;
          const files = [...(off ? [] : ['.geminiignore']), ...extra];
          if (covers(ignoreOf(snapshot, files).ig, samples)) continue;
          out.push({
            agent,
            glob,
            index,
            file: '.geminiignore',
            missing: glob,
            ...(off
              ? { note: 'context.fileFiltering.respectGeminiIgnore is false, so .geminiignore is not read' }
              : {}),
          });
        }
      }
    });
    return out;
  });
}

export interface CodyPattern {
  list: 'include' | 'exclude';
  index: number;
  pattern: string;
  range: Range;
  re?: RE2JS;
  problem?: string;
}

export interface CodyFilters {
  file: string;
  parsed: ParsedJson;
  /** JSON path of the filters object. */
  path: string[];
  present: boolean;
  include?: CodyPattern[];
  exclude?: CodyPattern[];
  problems: { message: string; range: Range }[];
}

/** The org's Cody context filters, when the policy points at a copy in the repository (memoised). */
export function codyFilters(
  snapshot: Snapshot,
  cache: AnalysisCache,
  policy: ResolvedPolicy,
): CodyFilters | { file: string; unreadable: string } | undefined {
  const file = boundaryPolicy(policy).codyContextFilters?.replace(/^\.\//, '');
  if (!file) return undefined;
  return cache.memo('boundary/cody', file + '\0' + snapshot.version(file), () => {
    const r = snapshot.read(file);
    if (!r.ok) return { file, unreadable: r.message };
    const parsed = parseJson(r.text, { allowComments: true, allowTrailingComma: true });
    const out: CodyFilters = { file, parsed, path: [], present: false, problems: [] };
    const root = parsed.value;
    if (!root) {
      out.problems.push({
        message: parsed.problems[0]?.message ?? 'not a JSON object',
        range: parsed.problems[0]?.range ?? rangeAt(parsed, []),
      });
      return out;
    }
    let f: unknown = root;
    if ('cody.contextFilters' in root) {
      f = root['cody.contextFilters'];
      out.path = ['cody.contextFilters'];
    }
    if (typeof f !== 'object' || f === null || Array.isArray(f)) {
      out.problems.push({
        message: '"cody.contextFilters" must be an object with "include" and/or "exclude"',
        range: rangeAt(parsed, out.path),
      });
      return out;
    }
    const obj = f as Record<string, unknown>;
    out.present = true;
    if (!('include' in obj) && !('exclude' in obj))
      out.problems.push({
        message: 'the filters set neither "include" nor "exclude": Sourcegraph rejects them',
        range: rangeAt(parsed, out.path),
      });
    for (const list of ['include', 'exclude'] as const) {
      if (!(list in obj)) continue;
      const arr = obj[list];
      const at = [...out.path, list];
      if (!Array.isArray(arr) || arr.length === 0) {
        out.problems.push({
          message: `"${list}" must be a non-empty list of { "repoNamePattern": … }`,
          range: rangeAt(parsed, at),
        });
        continue;
      }
      const pats: CodyPattern[] = [];
      arr.slice(0, 1000).forEach((item, index) => {
        const range = rangeAt(parsed, [...at, index]);
        if (typeof item === 'string') {
          pats.push({
            list,
            index,
            pattern: item,
            range,
            problem: `a bare string: each entry must be { "repoNamePattern": ${JSON.stringify(item).slice(0, 60)} }`,
          });
          return;
        }
        const p = item && typeof item === 'object' ? (item as Record<string, unknown>).repoNamePattern : undefined;
        if (typeof p !== 'string') {
          pats.push({ list, index, pattern: '', range, problem: '"repoNamePattern" is required' });
          return;
        }
        const prange = rangeAt(parsed, [...at, index, 'repoNamePattern']);
        const problem = re2Problem(p);
        if (problem) pats.push({ list, index, pattern: p, range: prange, problem });
        else pats.push({ list, index, pattern: p, range: prange, re: RE2JS.compile(p) });
      });
      out[list] = pats;
    }
    return out;
  });
}

/** Why a pattern is not RE2 (Go regexp syntax), or undefined. */
export function re2Problem(p: string): string | undefined {
  if (/\(\?<?[=!]/.test(p))
    return `"${p.slice(0, 60)}" uses a lookaround ("(?=", "(?!", "(?<="), which RE2 does not support`;
  if (/\\[1-9]/.test(p)) return `"${p.slice(0, 60)}" uses a backreference, which RE2 does not support`;
  try {
    RE2JS.compile(p);
    return undefined;
  } catch (err) {
    return `"${p.slice(0, 60)}" is not an RE2 pattern: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Whether the Cody filters keep the repository out of Cody's context. */
export function codyExcludesRepo(f: CodyFilters, repoName: string): boolean {
  const hit = (l: CodyPattern[] | undefined) => (l ?? []).some((p) => p.re?.matcher(repoName).find() === true);
  if (f.include && !hit(f.include)) return true;
  return hit(f.exclude);
}
