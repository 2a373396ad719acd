// Commands a convention file tells agents to run (from its code spans and code blocks), for
// conventions/conflict: which JavaScript or Python package manager a file uses, and its test/build/lint commands.
// AGENTS.md says agents may execute the commands listed there, so two files that apply to the same path and name
// different managers (`pnpm test` vs `npm test`) make agents flip between lockfiles.

import { perChunk, type CodeFact, type ParsedConvention, type Span } from './parse';

export type Ecosystem = 'js' | 'py';

export interface CommandFact extends Span {
  ecosystem: Ecosystem;
  manager: string;
  /** `test`, `build`, `lint`, `install` … or '' */
  script: string;
  command: string;
}

const JS = /(?:^|[\s;&|(`$])(npm|pnpm|yarn|bun)(?:\s+(run|run-script))?\s+([a-z][\w:.-]*)/g;
const PY = /(?:^|[\s;&|(`$])(poetry|uv|pipenv|pdm|hatch)\s+(run\s+)?([a-z][\w:.-]*)/g;

/** Subcommands that do not say which manager the project uses (global installs, one-off runners). */
const NEUTRAL = new Set([
  '-g',
  'global',
  'dlx',
  'exec',
  'x',
  'create',
  'init',
  'login',
  'publish',
  'config',
  'version',
  'view',
  'info',
  'pack',
  'link',
  'help',
  'self',
  'tool',
  'python',
  'pip',
  'venv',
]);

/** Commands in a file's code spans and shell blocks (memoised per chunk). */
export function commandsOf(p: ParsedConvention): CommandFact[] {
  return perChunk(p, 'commands', (chunk, facts) => commandsIn(chunk, facts.code));
}

function commandsIn(text: string, code: CodeFact[]): CommandFact[] {
  const out: CommandFact[] = [];
  for (const c of code) {
    if (!c.inline && c.lang && !/^(sh|bash|shell|zsh|console|terminal|text|)$/i.test(c.lang)) continue;
    for (const [eco, re] of [
      ['js', JS],
      ['py', PY],
    ] as const) {
      re.lastIndex = 0;
      for (let m = re.exec(c.value); m; m = re.exec(c.value)) {
        const manager = m[1]!;
        const sub = m[3]!;
        if (NEUTRAL.has(sub)) continue;
        const eol = c.value.indexOf('\n', m.index);
        if (/\s-g\b|\s--global\b/.test(c.value.slice(m.index, eol === -1 ? undefined : eol))) continue;
        const script =
          sub === 'install' || sub === 'i' || sub === 'ci' || sub === 'add' || sub === 'sync' ? 'install' : sub;
        // Offsets: inside a code span the value starts after the backticks; find it in the source.
        const within = text.indexOf(m[0].trim(), c.start);
        const start = within !== -1 && within < c.end ? within : c.start;
        out.push({
          ecosystem: eco,
          manager,
          script,
          command: m[0]
            .trim()
            .replace(/^[;&|(`$]/, '')
            .trim(),
          start,
          end: start + m[0].trim().length,
        });
      }
    }
  }
  return out;
}

/** The one manager per ecosystem a file uses, when it uses exactly one. */
export function managersOf(cmds: CommandFact[]): Map<Ecosystem, { manager: string; first: CommandFact }> {
  const by = new Map<Ecosystem, Map<string, CommandFact>>();
  for (const c of cmds) {
    let m = by.get(c.ecosystem);
    if (!m) by.set(c.ecosystem, (m = new Map()));
    if (!m.has(c.manager)) m.set(c.manager, c);
  }
  const out = new Map<Ecosystem, { manager: string; first: CommandFact }>();
  for (const [eco, m] of by) {
    if (m.size === 1) {
      const [manager, first] = [...m][0]!;
      out.set(eco, { manager, first });
    }
  }
  return out;
}

export interface ScriptRun extends Span {
  manager: string;
  script: string;
}

const RUN = /(?:^|[\s;&|(`$])(npm|pnpm|yarn|bun)\s+run(?:-script)?\s+([A-Za-z0-9][\w:.-]*)([^\n;&|`]*)/g;
/** Flags that run the script in another package (a workspace, a filter, another folder): not checked. */
const ELSEWHERE =
  /(?:^|\s)(?:-w|--workspace|--workspaces|-ws|--filter|-F|-C|--dir|--prefix|--cwd|-r|--recursive)(?:[\s=]|$)/;

/** `npm run <script>`-style commands in a file's code spans and shell blocks that run a script of the package
 * the file sits in (no workspace or filter flags). */
export function scriptRunsOf(p: ParsedConvention): ScriptRun[] {
  return perChunk(p, 'scriptRuns', (chunk, facts) => scriptRunsIn(chunk, facts.code));
}

/** A folder tree drawn in a code block (`├── build/  # made by npm run x`): a picture, not commands to run. */
const TREE = /[├└]──/;

function scriptRunsIn(text: string, code: CodeFact[]): ScriptRun[] {
  const out: ScriptRun[] = [];
  for (const c of code) {
    if (!c.inline && c.lang && !/^(sh|bash|shell|zsh|console|terminal|text)$/i.test(c.lang)) continue;
    if (!c.inline && TREE.test(c.value)) continue;
    RUN.lastIndex = 0;
    // Each command sits where it is written: search the source from the end of the previous one (a code block's value
    // is its source without fences and indentation, so offsets within it do not map one to one).
    let cursor = c.start;
    for (let m = RUN.exec(c.value); m; m = RUN.exec(c.value)) {
      const script = m[2]!;
      const rest = m[3]!;
      // A pattern or a placeholder, not a script name: `npm run watch:*`, `pnpm run <script>`, `npm run test:{a,b}`.
      if (/[:.-]$/.test(script) || /^[*<{[$]/.test(rest)) continue;
      const head = text.indexOf(`${m[1]} run`, cursor);
      const within = head !== -1 && head < c.end ? text.indexOf(script, head) : -1;
      const start = within !== -1 && within < c.end ? within : c.start;
      if (within !== -1 && within < c.end) cursor = within + script.length;
      if (ELSEWHERE.test(rest)) continue;
      out.push({ manager: m[1]!, script, start, end: start + script.length });
    }
  }
  return out;
}
