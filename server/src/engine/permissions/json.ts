// Strict JSON with positions, as Claude Code reads its settings files: no comments, no trailing commas (Gemini CLI
// strips comments, so its files allow them). jsonc-parser gives the tree; a pre-scan refuses nesting deeper than
// MAX_DEPTH before the recursive parser sees it, so a 10,000-level file is a finding, not a stack overflow.

import * as jsonc from 'jsonc-parser';
import { LineIndex } from '../text';
import type { Range } from '../types';

import { errorsOncePerOffset, MAX_DEPTH, nestingDepth } from '../json';

export { MAX_DEPTH, nestingDepth };

export interface JsonProblem {
  code: 'syntax' | 'comment' | 'trailing-comma' | 'depth' | 'duplicate-key' | 'not-object';
  message: string;
  range: Range;
  /** The tool rejects the whole file for this problem. */
  fatal: boolean;
}

export interface ParsedJson {
  text: string;
  lines: LineIndex;
  tree?: jsonc.Node;
  /** The value when the file is an object and parses (duplicate keys: the last wins, as JSON.parse does). */
  value?: Record<string, unknown>;
  problems: JsonProblem[];
}

export function parseJson(
  raw: string,
  options: { allowComments?: boolean; allowTrailingComma?: boolean } = {},
): ParsedJson {
  const text = raw.replace(/^\uFEFF/, '');
  const lines = new LineIndex(text);
  const problems: JsonProblem[] = [];
  const depth = nestingDepth(text);
  if (depth > MAX_DEPTH) {
    problems.push({
      code: 'depth',
      message: `nested deeper than ${MAX_DEPTH} levels; not parsed`,
      range: lines.range(0, Math.min(text.length, 1)),
      fatal: true,
    });
    return { text, lines, problems };
  }
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, errors, {
    allowTrailingComma: options.allowTrailingComma === true,
    disallowComments: !options.allowComments,
  });
  for (const e of errorsOncePerOffset(errors).slice(0, 50)) {
    const code =
      e.error === 10 /* InvalidCommentToken */ ? 'comment' : isTrailingComma(text, e) ? 'trailing-comma' : 'syntax';
    const message =
      code === 'comment'
        ? 'a comment: settings files are strict JSON'
        : code === 'trailing-comma'
          ? 'a trailing comma: settings files are strict JSON'
          : describe(e.error);
    problems.push({ code, message, range: lines.range(e.offset, e.offset + Math.max(1, e.length)), fatal: true });
  }
  if (tree) duplicates(tree, lines, problems);
  if (!tree || tree.type !== 'object') {
    if (tree && errors.length === 0) {
      problems.push({
        code: 'not-object',
        message: 'the file must hold a JSON object',
        range: lines.range(tree.offset, tree.offset + tree.length),
        fatal: true,
      });
    }
    return { text, lines, ...(tree ? { tree } : {}), problems };
  }
  const value = jsonc.getNodeValue(tree) as Record<string, unknown>;
  return { text, lines, tree, value, problems };
}

function isTrailingComma(text: string, e: jsonc.ParseError): boolean {
  if (e.error !== 3 /* PropertyNameExpected */ && e.error !== 4 /* ValueExpected */) return false;
  const c = text[e.offset];
  if (c !== '}' && c !== ']') return false;
  let i = e.offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',';
}

function describe(code: jsonc.ParseErrorCode): string {
  const name = jsonc.printParseErrorCode(code);
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Duplicate keys in any object (iterative, so deep trees cannot overflow the stack). */
function duplicates(root: jsonc.Node, lines: LineIndex, problems: JsonProblem[]): void {
  const stack: jsonc.Node[] = [root];
  let reported = 0;
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'object' && n.children) {
      const seen = new Set<string>();
      for (const p of n.children) {
        const k = p.children?.[0];
        if (!k) continue;
        const name = String(k.value);
        if (seen.has(name) && reported++ < 50) {
          problems.push({
            code: 'duplicate-key',
            message: `duplicate key "${name.slice(0, 80)}": only the last one counts`,
            range: lines.range(k.offset, k.offset + k.length),
            fatal: false,
          });
        }
        seen.add(name);
      }
    }
    if (n.children) for (const c of n.children) stack.push(c);
  }
}

/** The node at a path, or undefined. */
export function nodeAt(tree: jsonc.Node | undefined, path: (string | number)[]): jsonc.Node | undefined {
  return tree ? jsonc.findNodeAtLocation(tree, path) : undefined;
}

/** The range of the node at `path`, or of its key when `key` is true; the nearest existing ancestor otherwise. */
export function rangeAt(parsed: ParsedJson, path: (string | number)[], key = false): Range {
  let p = path;
  let node = nodeAt(parsed.tree, p);
  while (!node && p.length) {
    p = p.slice(0, -1);
    node = nodeAt(parsed.tree, p);
  }
  if (!node) return parsed.lines.range(0, 0);
  if (key && node.parent?.type === 'property' && p.length === path.length) {
    const k = node.parent.children![0]!;
    return parsed.lines.range(k.offset, k.offset + k.length);
  }
  return parsed.lines.range(node.offset, node.offset + node.length);
}
