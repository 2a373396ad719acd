// Explaining a call against the effective permission set: which rule decides it (deny → ask → allow, first match),
// per part of a compound Bash command, with the rules it overrides.

import { splitCommand, type CommandPart, type SplitCommand } from './bash';
import { BUILTIN_VERSION, preapprovedFetch, readOnlyBuiltin } from './builtin';
import { parseToolCall } from './call';
import { LISTS, resolvePath, type Effective, type PermRule } from './effective';
import { ruleMatches, READ_TOOLS, EDIT_TOOLS, type CallContext, type RuleList } from './rules';

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
