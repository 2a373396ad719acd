// A cheap test that a text cannot hold a match of an RE2 pattern, so that the pattern (re2js: a few MB a second) runs
// only where a match is possible. From the pattern it takes, for each top-level alternative, the longest run of
// literal characters every match of that alternative contains; a text that contains none of them cannot match.
// Conservative by construction: anything it does not understand (a pattern with no literal of 3 characters or more in
// some alternative, non-ASCII literals under case folding) gives no prefilter, and the pattern runs as before. So the
// findings are the same with and without it; only the time differs (a 7 MB file without `--no-verify` is not run
// through the RE2 engine at all).

export interface Prefilter {
  /** False only when no match of the pattern can occur in `text`. */
  mayMatch(text: string): boolean;
}

const MIN_LITERAL = 3;

/** Split at top-level `|` (outside groups, classes and escapes). */
function alternatives(p: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      const end = classEnd(p, i);
      if (end === -1) return undefined;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(p.slice(from, i));
      from = i + 1;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  out.push(p.slice(from));
  return out;
}

/** The index of the `]` that closes the class opened at `i`, or -1. */
function classEnd(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '^') j++;
  if (p[j] === ']') j++; // a leading `]` is literal
  for (; j < p.length; j++) {
    if (p[j] === '\\') j++;
    else if (p[j] === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':]', j + 2);
      if (close === -1) return -1;
      j = close + 1;
    } else if (p[j] === ']') return j;
  }
  return -1;
}

/** The index of the `)` that closes the group opened at `i`, or -1. */
function groupEnd(p: string, i: number): number {
  let depth = 0;
  for (let j = i; j < p.length; j++) {
    const c = p[j]!;
    if (c === '\\') j++;
    else if (c === '[') {
      const end = classEnd(p, j);
      if (end === -1) return -1;
      j = end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return -1;
}

/** The longest run of literal characters that every match of one alternative contains, or undefined. */
function requiredLiteral(alt: string): string | undefined {
  let best = '';
  let run = '';
  const cut = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < alt.length; i++) {
    const c = alt[i]!;
    if (c === '\\') {
      const n = alt[i + 1];
      if (n === undefined) return undefined;
      i++;
      // `\b`, `\w`, `\d`, `\pL`, `\x41`, `\Q…\E`, …: not a literal character (for `\p{…}`, `\x{…}` the braces
      // that follow are skipped below as a quantifier-like token or end the run; either way no literal is taken).
      if (/[A-Za-z0-9]/.test(n)) {
        if (n === 'Q' || n === 'x' || n === 'p' || n === 'P') return undefined;
        cut();
        continue;
      }
      run += n;
    } else if (c === '[') {
      const end = classEnd(alt, i);
      if (end === -1) return undefined;
      i = end;
      cut();
    } else if (c === '(') {
      const end = groupEnd(alt, i);
      if (end === -1) return undefined;
      i = end;
      cut();
    } else if (c === '*' || c === '?' || c === '+' || c === '{') {
      // The character before is optional or repeated: it leaves the run (and the run ends).
      run = run.slice(0, -1);
      cut();
      if (c === '{') {
        const close = alt.indexOf('}', i);
        if (close === -1) return undefined;
        i = close;
      }
    } else if (c === '.' || c === '^' || c === '$') {
      cut();
    } else {
      run += c;
    }
  }
  cut();
  return best.length >= MIN_LITERAL ? best : undefined;
}

/** The prefilter for an RE2 pattern, or undefined when the pattern must always run. */
export function prefilterOf(pattern: string): Prefilter | undefined {
  // Leading flags: `(?i)`, `(?is)`. Any other use of flags (`(?i:…)`, a flag group later on) makes every literal
  // case-insensitive too — a looser test, never a wrong one.
  let body = pattern;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (lead) body = body.slice(lead[0].length);
  if (/\(\?[a-zA-Z]*[^a-zA-Z:)]/.test(body.replace(/\(\?:/g, ''))) return undefined; // named groups and the like
  const ci = /\(\?[a-zA-Z]*i/.test(pattern);
  const alts = alternatives(body);
  if (!alts) return undefined;
  const literals: string[] = [];
  for (const a of alts) {
    const lit = requiredLiteral(a);
    if (lit === undefined) return undefined;
    // RE2's case folding of non-ASCII letters differs from toLowerCase (ς, σ, Σ): no prefilter then.
    if (ci && /[^\x20-\x7e]/.test(lit)) return undefined;
    literals.push(ci ? lit.toLowerCase() : lit);
  }
  if (!ci) return { mayMatch: (text) => literals.some((l) => text.includes(l)) };
  return {
    mayMatch: (text) => {
      // RE2 folds U+017F (ſ) to s and U+212A (Kelvin sign) to k; toLowerCase maps the Kelvin sign, not ſ.
      const lower = text.toLowerCase();
      const folded = lower.includes('\u017f') ? lower.replace(/\u017f/g, 's') : lower;
      return literals.some((l) => folded.includes(l));
    },
  };
}
