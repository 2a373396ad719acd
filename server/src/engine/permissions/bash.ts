// Shell commands as Claude Code matches them against Bash(...) rules (formats §1.4, checked with cc-oracle):
// compound commands are split at `&&`, `||`, `;`, `|`, `|&`, `&` and line breaks, and each part must match on its
// own; command substitutions `$(…)` and backticks are parts too; wrappers (timeout, time, nice, nohup, stdbuf,
// command, builtin, noglob, env, bare xargs) and leading VAR=value assignments are stripped; runs of blanks count as one.

export interface CommandPart {
  /** The part as written (trimmed, blanks collapsed outside quotes). */
  text: string;
  /** Wrappers and every leading assignment stripped: what deny and ask rules see. */
  stripped: string;
  /** Wrappers stripped, assignments kept unless all of them are harmless: what allow rules see. */
  forAllow: string;
  envNames: string[];
}

export interface SplitCommand {
  parts: CommandPart[];
  /** A `&` background operator: Claude Code never auto-approves it (it asks even when allow rules match). */
  background: boolean;
}

/** Assignments that cannot change what a command does in a harmful way; others keep an allow rule from matching. */
const SAFE_ENV = new Set([
  'NODE_ENV', 'CI', 'DEBUG', 'RUST_BACKTRACE', 'RUST_LOG', 'FORCE_COLOR', 'NO_COLOR', 'TZ', 'LANG', 'LC_ALL',
  'LANGUAGE', 'TERM', 'COLUMNS', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE',
  'VERBOSE', 'HOME_FOR_TEST',
]);

const MAX_PARTS = 200;

export function splitCommand(command: string): SplitCommand {
  const raw: string[] = [];
  let background = false;
  const scan = (cmd: string, depth: number) => {
    let cur = '';
    let quote: '"' | "'" | undefined;
    const flush = () => {
      if (cur.trim()) raw.push(cur);
      cur = '';
    };
    for (let i = 0; i < cmd.length; i++) {
      const c = cmd[i]!;
      if (quote) {
        if (c === '\\' && quote === '"') {
          cur += c + (cmd[i + 1] ?? '');
          i++;
          continue;
        }
        if (c === quote) quote = undefined;
        else if (quote === '"' && c === '$' && cmd[i + 1] === '(' && depth < 8) {
          const end = matchParen(cmd, i + 1);
          scan(cmd.slice(i + 2, end), depth + 1);
          cur += cmd.slice(i, end + 1);
          i = end;
          continue;
        }
        cur += c;
        continue;
      }
      if (c === '\\') {
        cur += c + (cmd[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        cur += c;
        continue;
      }
      if (c === '$' && cmd[i + 1] === '(' && depth < 8) {
        const end = matchParen(cmd, i + 1);
        scan(cmd.slice(i + 2, end), depth + 1);
        cur += cmd.slice(i, end + 1);
        i = end;
        continue;
      }
      if (c === '`' && depth < 8) {
        const end = cmd.indexOf('`', i + 1);
        const stop = end === -1 ? cmd.length : end;
        scan(cmd.slice(i + 1, stop), depth + 1);
        cur += cmd.slice(i, stop + 1);
        i = stop;
        continue;
      }
      if (c === '\n' || c === ';') {
        flush();
        continue;
      }
      if (c === '&') {
        if (cmd[i + 1] === '&') {
          flush();
          i++;
          continue;
        }
        const prev = cur.trimEnd().slice(-1);
        if (prev === '>' || prev === '<' || cmd[i + 1] === '>') {
          cur += c; // a redirection: 2>&1, &>file
          continue;
        }
        background = true;
        flush();
        continue;
      }
      if (c === '|') {
        flush();
        if (cmd[i + 1] === '|' || cmd[i + 1] === '&') i++;
        continue;
      }
      cur += c;
    }
    flush();
  };
  scan(command, 0);
  const parts = raw.slice(0, MAX_PARTS).map(normalisePart);
  return { parts, background };
}

function matchParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return s.length;
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

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function normalisePart(part: string): CommandPart {
  const t = part.trim();
  let w = words(/^[({]/.test(t) ? t.replace(/^[({]\s*/, '').replace(/\s*[)}]$/, '') : t);
  const text = w.join(' ');
  const envNames: string[] = [];
  const envWords: string[] = [];
  let changed = true;
  let guard = 0;
  while (changed && w.length && guard++ < 50) {
    changed = false;
    const head = w[0]!;
    if (ASSIGNMENT.test(head)) {
      envNames.push(head.slice(0, head.indexOf('=')));
      envWords.push(head);
      w = w.slice(1);
      changed = true;
      continue;
    }
    const next = stripWrapper(w);
    if (next) {
      w = next;
      changed = true;
    }
  }
  const stripped = w.join(' ');
  const safe = envNames.every((n) => SAFE_ENV.has(n));
  return { text, stripped, forAllow: safe ? stripped : [...envWords, ...w].join(' '), envNames };
}

/** The words after one leading wrapper, or undefined when the first word is not a wrapper. */
function stripWrapper(w: string[]): string[] | undefined {
  const [head, ...rest] = w;
  let i = 0;
  switch (head) {
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
      // env [-i] [-u NAME] [NAME=value]… command (seen with the real CLI: stripped like a wrapper)
      while (i < rest.length && (rest[i]!.startsWith('-') || ASSIGNMENT.test(rest[i]!))) i += /^-(u|C|S)$/.test(rest[i]!) ? 2 : 1;
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
  if (p.prefix) return globMatch(p.body, command, p.caseInsensitive) || globMatch(p.body + ' *', command, p.caseInsensitive);
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
