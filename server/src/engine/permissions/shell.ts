// Shell commands parsed with tree-sitter-bash (through web-tree-sitter), the grammar Claude Code itself parses Bash
// calls with. The parser is WebAssembly: it is loaded once, asynchronously, by the front ends
// (server/src/node/shell-parser.ts reads the two .wasm files); parsing is then synchronous and takes microseconds.
// Until it is loaded, and for input it cannot parse, the answer is `ok: false` — the permission engine then asks,
// it never guesses `allow`.

import { Language, Parser, type Node } from 'web-tree-sitter';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Load the parser from the bytes of web-tree-sitter.wasm and tree-sitter-bash.wasm (once; later calls wait). */
export function initShellParser(runtime: Uint8Array, bash: Uint8Array): Promise<void> {
  loading ??= (async () => {
    await Parser.init({ wasmBinary: runtime });
    const lang = await Language.load(bash);
    const p = new Parser();
    p.setLanguage(lang);
    parser = p;
  })();
  return loading;
}

export function shellParserReady(): boolean {
  return parser !== undefined;
}

export interface ShellWord {
  /** The word as written. */
  source: string;
  /** After quote removal (`"deploy"` and `de\ploy` are `deploy`; `'$(x)'` is the literal `$(x)`). */
  value: string;
  /** Holds an expansion, a command or process substitution, or arithmetic: its value is known only at run time. */
  dynamic: boolean;
}

export interface ShellRedirect {
  /** `>`, `>>`, `&>`, `>|`, `<`, `<<<`, `>&`, … */
  op: string;
  target: ShellWord;
  fd?: string;
}

/** Where a simple command sits. */
export type ShellContext =
  'top' | 'substitution' | 'subshell' | 'group' | 'loop' | 'if' | 'case' | 'negated' | 'function' | 'test';

export interface ShellCommand {
  /** The words, leading assignments first (quote-removed in `value`). */
  words: ShellWord[];
  /** How many of `words` are leading `NAME=value` assignments. */
  assignments: number;
  redirects: ShellRedirect[];
  /** The innermost structure it sits in. */
  context: ShellContext;
  /** The command as written. */
  source: string;
}

export type ParsedShell =
  | {
      ok: true;
      commands: ShellCommand[];
      /** A `&` background operator somewhere. */
      background: boolean;
      /** Every structure the line uses (`subshell`, `loop`, `pipeline`, `substitution`, …). */
      structures: Set<string>;
    }
  | { ok: false; error: string };

const MAX_COMMANDS = 200;
const WORDLIKE = new Set([
  'word',
  'string',
  'raw_string',
  'concatenation',
  'number',
  'simple_expansion',
  'expansion',
  'extglob_pattern',
  'variable_name',
  'ansi_c_string',
  'translated_string',
  'arithmetic_expansion',
  'brace_expression',
  'binary_expression',
  'unary_expression',
  'parenthesized_expression',
  'postfix_expression',
  'variable_assignment',
]);
const MAX_LENGTH = 100_000;
/** Words that tree-sitter-bash may take for a command name when it mis-parses a group (`! { a; }`). */
const KEYWORDS = new Set([
  '{',
  '}',
  'do',
  'done',
  'then',
  'fi',
  'elif',
  'else',
  'esac',
  'in',
  'function',
  'select',
  '[[',
  ']]',
]);

function unescapeBare(s: string): string {
  // Outside quotes a backslash quotes the next character; a backslash-newline is removed.
  return s.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
}

function unescapeDouble(s: string): string {
  // Inside double quotes a backslash only quotes $ ` " \ and newline.
  return s.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}

const DYNAMIC = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
]);

function wordOf(n: Node, onSub: (n: Node) => void): ShellWord {
  let dynamic = false;
  const walkSubs = (x: Node) => {
    if (x.type === 'command_substitution' || x.type === 'process_substitution') onSub(x);
    for (const c of x.namedChildren) if (c) walkSubs(c);
  };
  const value = (x: Node): string => {
    switch (x.type) {
      case 'word':
      case 'number':
        return unescapeBare(x.text);
      case 'raw_string':
        return x.text.slice(1, -1);
      case 'ansi_c_string':
        dynamic = true;
        return x.text;
      case 'string': {
        let out = '';
        for (const c of x.namedChildren) {
          if (!c) continue;
          if (c.type === 'string_content') out += unescapeDouble(c.text);
          else {
            if (DYNAMIC.has(c.type)) dynamic = true;
            out += c.text;
          }
        }
        // A string holding only an expansion still counts as dynamic; an empty string is ''.
        return out;
      }
      case 'concatenation':
        return x.children.map((c) => (c ? value(c) : '')).join('');
      default:
        if (DYNAMIC.has(x.type)) dynamic = true;
        return x.text;
    }
  };
  walkSubs(n);
  const v = value(n);
  return { source: n.text, value: v, dynamic };
}

/** Parse a command line. Never throws. */
export function parseShell(command: string): ParsedShell {
  if (!parser) return { ok: false, error: 'the shell parser is not loaded' };
  if (command.length > MAX_LENGTH) return { ok: false, error: `the command is longer than ${MAX_LENGTH} characters` };
  const tree = parser.parse(command);
  if (!tree) return { ok: false, error: 'the shell parser gave no result' };
  try {
    const root = tree.rootNode;
    if (root.hasError) {
      const bad = findError(root);
      const where = bad ? ` near column ${bad.startPosition.column + 1}: ${JSON.stringify(bad.text.slice(0, 30))}` : '';
      return { ok: false, error: `not valid shell syntax${where}` };
    }
    const commands: ShellCommand[] = [];
    const structures = new Set<string>();
    let background = false;
    let error: string | undefined;
    const visit = (n: Node, ctx: ShellContext, depth: number): void => {
      if (error) return;
      if (depth > 64 || commands.length >= MAX_COMMANDS) {
        error = 'the command is nested too deeply or has too many parts';
        return;
      }
      const sub = (x: Node) => {
        structures.add('substitution');
        for (const c of x.namedChildren) if (c) visit(c, 'substitution', depth + 1);
      };
      switch (n.type) {
        case 'command': {
          const words: ShellWord[] = [];
          const redirects: ShellRedirect[] = [];
          let assignments = 0;
          for (const c of n.namedChildren) {
            if (!c) continue;
            if (c.type === 'variable_assignment') {
              const val = c.childForFieldName('value');
              const w = { source: c.text, value: c.text, dynamic: false };
              if (val) {
                const vw = wordOf(val, sub);
                w.value = `${c.text.slice(0, c.text.indexOf('=') + 1)}${vw.value}`;
                w.dynamic = vw.dynamic;
              }
              words.push(w);
              assignments++;
            } else if (c.type === 'command_name') {
              const inner = c.namedChildren[0];
              if (inner) words.push(wordOf(inner, sub));
            } else if (/^(file|herestring|heredoc)_redirect$/.test(c.type)) {
              redirects.push(...redirectsOf(c, sub));
            } else words.push(wordOf(c, sub));
          }
          const name = words[assignments];
          if (name && KEYWORDS.has(name.value) && !name.dynamic) {
            error = `the shell keyword '${name.value}' stands where a command name should`;
            return;
          }
          commands.push({ words, assignments, redirects, context: ctx, source: n.text });
          return;
        }
        case 'redirected_statement': {
          const body = n.childForFieldName('body');
          const before = commands.length;
          if (body) visit(body, ctx, depth + 1);
          const rs: ShellRedirect[] = [];
          for (const c of n.namedChildren) {
            if (c && c !== body && /redirect$/.test(c.type)) rs.push(...redirectsOf(c, sub));
          }
          if (!body) {
            // A bare redirection (`> file`) is a command with no words.
            commands.push({ words: [], assignments: 0, redirects: rs, context: ctx, source: n.text });
            return;
          }
          // The redirections apply to the statement: give them to its last simple command (and mark the rest).
          const last = commands[commands.length - 1];
          if (last && commands.length > before) last.redirects.push(...rs);
          if (commands.length - before > 1) structures.add('redirected-compound');
          return;
        }
        case 'variable_assignment':
        case 'variable_assignments': {
          // NAME=value alone: nothing runs but what its value substitutes.
          structures.add('assignment');
          const val = n.type === 'variable_assignment' ? n.childForFieldName('value') : undefined;
          if (val) wordOf(val, sub);
          else for (const c of n.namedChildren) if (c) visit(c, ctx, depth + 1);
          return;
        }
        case 'subshell':
          structures.add('subshell');
          for (const c of n.namedChildren) if (c) visit(c, 'subshell', depth + 1);
          return;
        case 'compound_statement':
          structures.add('group');
          for (const c of n.namedChildren) if (c) visit(c, ctx === 'top' ? 'group' : ctx, depth + 1);
          return;
        case 'negated_command':
          structures.add('negated');
          for (const c of n.namedChildren) if (c) visit(c, 'negated', depth + 1);
          return;
        case 'for_statement':
        case 'c_style_for_statement':
        case 'while_statement':
          structures.add('loop');
          for (const c of n.namedChildren) if (c) structural(c, 'loop', depth);
          return;
        case 'if_statement':
        case 'elif_clause':
        case 'else_clause':
          structures.add('if');
          for (const c of n.namedChildren) if (c) structural(c, 'if', depth);
          return;
        case 'case_statement':
        case 'case_item':
          structures.add('case');
          for (const c of n.namedChildren) if (c) structural(c, 'case', depth);
          return;
        case 'function_definition':
          structures.add('function');
          for (const c of n.namedChildren) if (c) visit(c, 'function', depth + 1);
          return;
        case 'test_command':
          structures.add('test');
          for (const c of n.namedChildren) if (c) walkForSubs(c, sub);
          return;
        case 'pipeline':
          structures.add('pipeline');
          for (const c of n.namedChildren) if (c) visit(c, ctx, depth + 1);
          return;
        case 'declaration_command':
        case 'unset_command': {
          structures.add('declaration');
          const words: ShellWord[] = [];
          for (const c of n.children) {
            if (c) words.push(c.isNamed ? wordOf(c, sub) : { source: c.text, value: c.text, dynamic: false });
          }
          commands.push({ words, assignments: 0, redirects: [], context: ctx, source: n.text });
          return;
        }
        case 'command_substitution':
        case 'process_substitution':
          sub(n);
          return;
        case 'comment':
          return;
        default: {
          if (n.type === 'list' || n.type === 'program' || n.type === 'do_group' || n.type === 'case_item') {
            for (const c of n.children) {
              if (!c) continue;
              if (!c.isNamed) {
                if (c.type === '&') background = true;
                if (c.type === '&&' || c.type === '||') structures.add('list');
                continue;
              }
              visit(c, ctx, depth + 1);
            }
            return;
          }
          // Anything else (arithmetic `(( ))`, a bare word, …): its text is looked at as one command.
          structures.add(n.type);
          for (const c of n.namedChildren) if (c) walkForSubs(c, sub);
          const word = { source: n.text, value: n.text, dynamic: true };
          commands.push({ words: [word], assignments: 0, redirects: [], context: ctx, source: n.text });
        }
      }
    };
    /** A child of a loop, `if` or `case`: words (a loop's list, a case's patterns) run only their substitutions. */
    const structural = (c: Node, ctx: ShellContext, depth: number) => {
      if (WORDLIKE.has(c.type)) walkForSubs(c, (x) => visit(x, ctx, depth + 1));
      else visit(c, ctx, depth + 1);
    };
    visit(root, 'top', 0);
    if (error) return { ok: false, error };
    return { ok: true, commands, background, structures };
  } finally {
    tree.delete();
  }
}

function walkForSubs(n: Node, sub: (n: Node) => void): void {
  if (n.type === 'command_substitution' || n.type === 'process_substitution') {
    sub(n);
    return;
  }
  for (const c of n.namedChildren) if (c) walkForSubs(c, sub);
}

function redirectsOf(r: Node, sub: (n: Node) => void): ShellRedirect[] {
  if (r.type === 'heredoc_redirect') {
    for (const c of r.namedChildren) if (c) walkForSubs(c, sub);
    return [];
  }
  let op = '';
  let fd: string | undefined;
  let target: ShellWord | undefined;
  for (const c of r.children) {
    if (!c) continue;
    if (!c.isNamed) op += c.type;
    else if (c.type === 'file_descriptor') fd = c.text;
    else if (!target) target = wordOf(c, sub);
  }
  if (r.type === 'herestring_redirect') return [];
  return target ? [{ op, target, ...(fd !== undefined ? { fd } : {}) }] : [];
}

function findError(n: Node): Node | undefined {
  if (n.type === 'ERROR' || n.isMissing) return n;
  for (const c of n.children) {
    if (!c || !c.hasError) continue;
    const f = findError(c);
    if (f) return f;
  }
  return n.hasError ? n : undefined;
}
