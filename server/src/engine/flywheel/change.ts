// The exact change a proposal makes, computed the same way when drafting (for the diff the owners review) and when
// applying (from the target as it is then, after checking it still hashes as drafted). Deterministic: the same
// target text and proposal give the same result, byte for byte.

import { createHash } from 'node:crypto';
import * as jsonc from 'jsonc-parser';
import templatesJson from '../../../../snippets/flywheel-templates.json';
import { MARKER_RE } from '../conventions/ratified';
import { snippetToText } from '../conventions/snippets';

export interface Change {
  path: string;
  /** The target as it is (null: the file does not exist and is created). */
  before: string | null;
  after: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A target's hash as recorded in proposals and the ledger: the SHA-256 of its bytes, or `absent`. */
export function contentHash(text: string | null): string {
  return text === null ? 'absent' : sha256(text);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

const HEADING_RE = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;

/**
 * Insert `lines` (a block: marker and rule) at the end of the Markdown section whose heading is `heading` (any
 * level, case and surrounding spaces aside; outside fenced code). A missing section is created at the end of the
 * file as a level-2 heading. The block is separated by blank lines so it stays its own Markdown block.
 */
export function insertInSection(text: string, heading: string | undefined, lines: readonly string[]): string {
  const eol = eolOf(text);
  const src = text.split(/\r?\n/);
  const hadFinalEol = text === '' || /\r?\n$/.test(text);
  if (hadFinalEol && src.length && src[src.length - 1] === '') src.pop();
  const want = heading
    ?.replace(/^#+\s*/, '')
    .trim()
    .toLowerCase();
  let start = -1;
  let level = 0;
  let end = src.length;
  let fence: string | null = null;
  for (let i = 0; i < src.length; i++) {
    const l = src[i]!;
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(l);
    if (f) {
      if (fence === null) fence = f[1]!;
      else if (f[1]!.startsWith(fence[0]!) && f[1]!.length >= fence.length) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const h = HEADING_RE.exec(l);
    if (!h) continue;
    if (start === -1) {
      if (want !== undefined && h[2]!.trim().toLowerCase() === want) {
        start = i;
        level = h[1]!.length;
      }
    } else if (h[1]!.length <= level) {
      end = i;
      break;
    }
  }
  let out: string[];
  if (want === undefined || start === -1) {
    const tail = [...src];
    while (tail.length && !tail[tail.length - 1]!.trim()) tail.pop();
    const head = want !== undefined ? ['## ' + heading!.replace(/^#+\s*/, '').trim(), ''] : [];
    out = [...tail, ...(tail.length ? [''] : []), ...head, ...lines];
  } else {
    let at = end;
    while (at > start + 1 && !src[at - 1]!.trim()) at--;
    const after = src.slice(at);
    const afterTrim = [...after];
    while (afterTrim.length && !afterTrim[0]!.trim()) afterTrim.shift();
    out = [...src.slice(0, at), '', ...lines, ...(afterTrim.length ? [''] : []), ...afterTrim];
  }
  return out.join(eol) + eol;
}

/** A JSON edit: set `path` to `value`, or (with `arrayInsert`) append `value` to the array at `path`. */
export interface JsonEdit {
  path: (string | number)[];
  value: unknown;
  /** Append to the array at `path` (created when missing); `unique` skips a value already there. */
  arrayInsert?: boolean;
  unique?: boolean;
}

function formatOf(text: string): jsonc.FormattingOptions {
  const m = /\n([ \t]+)"/.exec(text);
  const indent = m ? m[1]! : '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: eolOf(text),
  };
}

export class ChangeError extends Error {}

/** Apply a JSON edit with jsonc-parser (comments, order and formatting kept). Throws ChangeError when the file's
 * shape does not allow it (e.g. `"permissions": "x"`). A missing file starts as `{}`. */
export function applyJsonEdit(text: string | null, edit: JsonEdit): string {
  let cur = text ?? '{}\n';
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(cur, errors, { allowTrailingComma: true, disallowComments: false });
  if (!tree || errors.length) throw new ChangeError('the file is not valid JSON; fix it before applying');
  const node = jsonc.findNodeAtLocation(tree, edit.path);
  try {
    if (edit.arrayInsert) {
      if (node && node.type !== 'array') throw new ChangeError(`${edit.path.join('.')} is not a list`);
      const items = node?.children ?? [];
      if (edit.unique && items.some((c) => JSON.stringify(jsonc.getNodeValue(c)) === JSON.stringify(edit.value)))
        return cur;
      const edits = node
        ? jsonc.modify(cur, [...edit.path, items.length], edit.value, {
            formattingOptions: formatOf(cur),
            isArrayInsertion: true,
          })
        : jsonc.modify(cur, edit.path, [edit.value], { formattingOptions: formatOf(cur) });
      cur = jsonc.applyEdits(cur, edits);
    } else {
      cur = jsonc.applyEdits(cur, jsonc.modify(cur, edit.path, edit.value, { formattingOptions: formatOf(cur) }));
    }
  } catch (err) {
    if (err instanceof ChangeError) throw err;
    throw new ChangeError(`cannot change ${edit.path.join('.')}: ${(err as Error).message}`);
  }
  return cur;
}

interface Template {
  prefix: string;
  body: string[] | string;
  description?: string;
}
const TEMPLATES = templatesJson as Record<string, Template>;

/** A new file from a template of snippets/flywheel-templates.json (`Command`, `Playbook`, …): `{{title}}` and
 * `{{text}}` filled in. */
export function fromTemplate(name: string, vars: { title: string; text: string }): string {
  const t = TEMPLATES[name];
  const body = t ? snippetToText(Array.isArray(t.body) ? t.body.join('\n') : t.body) : '# {{title}}\n\n{{text}}';
  return body
    .replace(/\{\{title\}\}/g, vars.title)
    .replace(/\{\{text\}\}/g, vars.text)
    .replace(/\n*$/, '\n');
}

/** A unified diff (`git diff` style, 3 lines of context) of one change. */
export function unifiedDiff(c: Change): string {
  const a = c.before === null ? [] : splitLines(c.before);
  const b = splitLines(c.after);
  let s = 0;
  while (s < a.length && s < b.length && a[s] === b[s]) s++;
  let e = 0;
  while (e < a.length - s && e < b.length - s && a[a.length - 1 - e] === b[b.length - 1 - e]) e++;
  const head = [`--- ${c.before === null ? '/dev/null' : 'a/' + c.path}`, `+++ b/${c.path}`];
  if (s === a.length && s === b.length) return head.join('\n') + '\n';
  const ctx = 3;
  const from = Math.max(0, s - ctx);
  const aEnd = Math.min(a.length, a.length - e + ctx);
  const bEnd = Math.min(b.length, b.length - e + ctx);
  const out = [...head];
  const range = (start: number, len: number) =>
    len === 0 ? `${start},0` : len === 1 ? `${start + 1}` : `${start + 1},${len}`;
  out.push(`@@ -${range(from, aEnd - from)} +${range(from, bEnd - from)} @@`);
  for (let i = from; i < s; i++) out.push(' ' + a[i]);
  for (let i = s; i < a.length - e; i++) out.push('-' + a[i]);
  for (let i = s; i < b.length - e; i++) out.push('+' + b[i]);
  for (let i = a.length - e; i < aEnd; i++) out.push(' ' + a[i]);
  return out.join('\n') + '\n';
}

function splitLines(t: string): string[] {
  const l = t.split(/\r?\n/);
  if (l.length && l[l.length - 1] === '') l.pop();
  return l;
}

/**
 * Remove the rule marked `<!-- flywheel:rule ID … -->` from a convention file: the marker line and the rule's text
 * after it (up to the next blank line), and one of the blank lines around it. Text without the marker comes back
 * unchanged.
 */
export function removeMarkedRule(text: string, id: string): string {
  const eol = eolOf(text);
  const src = text.split(/\r?\n/);
  const at = src.findIndex((l) => {
    const m = MARKER_RE.exec(l.trim());
    return m !== null && m[1] === id;
  });
  if (at === -1) return text;
  let end = at + 1;
  while (end < src.length && src[end]!.trim() && !MARKER_RE.test(src[end]!.trim())) end++;
  let from = at;
  // One blank line goes with the rule: the one before it when a blank (or the end) follows, else none.
  const blankAfter = end < src.length && !src[end]!.trim();
  if (from > 0 && !src[from - 1]!.trim() && (blankAfter || end >= src.length || src[end] === '')) from--;
  const out = [...src.slice(0, from), ...src.slice(end)];
  return out.join(eol);
}

/** Remove every item of the array at `path` whose value is one of `values`: each item's text with the comma before it
 * (after it, for the first), so comments, order and the layout of the rest stay as they are. A missing array or value
 * leaves the text unchanged. Throws ChangeError on invalid JSON. */
export function removeJsonArrayValues(
  text: string | null,
  path: (string | number)[],
  values: readonly unknown[],
): string {
  if (text === null) return '{}\n';
  const want = new Set(values.map((v) => JSON.stringify(v)));
  let cur = text;
  for (;;) {
    const errors: jsonc.ParseError[] = [];
    const tree = jsonc.parseTree(cur, errors, { allowTrailingComma: true, disallowComments: false });
    if (!tree || errors.length) throw new ChangeError('the file is not valid JSON; fix it before applying');
    const node = jsonc.findNodeAtLocation(tree, path);
    if (!node) return cur;
    if (node.type !== 'array') throw new ChangeError(`${path.join('.')} is not a list`);
    const items = node.children ?? [];
    const i = items.findIndex((c) => want.has(JSON.stringify(jsonc.getNodeValue(c))));
    const item = items[i];
    if (!item) return cur;
    const prev = items[i - 1];
    const next = items[i + 1];
    const [from, to] = prev
      ? [prev.offset + prev.length, item.offset + item.length]
      : next
        ? [item.offset, next.offset]
        : [node.offset + 1, node.offset + node.length - 1];
    cur = cur.slice(0, from) + cur.slice(to);
  }
}
