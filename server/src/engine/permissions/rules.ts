// Permission rule strings (formats §1.4): `Tool` or `Tool(specifier)`. Parsing says what a rule matches and what
// is wrong with it; matching answers whether it applies to one tool call.

import ignore from 'ignore';
import { BoundedMap } from '../cache';
import { compileBash, globMatch, matchBash, type BashPattern } from './bash';

export type RuleList = 'allow' | 'ask' | 'deny';

export const TOOL_NAMES: { name: string; description: string; example: string }[] = [
  {
    name: 'Bash',
    description: 'Shell commands. Prefix rules end in ` *` (word boundary); `*` matches anywhere.',
    example: 'Bash(npm run test *)',
  },
  {
    name: 'Read',
    description:
      'Reading files (also Grep and Glob). Paths: `//abs`, `~/home`, `/settings-root`, `./cwd`; gitignore globs.',
    example: 'Read(./.env)',
  },
  {
    name: 'Edit',
    description: 'Every file-editing tool (Edit, Write, MultiEdit, NotebookEdit). Same path forms as Read.',
    example: 'Edit(src/**)',
  },
  {
    name: 'WebFetch',
    description: 'Fetching URLs, by host name: `domain:example.com`, `domain:*.example.com` (subdomains).',
    example: 'WebFetch(domain:docs.example.com)',
  },
  { name: 'WebSearch', description: 'Web search.', example: 'WebSearch' },
  { name: 'Agent', description: 'Subagents, by name (`Task` is the old name).', example: 'Agent(Explore)' },
  { name: 'Skill', description: 'Skills, by name or prefix.', example: 'Skill(deploy *)' },
  {
    name: 'PowerShell',
    description: 'PowerShell commands; like Bash, case-insensitive.',
    example: 'PowerShell(Get-ChildItem *)',
  },
  { name: 'Write', description: 'Creating files. Path rules are never consulted: use Edit(path).', example: 'Write' },
  {
    name: 'MultiEdit',
    description: 'Several edits in one file. Path rules are never consulted: use Edit(path).',
    example: 'MultiEdit',
  },
  {
    name: 'NotebookEdit',
    description: 'Editing Jupyter notebooks. Path rules are never consulted: use Edit(path).',
    example: 'NotebookEdit',
  },
  {
    name: 'Glob',
    description: 'Finding files by pattern. Path rules are never consulted: use Read(path).',
    example: 'Glob',
  },
  { name: 'Grep', description: 'Searching file contents (Read rules apply).', example: 'Grep' },
  { name: 'Cd', description: '/cd targets; any Cd allow rule switches /cd to an allowlist.', example: 'Cd(~/code/**)' },
  { name: 'KillShell', description: 'Stopping a background shell.', example: 'KillShell' },
  { name: 'LSP', description: 'Language-server queries.', example: 'LSP' },
  { name: 'Monitor', description: 'Monitoring a background task.', example: 'Monitor' },
  { name: 'ExitPlanMode', description: 'Leaving plan mode.', example: 'ExitPlanMode' },
  { name: 'TodoWrite', description: 'The to-do list.', example: 'TodoWrite' },
  { name: 'ToolSearch', description: 'Searching deferred tools.', example: 'ToolSearch' },
  { name: 'TaskCreate', description: 'Creating a task.', example: 'TaskCreate' },
  { name: 'TaskGet', description: 'Reading a task.', example: 'TaskGet' },
  { name: 'TaskList', description: 'Listing tasks.', example: 'TaskList' },
  { name: 'TaskOutput', description: 'Reading a task output.', example: 'TaskOutput' },
  { name: 'TaskStop', description: 'Stopping a task.', example: 'TaskStop' },
  { name: 'TaskUpdate', description: 'Updating a task.', example: 'TaskUpdate' },
  {
    name: 'mcp__',
    description: 'MCP tools: `mcp__server` (every tool of a server), `mcp__server__tool`, `mcp__server__*`.',
    example: 'mcp__github__search_repositories',
  },
];

const KNOWN = new Set(TOOL_NAMES.map((t) => t.name).filter((n) => n !== 'mcp__'));
/** Tools whose path rules Claude Code never consults (formats §1.4). */
const PATH_IGNORED = new Set(['Write', 'Glob', 'NotebookEdit', 'MultiEdit']);
/** Which tools a Read / Edit path rule governs. */
export const READ_TOOLS = new Set(['Read', 'Grep', 'Glob', 'LS', 'NotebookRead']);
export const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);
/** First path segments that say a single-`/` path was meant as an absolute file-system path. */
const ABS_LOOKING =
  /^\/(home|Users|etc|tmp|var|opt|usr|root|private|mnt|srv|workspace|Volumes|proc|dev|bin|sbin|lib|nix)(\/|$)/;

export interface RuleProblem {
  code:
    | 'malformed'
    | 'control-char'
    | 'line-break'
    | 'unknown-tool'
    | 'path-never-consulted'
    | 'settings-relative'
    | 'legacy-colon'
    | 'allow-glob'
    | 'empty-specifier';
  message: string;
  /** The tool skips this entry (with a startup warning). */
  skipped: boolean;
}

export type Matcher =
  | { kind: 'all-tools' }
  | { kind: 'tool-glob'; glob: string }
  | { kind: 'tool'; tool: string }
  | { kind: 'mcp-server'; server: string }
  | { kind: 'bash'; pattern: BashPattern }
  | {
      kind: 'path';
      access: 'read' | 'edit';
      base: 'root' | 'home' | 'anchor' | 'cwd';
      pattern: string;
      anyDepth: boolean;
      literal?: string;
    }
  | { kind: 'domain'; domain: string }
  | { kind: 'spec'; tool: string; glob: string }
  | { kind: 'never' };

export interface ParsedRule {
  raw: string;
  /** Canonical tool name (`Task` → `Agent`). */
  tool: string;
  spec?: string;
  matcher: Matcher;
  problems: RuleProblem[];
  skipped: boolean;
}

const parsedCache = new BoundedMap<string, ParsedRule>(200_000);

/** Parse a rule (memoised: the language server re-parses unchanged rules on every keystroke otherwise). */
export function parseRule(raw: string, list: RuleList): ParsedRule {
  const key = list + '\0' + raw;
  let p = parsedCache.get(key);
  if (!p) {
    p = parseRule0(raw, list);
    if (raw.length < 4096) parsedCache.set(key, p);
  }
  return p;
}

function parseRule0(raw: string, list: RuleList): ParsedRule {
  const problems: RuleProblem[] = [];
  const bad = (code: RuleProblem['code'], message: string, skipped = false) =>
    problems.push({ code, message, skipped });
  const text = raw.trim();
  if (raw.includes('\u0000')) bad('control-char', 'holds a NUL character, which no tool call contains', false);
  if (text === '') {
    bad('malformed', 'is empty', true);
    return { raw, tool: '', matcher: { kind: 'never' }, problems, skipped: true };
  }
  const open = text.indexOf('(');
  let tool = open === -1 ? text : text.slice(0, open);
  let spec: string | undefined;
  if (open !== -1) {
    if (!text.endsWith(')') || !balanced(text.slice(open))) {
      bad('malformed', 'has unbalanced parentheses: Claude Code skips it', true);
      return { raw, tool, matcher: { kind: 'never' }, problems, skipped: true };
    }
    spec = text.slice(open + 1, -1);
  } else if (text.includes(')')) {
    bad('malformed', 'has a `)` without `(`: Claude Code skips it', true);
    return { raw, tool, matcher: { kind: 'never' }, problems, skipped: true };
  }
  if (!/^[A-Za-z*][A-Za-z0-9_*.-]*$/.test(tool)) {
    bad('malformed', `has an invalid tool name "${tool.slice(0, 60)}": Claude Code skips it`, true);
    return { raw, tool, matcher: { kind: 'never' }, problems, skipped: true };
  }
  if (tool === 'Task') tool = 'Agent';
  if (spec !== undefined && /[\r\n]/.test(spec)) {
    bad(
      'line-break',
      'holds a line break: Claude Code matches each line of a command on its own, so this rule never matches',
    );
  }
  if (spec !== undefined && spec.trim() === '')
    bad('empty-specifier', 'has an empty specifier `()`: write the bare tool name or a pattern');

  let matcher: Matcher;
  if (tool.includes('*')) {
    if (list === 'allow' && !/^mcp__[^*]+__/.test(tool))
      bad(
        'allow-glob',
        `a tool-name glob ("${tool}") only works in deny and ask; in allow it matches nothing (write mcp__<server> instead)`,
      );
    matcher = tool === '*' ? { kind: 'all-tools' } : { kind: 'tool-glob', glob: tool };
  } else if (tool.startsWith('mcp__')) {
    const parts = tool.slice(5).split('__');
    matcher = parts.length === 1 ? { kind: 'mcp-server', server: parts[0]! } : { kind: 'tool', tool };
  } else if (!KNOWN.has(tool)) {
    bad(
      'unknown-tool',
      `"${tool}" is not a Claude Code tool name, so the rule matches nothing (tool names: ${[...KNOWN].slice(0, 8).join(', ')}, …; mcp__server__tool)`,
    );
    matcher = { kind: 'never' };
  } else if (spec === undefined || spec.trim() === '*' || spec.trim() === '') {
    matcher = { kind: 'tool', tool };
  } else if (tool === 'Bash' || tool === 'PowerShell') {
    const s = spec.replace(/\s+/g, ' ').trim();
    const inner = s.indexOf(':*');
    if (inner !== -1 && inner !== s.length - 2)
      bad(
        'legacy-colon',
        '`:*` means "any arguments" only at the end; here the `:` is literal and `*` a plain wildcard (write ` *`)',
      );
    matcher = { kind: 'bash', pattern: compileBash(s, tool === 'PowerShell') };
  } else if (tool === 'Read' || tool === 'Edit') {
    matcher = pathMatcher(tool === 'Read' ? 'read' : 'edit', spec, list);
    if (matcher.kind === 'path' && matcher.base === 'anchor' && ABS_LOOKING.test(spec)) {
      bad(
        'settings-relative',
        `"${spec}" starts with a single "/", which Claude Code anchors at the settings file's root (the project), not at the file-system root: write "/${spec}" for an absolute path`,
      );
    }
  } else if (PATH_IGNORED.has(tool)) {
    bad(
      'path-never-consulted',
      `Claude Code never consults ${tool}(path) rules (use Edit(path)${tool === 'Glob' ? ' or Read(path)' : ''}), so this rule has no effect`,
    );
    matcher = { kind: 'never' };
  } else if (tool === 'WebFetch' && spec.startsWith('domain:')) {
    matcher = { kind: 'domain', domain: spec.slice(7).trim().toLowerCase() };
  } else {
    matcher = { kind: 'spec', tool, glob: spec.trim() };
  }
  return {
    raw,
    tool,
    ...(spec !== undefined ? { spec } : {}),
    matcher,
    problems,
    skipped: problems.some((p) => p.skipped),
  };
}

function balanced(s: string): boolean {
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) d++;
    else if (c === 41 && --d < 0) return false;
  }
  return d === 0;
}

/** Whole literal segments before the first wildcard segment (`/data/d5/**` → `data/d5`). */
function literalOf(pattern: string): string {
  const out: string[] = [];
  for (const seg of pattern.split('/').filter(Boolean)) {
    if (/[*?[\\!]/.test(seg)) break;
    out.push(seg);
  }
  return out.join('/');
}

function pathMatcher(access: 'read' | 'edit', spec: string, list: RuleList): Matcher {
  const m = pathMatcher0(access, spec, list);
  if (m.kind === 'path' && !m.anyDepth) m.literal = literalOf(m.pattern);
  return m;
}

function pathMatcher0(access: 'read' | 'edit', spec: string, list: RuleList): Matcher & { kind: 'path' } {
  const s = spec.trim();
  if (s.startsWith('//')) return { kind: 'path', access, base: 'root', pattern: s.slice(1), anyDepth: false };
  if (s === '~' || s.startsWith('~/'))
    return { kind: 'path', access, base: 'home', pattern: '/' + s.slice(2), anyDepth: false };
  if (s.startsWith('/')) return { kind: 'path', access, base: 'anchor', pattern: s, anyDepth: false };
  const rel = s.replace(/^(\.\/)+/, '');
  // Seen with the real CLI: a single segment (optionally ending in /** or /) matches at any depth, as a file or a
  // folder name, with or without ./ — for allow and deny alike.
  // A folder glob (`src/**`) matches at any depth only in deny and ask rules: `Edit(src/**)` allowed does not approve
  // `lib/src/x.ts` (seen with the real CLI), while `Read(./secrets/**)` denied blocks `lib/secrets/x`.
  const single = (list === 'allow' ? /^[^/]+\/?$/ : /^[^/]+(\/\*\*|\/\*)?\/?$/).test(rel) && rel !== '**';
  if (single)
    return { kind: 'path', access, base: 'cwd', pattern: rel.replace(/(\/\*\*|\/\*)?\/?$/, ''), anyDepth: true };
  return { kind: 'path', access, base: 'cwd', pattern: '/' + rel, anyDepth: false };
}

/** Everything a call needs for matching. */
export interface CallContext {
  tool: string;
  /** Bash: the command part; paths: absolute with `/`; WebFetch: the URL; others: the argument. */
  arg?: string;
  /** The absolute target path for file tools. */
  path?: string;
  cwd: string;
  home: string;
  /** Where single `/` paths of this rule's file are anchored. */
  anchor: string;
}

const igCache = new BoundedMap<string, ReturnType<typeof ignore>>(50_000);
function ig(pattern: string): ReturnType<typeof ignore> {
  let i = igCache.get(pattern);
  if (!i) {
    i = ignore({ allowRelativePaths: true }).add(pattern);
    igCache.set(pattern, i);
  }
  return i;
}

export function pathMatches(
  m: Extract<Matcher, { kind: 'path' }>,
  target: string,
  ctx: { cwd: string; home: string; anchor: string },
): boolean {
  const base = m.base === 'root' ? '' : m.base === 'home' ? ctx.home : m.base === 'anchor' ? ctx.anchor : ctx.cwd;
  const b = base.replace(/\/$/, '');
  if (b && !target.startsWith(b + '/')) return false;
  const rel = target.slice(b.length + 1);
  if (!rel) return false;
  if (m.anyDepth) {
    const segs = rel.split('/');
    return segs.some((seg) => globSegment(m.pattern, seg));
  }
  if (m.pattern === '/**' || (m.pattern === '/*' && !rel.includes('/'))) return true;
  // Cheap literal-prefix test first: most rules of a large list are ruled out without compiling their glob.
  if (m.literal && rel !== m.literal && !rel.startsWith(m.literal + '/')) return false;
  try {
    return ig(m.pattern).ignores(rel);
  } catch {
    return false;
  }
}

function globSegment(pattern: string, seg: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?') && !pattern.includes('[')) return pattern === seg;
  try {
    return ig(pattern).ignores(seg);
  } catch {
    return false;
  }
}

/** Whether a parsed rule applies to a call (one Bash part: `ctx.arg`). */
export function ruleMatches(r: ParsedRule, list: RuleList, ctx: CallContext): boolean {
  const m = r.matcher;
  switch (m.kind) {
    case 'never':
      return false;
    case 'all-tools':
      return list !== 'allow';
    case 'tool-glob':
      return (list !== 'allow' || /^mcp__[^*]+__/.test(m.glob)) && globMatch(m.glob, ctx.tool);
    case 'tool':
      if (m.tool === ctx.tool) return true;
      // A bare Read/Edit rule governs the tools it stands for.
      if (m.tool === 'Read' && READ_TOOLS.has(ctx.tool)) return true;
      if (m.tool === 'Edit' && EDIT_TOOLS.has(ctx.tool)) return true;
      return false;
    case 'mcp-server':
      return ctx.tool === `mcp__${m.server}` || ctx.tool.startsWith(`mcp__${m.server}__`);
    case 'bash':
      return (
        (ctx.tool === 'Bash' || ctx.tool === 'PowerShell') &&
        r.tool === ctx.tool &&
        ctx.arg !== undefined &&
        matchBash(m.pattern, ctx.arg)
      );
    case 'path': {
      if (!ctx.path) return false;
      const governs =
        m.access === 'read'
          ? READ_TOOLS.has(ctx.tool) || (list === 'deny' && EDIT_TOOLS.has(ctx.tool))
          : EDIT_TOOLS.has(ctx.tool);
      return governs && pathMatches(m, ctx.path, ctx);
    }
    case 'domain': {
      if (ctx.tool !== 'WebFetch' || !ctx.arg) return false;
      const host = hostOf(ctx.arg);
      if (!host) return false;
      if (m.domain === '*') return true;
      if (m.domain.startsWith('*.')) return host.endsWith(m.domain.slice(1));
      return host === m.domain;
    }
    case 'spec':
      return m.tool === ctx.tool && ctx.arg !== undefined && globMatch(m.glob, ctx.arg);
  }
}

export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
