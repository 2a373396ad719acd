// The effective permission set (formats §1.1, §1.3, §1.4, checked against the real CLI with cc-oracle): the lists
// of every scope concatenated; deny → ask → allow, first match decides, specificity does not matter;
// allowManagedPermissionRulesOnly (read only from managed settings) makes every other scope's rules dead; the
// permission mode is the highest scope's defaultMode (bypassPermissions and auto are ignored from project and local
// files, bypass is off when any scope disables it); reads inside the working folder need no rule; a Read deny
// also blocks edits of the path.

import type * as jsonc from 'jsonc-parser';
import type { Range } from '../types';
import { splitCommand, type CommandPart, type SplitCommand } from './bash';
import { BUILTIN_VERSION, preapprovedFetch, readOnlyBuiltin } from './builtin';
import { parseToolCall } from './call';
import {
  parseRule,
  ruleMatches,
  READ_TOOLS,
  EDIT_TOOLS,
  pathMatches,
  type CallContext,
  type ParsedRule,
  type RuleList,
} from './rules';
import { SCOPE_ORDER, type ClaudeScope, type SettingsFile, type SettingsStack } from './settings';

export const LISTS: readonly RuleList[] = ['deny', 'ask', 'allow'];

export interface PermRule {
  id: number;
  text: string;
  list: RuleList;
  file: SettingsFile;
  scope: ClaudeScope;
  /** Index in its list. */
  index: number;
  range: Range;
  /** 1-based line. */
  line: number;
  parsed: ParsedRule;
  status: 'live' | 'dead' | 'overridden';
  reason?: string;
  /** The rule that always wins over this one (status overridden). */
  by?: PermRule;
}

export interface Setting<T> {
  value: T;
  file?: SettingsFile;
  range?: Range;
}

export interface Effective {
  stack: SettingsStack;
  rules: PermRule[];
  byList: Record<RuleList, PermRule[]>;
  /** allowManagedPermissionRulesOnly in effect, and where it is set. */
  managedOnly?: Setting<true>;
  /** The mode sessions start in. */
  mode: Setting<string>;
  /** Every mode value a file asks for, and whether the tool honours it. */
  modeRequests: { file: SettingsFile; value: string; range: Range; honoured: boolean; why?: string }[];
  bypassDisabled?: Setting<true>;
  additionalDirectories: string[];
  cwd: string;
  home: string;
  /** Computed on demand: which rules are overridden (shadowed) by another. */
  shadowsComputed: boolean;
}

function findProp(obj: jsonc.Node | undefined, key: string): jsonc.Node | undefined {
  if (obj?.type !== 'object') return undefined;
  let found: jsonc.Node | undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === key) found = p.children[1];
  return found;
}

/** Whether a rule whose text starts with tool name `rawTool` can take part in deciding a call of `tool`. */
function relevantTo(rawTool: string, tool: string): boolean {
  if (rawTool === tool || rawTool.includes('*')) return true;
  if (tool === 'Agent' && rawTool === 'Task') return true;
  if (tool === 'Bash' || tool === 'PowerShell') return rawTool === 'Read' || rawTool === 'Edit';
  if (READ_TOOLS.has(tool)) return rawTool === 'Read';
  if (EDIT_TOOLS.has(tool)) return rawTool === 'Edit' || rawTool === 'Read';
  if (tool.startsWith('mcp__')) return rawTool.startsWith('mcp__');
  return false;
}

/**
 * The effective permission set of a stack. With `onlyFor` (a tool name), only the rules that can decide a call of
 * that tool are parsed — what a one-shot `explain` needs; the set is then partial (no table, no shadows).
 */
export function computeEffective(stack: SettingsStack, options: { onlyFor?: string } = {}): Effective {
  const rules: PermRule[] = [];
  const byList: Record<RuleList, PermRule[]> = { deny: [], ask: [], allow: [] };
  let managedOnly: Setting<true> | undefined;
  let bypassDisabled: Setting<true> | undefined;
  const files = [...stack.files].sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope));
  for (const f of files) {
    if (f.dropped) continue;
    if (f.scope === 'managed' && f.value.allowManagedPermissionRulesOnly === true && !managedOnly) {
      const n = findProp(f.parsed.tree, 'allowManagedPermissionRulesOnly');
      managedOnly = {
        value: true,
        file: f,
        ...(n ? { range: f.parsed.lines.range(n.offset, n.offset + n.length) } : {}),
      };
    }
    const perms = f.value.permissions as Record<string, unknown> | undefined;
    if (perms?.disableBypassPermissionsMode === 'disable' && !bypassDisabled) {
      const n = findProp(findProp(f.parsed.tree, 'permissions'), 'disableBypassPermissionsMode');
      bypassDisabled = {
        value: true,
        file: f,
        ...(n ? { range: f.parsed.lines.range(n.offset, n.offset + n.length) } : {}),
      };
    }
  }
  let id = 0;
  for (const f of files) {
    const permsNode = findProp(f.parsed.tree, 'permissions');
    const perms = f.value.permissions as Record<string, unknown> | undefined;
    for (const list of LISTS) {
      const arr = findProp(permsNode, list);
      if (arr?.type !== 'array') continue;
      const kept = perms && Array.isArray(perms[list]);
      let index = -1;
      for (const node of arr.children ?? []) {
        index++;
        if (node.type !== 'string') continue;
        const text = String(node.value);
        if (options.onlyFor !== undefined) {
          const open = text.indexOf('(');
          if (!relevantTo((open === -1 ? text : text.slice(0, open)).trim(), options.onlyFor)) continue;
        }
        const parsed = parseRule(text, list);
        const range = f.parsed.lines.range(node.offset, node.offset + node.length);
        const r: PermRule = {
          id: id++,
          text,
          list,
          file: f,
          scope: f.scope,
          index,
          range,
          line: range.start.line + 1,
          parsed,
          status: 'live',
        };
        if (f.dropped) {
          r.status = 'dead';
          r.reason = `Claude Code ignores the whole file ${f.file} (${f.problems.find((p) => p.drops === 'file')?.message ?? 'invalid'})`;
        } else if (!kept) {
          r.status = 'dead';
          r.reason = `the "${list}" list is invalid, so Claude Code drops it`;
        } else if (parsed.skipped) {
          r.status = 'dead';
          r.reason = `Claude Code skips this entry: the rule ${parsed.problems[0]?.message ?? 'is malformed'}`;
        } else if (parsed.matcher.kind === 'never') {
          r.status = 'dead';
          r.reason = `the rule ${parsed.problems[0]?.message ?? 'never matches'}`;
        } else if (managedOnly && f.scope !== 'managed') {
          r.status = 'dead';
          r.reason = `allowManagedPermissionRulesOnly in ${managedOnly.file!.file} makes managed settings the only source of permission rules`;
        }
        rules.push(r);
        byList[list].push(r);
      }
    }
  }
  // The mode: the highest scope that sets one the tool honours.
  const modeRequests: Effective['modeRequests'] = [];
  let mode: Setting<string> | undefined;
  for (const f of files) {
    if (f.dropped) continue;
    const v = (f.value.permissions as Record<string, unknown> | undefined)?.defaultMode;
    if (typeof v !== 'string') continue;
    const n = findProp(findProp(f.parsed.tree, 'permissions'), 'defaultMode');
    const range = n ? f.parsed.lines.range(n.offset, n.offset + n.length) : f.parsed.lines.range(0, 0);
    let honoured = true;
    let why: string | undefined;
    if ((v === 'bypassPermissions' || v === 'auto') && (f.scope === 'project' || f.scope === 'local')) {
      honoured = false;
      why = `Claude Code ignores defaultMode "${v}" from ${f.scope} settings`;
    } else if (v === 'bypassPermissions' && bypassDisabled) {
      honoured = false;
      why = `bypass mode is disabled by ${bypassDisabled.file!.file}`;
    }
    if (honoured && !mode) mode = { value: v === 'manual' ? 'default' : v, file: f, range };
    else if (honoured && mode) {
      honoured = false;
      why = `${mode.file!.file} (${mode.file!.scope}) sets defaultMode "${mode.value}", which wins`;
    }
    modeRequests.push({ file: f, value: v, range, honoured, ...(why ? { why } : {}) });
  }
  const additionalDirectories: string[] = [];
  for (const f of files) {
    if (f.dropped) continue;
    const dirs = (f.value.permissions as Record<string, unknown> | undefined)?.additionalDirectories;
    if (Array.isArray(dirs))
      for (const d of dirs)
        if (typeof d === 'string') additionalDirectories.push(resolvePath(d, stack.root, stack.home));
  }
  return {
    stack,
    rules,
    byList,
    ...(managedOnly ? { managedOnly } : {}),
    mode: mode ?? { value: 'default' },
    modeRequests,
    ...(bypassDisabled ? { bypassDisabled } : {}),
    additionalDirectories,
    cwd: stack.root,
    home: stack.home,
    shadowsComputed: false,
  };
}

/** Resolve a call's path argument: `~/` → home, relative → the working folder; normalised, `/` separators. */
export function resolvePath(p: string, cwd: string, home: string): string {
  let s = p.replace(/\\/g, '/');
  if (s === '~' || s.startsWith('~/')) s = home + s.slice(1);
  else if (!s.startsWith('/') && !/^[A-Za-z]:\//.test(s)) s = cwd + '/' + s;
  const out: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

export type Decision = 'allow' | 'ask' | 'deny' | 'prompt';

export interface PartDecision {
  command: string;
  decision: Decision;
  rule?: PermRule;
}

export interface Explanation {
  call: string;
  tool: string;
  decision: Decision;
  rule?: PermRule;
  /** Why, in words (also when no rule decides). */
  reason: string;
  /** Live rules that matched too but lost (a deny beats ask and allow; an ask beats allow). */
  beaten: PermRule[];
  /** Rules that would match but are dead (void, dropped, skipped). */
  dead: PermRule[];
  parts?: PartDecision[];
}

function ctxFor(r: PermRule, base: Omit<CallContext, 'anchor'>): CallContext {
  return { ...base, anchor: r.file.anchor };
}

/** The bucket of a rule in the explain index: only rules that can match a call's tool are looked at. */
function bucketOf(r: PermRule): string | undefined {
  const m = r.parsed.matcher;
  switch (m.kind) {
    case 'all-tools':
    case 'tool-glob':
      return '*';
    case 'tool':
      return `tool:${m.tool}`;
    case 'bash': {
      if (m.pattern.all || m.pattern.caseInsensitive) return `bash*:${r.parsed.tool}`;
      const sp = m.pattern.body.indexOf(' ');
      const w = sp === -1 ? m.pattern.body : m.pattern.body.slice(0, sp);
      return w.includes('*') ? `bash*:${r.parsed.tool}` : `bash:${r.parsed.tool}:${w}`;
    }
    case 'mcp-server':
      return `mcp:${m.server}`;
    case 'path':
      return `path:${m.access}`;
    case 'domain':
      return 'domain';
    case 'spec':
      return `spec:${m.tool}`;
    default:
      return undefined;
  }
}

const indexes = new WeakMap<Effective, Record<RuleList, Map<string, PermRule[]>>>();
function explainIndex(e: Effective): Record<RuleList, Map<string, PermRule[]>> {
  let ix = indexes.get(e);
  if (!ix) {
    ix = { deny: new Map(), ask: new Map(), allow: new Map() };
    for (const list of LISTS) {
      for (const r of e.byList[list]) {
        const b = bucketOf(r);
        if (!b) continue;
        let l = ix[list].get(b);
        if (!l) ix[list].set(b, (l = []));
        l.push(r);
      }
    }
    indexes.set(e, ix);
  }
  return ix;
}

function bucketsFor(base: Omit<CallContext, 'anchor'>): string[] {
  const t = base.tool;
  const keys = ['*', `tool:${t}`];
  if (t === 'Bash' || t === 'PowerShell') {
    keys.push(`bash*:${t}`);
    const w = (base.arg ?? '').trimStart().split(/\s/, 1)[0];
    if (w) keys.push(`bash:${t}:${w}`);
  } else if (READ_TOOLS.has(t)) keys.push('tool:Read', 'path:read');
  else if (EDIT_TOOLS.has(t)) keys.push('tool:Edit', 'path:edit', 'path:read');
  else if (t.startsWith('mcp__')) keys.push(`mcp:${t.slice(5).split('__')[0]}`);
  else if (t === 'WebFetch') keys.push('domain');
  keys.push(`spec:${t}`);
  return keys;
}

function candidates(e: Effective, list: RuleList, base: Omit<CallContext, 'anchor'>): PermRule[] {
  const ix = explainIndex(e)[list];
  const lists = bucketsFor(base)
    .map((k) => ix.get(k))
    .filter((l): l is PermRule[] => !!l);
  if (lists.length === 1) return lists[0]!;
  return lists.flat().sort((a, b) => a.id - b.id);
}

function firstMatch(
  e: Effective,
  list: RuleList,
  base: Omit<CallContext, 'anchor'>,
  all: PermRule[],
): PermRule | undefined {
  let first: PermRule | undefined;
  for (const r of candidates(e, list, base)) {
    if (!ruleMatches(r.parsed, list, ctxFor(r, base))) continue;
    all.push(r);
    if (!first && r.status !== 'dead') first = r;
  }
  return first;
}

interface Matched {
  decision: Decision;
  rule?: PermRule;
  matched: PermRule[];
  /** Why, when a built-in check of the tool decides rather than a rule. */
  note?: string;
}

function isBroadBash(r: PermRule): boolean {
  const m = r.parsed.matcher;
  return m.kind === 'tool' || (m.kind === 'bash' && m.pattern.all);
}

/** The file arguments of a reading command, resolved (`~`, `$HOME`); undefined when it is not one. */
function readArgs(e: Effective, argv: string[], commands: ReadonlySet<string> = READ_COMMANDS): string[] | undefined {
  if (!argv.length || !commands.has(argv[0]!)) return undefined;
  const out: string[] = [];
  for (const w of argv.slice(1)) {
    if (w.startsWith('-') || /[|<>`]|\$\(|\$\{/.test(w)) continue;
    out.push(resolvePath(w.replace(/^\$HOME(?=\/|$)/, '~'), e.cwd, e.home));
  }
  return out;
}

function readsOutside(e: Effective, argv: string[]): boolean {
  const args = readArgs(e, argv, argv[0] && PATH_COMMANDS.has(argv[0]) ? PATH_COMMANDS : READ_COMMANDS);
  if (!args) return false;
  const dirs = [e.cwd, ...e.additionalDirectories];
  return args.some((a) => !dirs.some((d) => inside(a, d)));
}

function decidePart(e: Effective, base: Omit<CallContext, 'anchor'>, allowArgs?: string[]): Matched {
  const matched: PermRule[] = [];
  const deny = firstMatch(e, 'deny', base, matched);
  const ask = firstMatch(e, 'ask', base, matched);
  let allow: PermRule | undefined;
  for (const arg of allowArgs ?? [base.arg]) {
    allow = firstMatch(e, 'allow', { ...base, ...(arg !== undefined ? { arg } : {}) }, matched);
    if (allow) break;
  }
  if (deny) return { decision: 'deny', rule: deny, matched };
  if (ask) return { decision: 'ask', rule: ask, matched };
  if (allow) return { decision: 'allow', rule: allow, matched };
  return { decision: 'prompt', matched };
}

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.replace(/\/$/, '') + '/');
}

interface CommandMatched extends Matched {
  parts?: PartDecision[];
}

/**
 * A deny or ask rule whose Bash pattern holds a `|` is matched against the whole line, not against each piped part.
 * An allow rule with a `|` approves nothing (seen with the real CLI: `curl x | jq .a` is asked under
 * `Bash(curl * | jq *)`): its parts must be approved one by one.
 */
function isPipeRule(r: PermRule): boolean {
  const m = r.parsed.matcher;
  return m.kind === 'bash' && !m.pattern.all && m.pattern.body.includes('|');
}

function pipeRule(
  e: Effective,
  list: RuleList,
  base: Omit<CallContext, 'anchor'>,
  line: string,
  matched: PermRule[],
): PermRule | undefined {
  let first: PermRule | undefined;
  for (const r of e.byList[list]) {
    if (!isPipeRule(r) || !ruleMatches(r.parsed, list, { ...base, arg: line, anchor: r.file.anchor })) continue;
    matched.push(r);
    if (!first && r.status !== 'dead') first = r;
  }
  return first;
}

/** Redirections that write a file (`>`, `>>`, `&>`, `>|`; not `2>&1`, not `/dev/null`). */
function writeTargets(p: CommandPart, writers = true): { path: string; dynamic: boolean }[] {
  const out: { path: string; dynamic: boolean }[] = [];
  for (const r of p.redirects) {
    if (!/^(>|>>|&>|&>>|>\|)$/.test(r.op)) continue;
    if (/^(\/dev\/(null|stdout|stderr|tty)|&?\d+|-)$/.test(r.target.value)) continue;
    out.push({ path: r.target.value, dynamic: r.target.dynamic });
  }
  if (!writers) return out;
  const [cmd, ...args] = p.argv;
  if (cmd === 'tee')
    for (const a of args) if (!a.startsWith('-') && a !== '/dev/null') out.push({ path: a, dynamic: false });
  if (cmd === 'sed' && args.some((a) => /^(-i|--in-place)/.test(a) || /^-[a-zA-Z]*i/.test(a))) {
    // sed -i SCRIPT FILE… (the script is the first word that is not an option, unless -e/-f gave it)
    const rest = args.filter((a) => !a.startsWith('-'));
    const scriptGiven = args.some((a) => a === '-e' || a === '-f' || a.startsWith('--expression'));
    for (const f of scriptGiven ? rest.slice(1) : rest.slice(1)) out.push({ path: f, dynamic: false });
  }
  return out;
}

function editDeny(e: Effective, base: Omit<CallContext, 'anchor'>, target: string): PermRule | undefined {
  const path = resolvePath(target.replace(/^\$HOME(?=\/|$)/, '~'), e.cwd, e.home);
  for (const r of e.byList.deny) {
    if (r.status === 'dead' || r.parsed.matcher.kind !== 'path') continue;
    if (ruleMatches(r.parsed, 'deny', { ...base, tool: 'Edit', path, anchor: r.file.anchor })) return r;
  }
  return undefined;
}

/** Commands whose path arguments are checked against the working folders under a narrow allow rule. */
const PATH_COMMANDS = new Set(['ls', 'stat', 'find', 'file', 'du', 'tree']);

/** `rm`/`rmdir` of `/`, the home folder or a top-level path: Claude Code asks whatever the rules say. */
function dangerousRemoval(e: Effective, argv: string[]): boolean {
  const [cmd, ...args] = argv;
  if (cmd !== 'rm' && cmd !== 'rmdir') return false;
  return args.some((a) => {
    if (a.startsWith('-')) return false;
    const abs = resolvePath(a.replace(/^\$HOME(?=\/|$)/, '~').replace(/\/\*$/, ''), e.cwd, e.home);
    return abs === '/' || abs === e.home || abs.split('/').filter(Boolean).length === 1;
  });
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh']);

/** The script of `sh -c SCRIPT` (and bash, zsh, …), if the part is one. */
function shellString(p: CommandPart): string | undefined {
  const [cmd, ...args] = p.argv;
  if (!cmd || !SHELLS.has(cmd)) return undefined;
  const i = args.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
  return i === -1 ? undefined : args[i + 1];
}

function innerOneWordDeny(e: Effective, base: Omit<CallContext, 'anchor'>, script: string): PermRule | undefined {
  const split = splitCommand(script);
  for (const q of split.parts) {
    for (const r of e.byList.deny) {
      const m = r.parsed.matcher;
      if (r.status === 'dead' || m.kind !== 'bash' || m.pattern.all || m.pattern.body.includes(' ')) continue;
      if (ruleMatches(r.parsed, 'deny', { ...base, arg: q.stripped, anchor: r.file.anchor })) return r;
    }
  }
  return undefined;
}

function decideCommand(e: Effective, base: Omit<CallContext, 'anchor'>, split: SplitCommand): CommandMatched {
  const lineMatched: PermRule[] = [];
  const pipeDeny = pipeRule(e, 'deny', base, split.line, lineMatched);
  const pipeAsk = pipeDeny ? undefined : pipeRule(e, 'ask', base, split.line, lineMatched);
  const nested = split.structures.has('subshell') || split.structures.has('group') || split.structures.has('loop');
  const dirs = [e.cwd, ...e.additionalDirectories];
  const insideWorking = (a: string) => {
    const abs = resolvePath(a, e.cwd, e.home);
    return dirs.some((d) => inside(abs, d));
  };
  const results = split.parts.map((p) => {
    // Allow rules see the part with wrappers stripped, or as written (Bash(env *) approves `env make x`).
    const deny = decidePart(
      e,
      { ...base, arg: p.stripped },
      p.forAllow === p.allowText ? [p.forAllow] : [p.forAllow, p.allowText],
    );
    // What the part is written as also counts for deny and ask (a rule may spell out the wrapper).
    const literal = p.text !== p.stripped ? decidePart(e, { ...base, arg: p.text }) : undefined;
    let strongest: Matched =
      literal && rank(literal.decision) > rank(deny.decision) && literal.decision !== 'allow' ? literal : deny;
    // Seen with the real CLI: the file arguments of reading commands (cat .env) are checked against Read denies.
    const readDeny =
      strongest.decision === 'deny' ? undefined : (readCommandDeny(e, base, p.argv) ?? inputDeny(e, base, p));
    if (readDeny) strongest = { decision: 'deny', rule: readDeny, matched: [readDeny, ...strongest.matched] };
    // Writes through the shell (`> file`, tee, sed -i) are checked against Edit denies.
    if (strongest.decision !== 'deny') {
      for (const t of writeTargets(p)) {
        const r = t.dynamic ? undefined : editDeny(e, base, t.path);
        if (r) {
          strongest = { decision: 'deny', rule: r, matched: [r, ...strongest.matched] };
          break;
        }
      }
    }
    // Seen with the real CLI: a narrow allow rule does not approve what cannot be checked before it runs (a nested
    // command, a variable), output written to a file, nor a path outside the working folders.
    const ask = (note: string): Matched => ({ decision: 'prompt', matched: strongest.matched, note });
    // Seen with the real CLI: a `sh -c '…'` string is not matched against deny rules — except that a one-word
    // deny (`Bash(rm:*)`) naming a command inside it makes Claude Code ask (`sh -c 'git push'` runs under
    // `Bash(git push:*)` denied; `sh -c 'rm x'` is asked under `Bash(rm:*)`).
    if (strongest.decision === 'allow' || strongest.decision === 'prompt') {
      const inner = shellString(p);
      const hit = inner === undefined ? undefined : innerOneWordDeny(e, base, inner);
      if (hit)
        strongest = {
          decision: 'prompt',
          matched: [hit, ...strongest.matched],
          note: `the ${p.argv[0]} -c string runs a command that deny rule ${hit.text} names: Claude Code asks`,
        };
      else if (
        dangerousRemoval(e, p.argv) ||
        (inner !== undefined && splitCommand(inner).parts.some((q) => dangerousRemoval(e, q.argv)))
      ) {
        strongest = ask('removing /, the home folder or a top-level path always needs approval in Claude Code');
      }
    }
    if (strongest.decision === 'allow' && strongest.rule && !isBroadBash(strongest.rule) && nested) {
      strongest = ask('a subshell, group or loop cannot be approved by a narrow allow rule: Claude Code asks');
    }
    // Claude Code runs some read-only commands with no rule (pinned to a version: see ./builtin.ts).
    if (
      strongest.decision === 'prompt' &&
      !strongest.rule &&
      !strongest.note &&
      !nested &&
      readOnlyBuiltin(p, insideWorking)
    ) {
      strongest = {
        decision: 'allow',
        matched: strongest.matched,
        note: `Claude Code ${BUILTIN_VERSION} runs this read-only command without any rule`,
      };
    }
    if (strongest.decision === 'allow' && strongest.rule && !isBroadBash(strongest.rule)) {
      if (p.context === 'substitution' || split.structures.has('substitution') || /\$\{/.test(p.source))
        strongest = ask(
          'a nested command or braced variable cannot be checked before it runs, so the allow rule does not approve it',
        );
      else if (writeTargets(p, false).length)
        strongest = ask('the output is written to a file, so Claude Code asks although an allow rule matches');
      else if (readsOutside(e, p.argv))
        strongest = ask('a path is outside the working folders, so Claude Code asks although an allow rule matches');
      else if (
        p.argv[0] === 'find' &&
        p.argv.some((a) => /^-(delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/.test(a))
      )
        strongest = ask(
          'find with -delete or -exec runs commands or changes files: an allow rule for find does not approve it',
        );
    }
    return { part: p, m: strongest, all: [...deny.matched, ...(literal?.matched ?? [])] };
  });
  if (results.length === 0) results.push({ part: emptyPart(), m: { decision: 'prompt', matched: [] }, all: [] });
  const parts = results.map((r) => ({
    command: r.part.text,
    decision: r.m.decision,
    ...(r.m.rule ? { rule: r.m.rule } : {}),
  }));
  const matched = [...new Set([...lineMatched, ...results.flatMap((r) => r.all)])];
  if (pipeDeny) return { decision: 'deny', rule: pipeDeny, matched, parts };
  const worst =
    results.find((r) => r.m.decision === 'deny') ?? (pipeAsk ? undefined : results.find((r) => r.m.decision === 'ask'));
  if (!worst && pipeAsk) return { decision: 'ask', rule: pipeAsk, matched, parts };
  const w = worst ?? results.find((r) => r.m.decision === 'prompt') ?? results[0]!;
  return {
    decision: w.m.decision,
    ...(w.m.rule ? { rule: w.m.rule } : {}),
    matched,
    ...(w.m.note ? { note: w.m.note } : {}),
    parts,
  };
}

function emptyPart(): CommandPart {
  return {
    text: '',
    stripped: '',
    forAllow: '',
    allowText: '',
    envNames: [],
    argv: [],
    dynamic: false,
    redirects: [],
    context: 'top',
    source: '',
  };
}

export function explain(e: Effective, callText: string): Explanation {
  const call = parseToolCall(callText);
  const tool = call.tool === 'Task' ? 'Agent' : call.tool;
  const base = { tool, cwd: e.cwd, home: e.home } as Omit<CallContext, 'anchor'>;
  let result: CommandMatched;
  let parts: PartDecision[] | undefined;
  let background = false;
  if ((tool === 'Bash' || tool === 'PowerShell') && call.arg !== undefined) {
    const split = splitCommand(call.arg);
    background = split.background;
    if (split.error !== undefined) {
      // A line the parser cannot read: a deny rule that matches it as written still denies; nothing else is guessed.
      const m = decidePart(e, { ...base, arg: split.line }, []);
      result =
        m.decision === 'deny'
          ? m
          : {
              decision: 'prompt',
              matched: m.matched,
              note: `the command cannot be parsed (${split.error}): Claude Code asks`,
            };
    } else result = decideCommand(e, base, split);
    parts = result.parts;
  } else {
    const path =
      call.arg !== undefined && (READ_TOOLS.has(tool) || EDIT_TOOLS.has(tool))
        ? resolvePath(call.arg, e.cwd, e.home)
        : undefined;
    result = decidePart(e, {
      ...base,
      ...(call.arg !== undefined ? { arg: call.arg } : {}),
      ...(path ? { path } : {}),
    });
    if (result.decision === 'prompt' && tool === 'WebFetch' && call.arg !== undefined && preapprovedFetch(call.arg)) {
      result = {
        ...result,
        decision: 'allow',
        note: `Claude Code ${BUILTIN_VERSION} fetches from this documentation host without asking`,
      };
    }
    if (path) base.path = path;
  }
  const beaten = result.rule
    ? result.matched.filter(
        (r) => r.status !== 'dead' && r !== result.rule && LISTS.indexOf(r.list) > LISTS.indexOf(result.rule!.list),
      )
    : [];
  const dead = result.matched.filter((r) => r.status === 'dead');
  let decision = result.decision;
  let reason: string;
  if (result.rule) {
    reason = `${result.rule.list} rule ${result.rule.text} in ${result.rule.file.file} (${result.rule.scope}) decides`;
    if (decision === 'allow' && background) {
      decision = 'prompt';
      reason = 'the command uses the `&` background operator, which Claude Code never approves without asking';
    }
  } else if (result.note) {
    reason = result.note;
    if (decision === 'allow' && background) {
      decision = 'prompt';
      reason = 'the command uses the `&` background operator, which Claude Code never approves without asking';
    }
  } else {
    reason = 'no rule decides: Claude Code asks';
    const mode = e.mode.value;
    const p = base.path;
    const dirs = [e.cwd, ...e.additionalDirectories];
    if (mode === 'bypassPermissions') {
      decision = 'allow';
      reason = `no rule decides and the mode is bypassPermissions (${e.mode.file?.file ?? 'default'}): every call runs`;
    } else if (mode === 'dontAsk') {
      decision = 'deny';
      reason = `no rule decides and the mode is dontAsk (${e.mode.file?.file}): what is not allowed is refused`;
    } else if (p && READ_TOOLS.has(tool) && dirs.some((d) => inside(p, d))) {
      decision = 'allow';
      reason = 'reads inside the working folder need no rule';
    } else if (p && EDIT_TOOLS.has(tool) && mode === 'acceptEdits' && dirs.some((d) => inside(p, d))) {
      decision = 'allow';
      reason = `the mode is acceptEdits (${e.mode.file?.file}): edits inside the working folder run`;
    }
  }
  return {
    call: callText,
    tool,
    decision,
    ...(result.rule && decision !== 'prompt' ? { rule: result.rule } : {}),
    reason,
    beaten,
    dead,
    ...(parts && parts.length > 1 ? { parts } : {}),
  };
}

/** Commands that only read the files they are given (seen with the real CLI: less and more are not checked). */
export const READ_COMMANDS = new Set([
  'ls',
  'stat',
  'find',
  'cd',
  'cmp',
  'cp',
  'mv',
  'cat',
  'head',
  'tail',
  'bat',
  'nl',
  'od',
  'xxd',
  'hexdump',
  'strings',
  'base64',
  'tac',
  'wc',
  'grep',
  'rg',
  'sort',
  'uniq',
  'diff',
  'cut',
  'awk',
  'sed',
  'jq',
]);

/** An input redirection (`< .env`) is a read: checked against Read denies (seen with the real CLI). */
function inputDeny(e: Effective, base: Omit<CallContext, 'anchor'>, p: CommandPart): PermRule | undefined {
  for (const r of p.redirects) {
    if (r.op !== '<' || r.target.dynamic) continue;
    const d = readCommandDeny(e, base, ['cat', r.target.value]);
    if (d) return d;
  }
  return undefined;
}

function readCommandDeny(e: Effective, base: Omit<CallContext, 'anchor'>, argv: string[]): PermRule | undefined {
  for (const path of readArgs(e, argv) ?? []) {
    for (const r of e.byList.deny) {
      if (r.status === 'dead' || r.parsed.matcher.kind !== 'path' || r.parsed.matcher.access !== 'read') continue;
      if (ruleMatches(r.parsed, 'deny', { ...base, tool: 'Read', path, anchor: r.file.anchor })) return r;
    }
  }
  return undefined;
}

function rank(d: Decision): number {
  return d === 'deny' ? 3 : d === 'ask' ? 2 : d === 'allow' ? 1 : 0;
}

// ---- shadowing: a rule that another rule always beats -------------------------------------------------------

/** Does rule `b` match every call that rule `a` matches? Decided on representative samples of `a`. */
export function covers(e: Effective, b: PermRule, a: PermRule): boolean {
  const bm = b.parsed.matcher;
  const am = a.parsed.matcher;
  const list = b.list;
  if (bm.kind === 'all-tools') return true;
  const samples = sampleCalls(e, a);
  if (samples.length === 0) return false;
  return (
    samples.every((s) => ruleMatches(b.parsed, list, { ...s, anchor: b.file.anchor })) &&
    (am.kind !== 'tool' || bm.kind === 'tool' || bm.kind === 'tool-glob' || bm.kind === 'mcp-server')
  );
}

function sampleCalls(e: Effective, a: PermRule): Omit<CallContext, 'anchor'>[] {
  const m = a.parsed.matcher;
  const base = { cwd: e.cwd, home: e.home };
  switch (m.kind) {
    case 'tool':
      return [{ ...base, tool: m.tool, arg: '*' }];
    case 'mcp-server':
      return [{ ...base, tool: `mcp__${m.server}__*` }];
    case 'tool-glob':
      return [{ ...base, tool: m.glob }];
    case 'bash':
      return m.pattern.all
        ? [{ ...base, tool: a.parsed.tool, arg: '*' }]
        : m.pattern.prefix
          ? [
              { ...base, tool: a.parsed.tool, arg: m.pattern.body },
              { ...base, tool: a.parsed.tool, arg: m.pattern.body + ' *' },
            ]
          : [{ ...base, tool: a.parsed.tool, arg: m.pattern.body }];
    case 'path': {
      const root = m.base === 'root' ? '' : m.base === 'home' ? e.home : m.base === 'anchor' ? a.file.anchor : e.cwd;
      const concrete = (p: string) => p.replace(/\*\*/g, 'x1').replace(/\*/g, 'x2').replace(/\?/g, 'x');
      const tool = m.access === 'read' ? 'Read' : 'Edit';
      const paths = m.anyDepth
        ? [`${root}/${concrete(m.pattern)}`, `${root}/d/${concrete(m.pattern)}/f`]
        : [`${root}${concrete(m.pattern)}`];
      return paths.map((p) => ({ ...base, tool, path: p }));
    }
    case 'domain':
      return [{ ...base, tool: 'WebFetch', arg: `https://${m.domain.replace(/\*/g, 'x')}/` }];
    case 'spec':
      return [{ ...base, tool: m.tool, arg: m.glob }];
    default:
      return [];
  }
}

const MAX_CANDIDATES = 2000;

/** Mark allow rules beaten by a deny or ask, and ask rules beaten by a deny, as overridden (with `by`). */
export function computeShadows(e: Effective): void {
  if (e.shadowsComputed) return;
  e.shadowsComputed = true;
  const index = (list: RuleList) => {
    const byKey = new Map<string, PermRule[]>();
    for (const r of e.byList[list]) {
      if (r.status === 'dead') continue;
      for (const k of keysOf(r)) {
        let l = byKey.get(k);
        if (!l) byKey.set(k, (l = []));
        l.push(r);
      }
    }
    return byKey;
  };
  const deny = index('deny');
  const ask = index('ask');
  const check = (a: PermRule, idx: Map<string, PermRule[]>) => {
    const seen = new Set<PermRule>();
    let n = 0;
    for (const k of lookupKeys(a)) {
      for (const b of idx.get(k) ?? []) {
        if (seen.has(b) || n++ > MAX_CANDIDATES) continue;
        seen.add(b);
        if (covers(e, b, a)) return b;
      }
    }
    return undefined;
  };
  for (const a of [...e.byList.ask, ...e.byList.allow]) {
    if (a.status === 'dead') continue;
    const b = check(a, deny) ?? (a.list === 'allow' ? check(a, ask) : undefined);
    if (b) {
      a.status = 'overridden';
      a.by = b;
      a.reason = `${b.list} rule ${b.text} in ${b.file.file} (${b.scope}, line ${b.line}) matches every call this rule matches, and ${b.list} is checked before ${a.list}`;
    }
  }
}

/** Literal path segments before the first wildcard, and whether the pattern has none at all. */
function pathLiteral(pattern: string): string[] {
  const segs = pattern.split('/').filter(Boolean);
  const out: string[] = [];
  for (const seg of segs) {
    if (/[*?[]/.test(seg)) break;
    out.push(seg);
  }
  return out;
}

/**
 * Index keys under which a (deny/ask) rule is filed. A rule can cover another only if its literal part is a
 * prefix of the other's (commands by words, paths by segments), so each rule is filed under its full literal part
 * and a candidate looks up each prefix of its own: linear in the number of rules. Rules with a wildcard inside
 * their literal part go to a per-tool "generic" bucket.
 */
function keysOf(r: PermRule): string[] {
  const m = r.parsed.matcher;
  switch (m.kind) {
    case 'all-tools':
    case 'tool-glob':
      return ['*'];
    case 'bash': {
      if (m.pattern.all) return [`tool:${r.parsed.tool}`];
      if (m.pattern.caseInsensitive || m.pattern.body.includes('*')) return [`bash*:${r.parsed.tool}`];
      return [`bash:${r.parsed.tool}|${m.pattern.body}`];
    }
    case 'tool':
      return [`tool:${m.tool}`];
    case 'mcp-server':
      return [`mcp:${m.server}`];
    case 'path': {
      if (m.anyDepth) return /[*?[]/.test(m.pattern) ? [`path*:${m.access}`] : [`seg:${m.access}|${m.pattern}`];
      const lit = pathLiteral(m.pattern);
      return lit.length ? [`path:${m.access}|${m.base}|${lit.join('/')}`] : [`path*:${m.access}`];
    }
    case 'domain':
      return m.domain.includes('*') ? ['domain*'] : [`domain:${m.domain}`];
    case 'spec':
      return [`spec:${m.tool}`];
    default:
      return [];
  }
}

/** Keys to look up for the rules that could cover rule `a`. */
function lookupKeys(a: PermRule): string[] {
  const m = a.parsed.matcher;
  const keys = ['*'];
  const accessKeys = (access: 'read' | 'edit') => (access === 'read' ? ['read'] : ['edit', 'read']);
  switch (m.kind) {
    case 'bash': {
      keys.push(`tool:${a.parsed.tool}`, `bash*:${a.parsed.tool}`);
      if (!m.pattern.all) {
        const star = m.pattern.body.indexOf('*');
        const lit = (star === -1 ? m.pattern.body : m.pattern.body.slice(0, star)).split(' ').filter(Boolean);
        for (let i = 1; i <= lit.length; i++) keys.push(`bash:${a.parsed.tool}|${lit.slice(0, i).join(' ')}`);
      }
      break;
    }
    case 'tool':
      keys.push(`tool:${m.tool}`);
      if (m.tool.startsWith('mcp__')) keys.push(`mcp:${m.tool.slice(5).split('__')[0]}`);
      if (m.tool === 'Edit') keys.push('tool:Read');
      break;
    case 'mcp-server':
      keys.push(`mcp:${m.server}`);
      break;
    case 'path': {
      const tools = m.access === 'read' ? ['Read'] : ['Edit', 'Read'];
      for (const t of tools) keys.push(`tool:${t}`);
      for (const acc of accessKeys(m.access)) {
        keys.push(`path*:${acc}`);
        const lit = m.anyDepth ? [m.pattern] : pathLiteral(m.pattern);
        for (const seg of lit) keys.push(`seg:${acc}|${seg}`);
        if (!m.anyDepth)
          for (let i = 1; i <= lit.length; i++) keys.push(`path:${acc}|${m.base}|${lit.slice(0, i).join('/')}`);
      }
      break;
    }
    case 'domain':
      keys.push('tool:WebFetch', 'domain*', `domain:${m.domain}`);
      break;
    case 'spec':
      keys.push(`tool:${m.tool}`, `spec:${m.tool}`);
      break;
    case 'tool-glob':
      break;
  }
  return keys;
}

export { pathMatches };
