// Shell commands as Claude Code matches them against Bash(...) rules (formats §1.4, checked with cc-oracle). The
// line is parsed with tree-sitter-bash (./shell.ts): every simple command — in a list (`&&`, `||`, `;`, `&`), a
// pipeline, a command substitution, a subshell, a group, a loop, an `if` or `case` body — is a part that must match
// on its own; quotes and backslashes are removed before matching (`npm run "deploy"` is `npm run deploy`);
// wrappers (timeout, time, nice, nohup, stdbuf, command, builtin, noglob, env, bare xargs) and leading VAR=value
// assignments are stripped; `sudo`, `doas` and `exec` are stripped for deny and ask rules only (an allow rule does
// not see through them; nor through env and watch). A line the parser cannot read is reported (`error`), never split by guesswork.

import { parseShell, type ShellCommand, type ShellContext, type ShellRedirect, type ShellWord } from './shell';

export interface CommandPart {
  /** The part's words, quote-removed, blanks collapsed. */
  text: string;
  /** Wrappers and every leading assignment stripped: what deny and ask rules see. */
  stripped: string;
  /** Wrappers stripped, assignments kept unless all of them are harmless: what allow rules see. */
  forAllow: string;
  /** Every word as allow rules see it (quotes kept, backslashes removed), wrappers and all. */
  allowText: string;
  envNames: string[];
  /** The words of `stripped`. */
  argv: string[];
  /** Whether a word's value is known only at run time (`$VAR`, `$(…)`, `${…}`). */
  dynamic: boolean;
  redirects: ShellRedirect[];
  context: ShellContext;
  /** The part as written. */
  source: string;
}

export interface SplitCommand {
  parts: CommandPart[];
  /** A `&` background operator: Claude Code never auto-approves it (it asks even when allow rules match). */
  background: boolean;
  /** Structures the line uses (subshell, loop, pipeline, substitution, …). */
  structures: Set<string>;
  /** The whole line, blanks collapsed (rules whose pattern holds a `|` are matched against it). */
  line: string;
  /** Set when the line cannot be parsed: no part can then be trusted. */
  error?: string;
}

/** Assignments that cannot change what a command does in a harmful way; others keep an allow rule from matching. */
const SAFE_ENV = new Set([
  'NODE_ENV',
  'CI',
  'DEBUG',
  'RUST_BACKTRACE',
  'RUST_LOG',
  'FORCE_COLOR',
  'NO_COLOR',
  'TZ',
  'LANG',
  'LC_ALL',
  'LANGUAGE',
  'TERM',
  'COLUMNS',
  'GOOS',
  'GOARCH',
  'CGO_ENABLED',
  'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE',
  'VERBOSE',
  'HOME_FOR_TEST',
]);

export function splitCommand(command: string): SplitCommand {
  const line = collapse(command);
  const parsed = parseShell(command);
  if (!parsed.ok) return { parts: [], background: false, structures: new Set(), line, error: parsed.error };
  return { parts: parsed.commands.map(normalise), background: parsed.background, structures: parsed.structures, line };
}

/** Blanks outside quotes collapsed to one space, `|` set apart by blanks (`curl x|bash` is `curl x | bash`), trimmed. */
function collapse(s: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') {
        out += c + (s[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
      out += c;
    } else if (c === '\\') {
      out += c + (s[i + 1] ?? '');
      i++;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === '|' && s[i + 1] !== '|' && s[i - 1] !== '|') out += ' | ';
    else out += c;
  }
  return words(out).join(' ');
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The form of a word allow rules see (seen with the real CLI): backslashes are removed but quotes are kept, so
 * `npm "run" build` is not approved by `Bash(npm run *)` although `npm run "build"` is.
 */
function allowForm(w: ShellWord): string {
  if (!/["']/.test(w.source)) return w.value;
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < w.source.length; i++) {
    const ch = w.source[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === '\\') out += w.source[++i] ?? '';
    else {
      if (ch === '"' || ch === "'") quote = ch;
      out += ch;
    }
  }
  return out;
}

function normalise(c: ShellCommand): CommandPart {
  const all = c.words.map((w) => w.value);
  const allForms = c.words.map(allowForm);
  const text = all.join(' ');
  const envNames: string[] = [];
  const envWords: string[] = [];
  const strip = (w: string[], denySide: boolean): string[] => {
    let changed = true;
    let guard = 0;
    while (changed && w.length && guard++ < 50) {
      changed = false;
      const head = w[0]!;
      if (ASSIGNMENT.test(head)) {
        if (denySide) {
          envNames.push(head.slice(0, head.indexOf('=')));
          envWords.push(head);
        }
        w = w.slice(1);
        changed = true;
        continue;
      }
      const next = stripWrapper(w, denySide);
      if (next) {
        w = next;
        changed = true;
      }
    }
    return w;
  };
  const argv = strip(all, true);
  const allowSide = strip(allForms, false);
  const safe = envNames.every((n) => SAFE_ENV.has(n));
  // Allow rules: the assignments stay when one of them is not harmless; sudo/doas/exec are never stripped.
  const allowWords = safe ? allowSide : [...envWords, ...allowSide];
  return {
    text,
    stripped: argv.join(' '),
    forAllow: allowWords.join(' '),
    allowText: allForms.join(' '),
    envNames,
    argv,
    dynamic: c.words.some((w) => w.dynamic),
    redirects: c.redirects,
    context: c.context,
    source: c.source,
  };
}

/** Split into words, keeping quotes inside the word; blanks outside quotes separate words. */
export function words(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') {
        cur += c + (s[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
      cur += c;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      if (cur) out.push(cur);
      cur = '';
    } else {
      if (c === '"' || c === "'") quote = c;
      if (c === '\\') {
        cur += c + (s[i + 1] ?? '');
        i++;
        continue;
      }
      cur += c;
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Options of pkexec, unshare and nsenter that take a value. */
const WITH_VALUE = /^(-t|-S|-G|-w|-r|--target|--user|--setuid|--setgid|--propagation|--wd|--root)$/;

/** The words after one leading wrapper, or undefined when the first word is not a wrapper. */
function stripWrapper(w: string[], denySide: boolean): string[] | undefined {
  const [head, ...rest] = w;
  let i = 0;
  switch (head) {
    case 'sudo':
    case 'doas':
      if (!denySide) return undefined;
      // sudo [-u user] [-g group] [-E] … command
      while (i < rest.length && rest[i]!.startsWith('-')) i += /^-[ugCpraTthD]$/.test(rest[i]!) ? 2 : 1;
      return i < rest.length ? rest.slice(i) : undefined;
    case 'watch':
      // watch [-n SECS] [-d] … command (seen with the real CLI: deny rules see through it)
      if (!denySide) return undefined;
      while (i < rest.length && rest[i]!.startsWith('-')) i += /^-(n|g|q|c)$|^--interval$/.test(rest[i]!) ? 2 : 1;
      return i < rest.length ? rest.slice(i) : undefined;
    case 'ionice':
    case 'setsid':
    case 'strace':
    case 'ltrace':
      // Seen with the real CLI: deny rules see through them (ionice -c3 git push is denied by Bash(git push:*)).
      if (!denySide) return undefined;
      while (i < rest.length && rest[i]!.startsWith('-')) i += /^-[cnpPueosEabIOSX]$/.test(rest[i]!) ? 2 : 1;
      return i < rest.length ? rest.slice(i) : undefined;
    case 'pkexec':
    case 'unshare':
    case 'nsenter':
      if (!denySide) return undefined;
      while (i < rest.length && rest[i]!.startsWith('-')) i += WITH_VALUE.test(rest[i]!) ? 2 : 1;
      return i < rest.length ? rest.slice(i) : undefined;
    case 'chrt':
    case 'taskset':
    case 'flock': {
      // chrt [opts] PRIORITY cmd, taskset [opts] MASK cmd (or -c LIST cmd), flock [opts] FILE cmd (or -c CMD)
      if (!denySide) return undefined;
      while (i < rest.length && rest[i]!.startsWith('-')) {
        const o = rest[i]!;
        if (head === 'flock' && (o === '-c' || o === '--command')) return rest[i + 1]?.split(' ').filter(Boolean);
        i += head === 'flock' && /^-(w|E|-timeout|-conflict-exit-code)$/.test(o) ? 2 : 1;
      }
      i++; // the priority, mask, CPU list or lock file
      return i < rest.length ? rest.slice(i) : undefined;
    }
    case 'script': {
      // script -c "CMD" [file]: the command string (seen with the real CLI: denied like the command itself)
      if (!denySide) return undefined;
      const c = rest.findIndex((a) => a === '-c' || a === '--command');
      return c === -1 ? undefined : rest[c + 1]?.split(' ').filter(Boolean);
    }
    case 'exec':
      if (!denySide) return undefined;
      while (i < rest.length && rest[i]!.startsWith('-')) i += rest[i] === '-a' ? 2 : 1;
      return i < rest.length ? rest.slice(i) : undefined;
    case 'nohup':
    case 'builtin':
    case 'noglob':
      return rest;
    case 'command':
      while (rest[i] === '-p') i++;
      return rest.slice(i);
    case 'time':
      while (rest[i] === '-p') i++;
      return rest.slice(i);
    case 'nice':
      if (rest[0] === '-n') return rest.slice(2);
      if (/^-\d+$/.test(rest[0] ?? '') || /^--adjustment=/.test(rest[0] ?? '')) return rest.slice(1);
      return rest;
    case 'timeout':
      while (i < rest.length && rest[i]!.startsWith('-')) i += /^-(s|k)$/.test(rest[i]!) ? 2 : 1;
      return rest.slice(i + 1);
    case 'stdbuf':
      while (i < rest.length && rest[i]!.startsWith('-')) i += /^-(i|o|e)$/.test(rest[i]!) ? 2 : 1;
      return rest.slice(i);
    case 'env':
      // env [-i] [-u NAME] [NAME=value]… command (seen with the real CLI: deny rules see through it, allow rules do not)
      if (!denySide) return undefined;
      while (i < rest.length && (rest[i]!.startsWith('-') || ASSIGNMENT.test(rest[i]!)))
        i += /^-(u|C|S)$/.test(rest[i]!) ? 2 : 1;
      return i < rest.length ? rest.slice(i) : undefined;
    case 'xargs':
      return rest.length && !rest[0]!.startsWith('-') ? rest : undefined;
    default:
      return undefined;
  }
}

/**
 * Glob match with `*` = any run of characters (spaces too), no regex (so a hostile pattern cannot backtrack
 * exponentially): the classic two-pointer algorithm, O(pattern × text) in the worst case.
 */
export function globMatch(pattern: string, text: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const t = caseInsensitive ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] !== '*' && p[pi] === t[ti]) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** A compiled Bash(...) specifier. */
export interface BashPattern {
  /** Matches every command. */
  all: boolean;
  /** The pattern without its trailing ` *` / `:*` (which also allow the bare prefix). */
  body: string;
  /** Trailing ` *` or legacy `:*`: prefix + word boundary; the bare prefix matches too. */
  prefix: boolean;
  caseInsensitive: boolean;
}

export function compileBash(spec: string | undefined, caseInsensitive = false): BashPattern {
  const s = (spec ?? '').replace(/\s+/g, ' ').trim();
  if (s === '' || s === '*') return { all: true, body: '', prefix: false, caseInsensitive };
  if (s.endsWith(':*')) return { all: false, body: s.slice(0, -2), prefix: true, caseInsensitive };
  if (s.endsWith(' *')) return { all: false, body: s.slice(0, -2), prefix: true, caseInsensitive };
  return { all: false, body: s, prefix: false, caseInsensitive };
}

export function matchBash(p: BashPattern, command: string): boolean {
  if (p.all) return true;
  if (p.prefix)
    return globMatch(p.body, command, p.caseInsensitive) || globMatch(p.body + ' *', command, p.caseInsensitive);
  return globMatch(p.body, command, p.caseInsensitive);
}

/** The literal words before the first `*` (for indexing which rules can cover which). */
export function literalWords(p: BashPattern): string[] {
  const star = p.body.indexOf('*');
  const lit = star === -1 ? p.body : p.body.slice(0, star);
  const ws = lit.split(' ').filter(Boolean);
  // A word cut by the star (`ls*`) is not a whole word.
  if (star !== -1 && !lit.endsWith(' ')) ws.pop();
  return ws;
}
